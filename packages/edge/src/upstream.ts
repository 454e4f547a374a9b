/** Where a tenant's gateway listens, and whom it serves, as the host platform reports it. */
export interface UpstreamTarget {
  readonly host: string;
  readonly port: number;
  /**
   * The tenant's owner in the registry (the Cognito `sub`): the only
   * identity the edge forwards, as the route's SecurityPolicy does in the
   * cluster.
   */
  readonly owner: string;
}

/**
 * Maps a tenant id to its gateway. `undefined` means the workspace is not
 * running (yet): the edge answers 503 with a JSON body the progress view
 * understands, and the browser keeps polling.
 */
export type UpstreamResolver = (tenantId: string) => UpstreamTarget | undefined;
