/** Where a tenant's gateway listens, as the host platform reports it. */
export interface UpstreamTarget {
  readonly host: string;
  readonly port: number;
}

/**
 * Maps a tenant id to its gateway. `undefined` means the workspace is not
 * running (yet): the edge answers 503 with a JSON body the progress view
 * understands, and the browser keeps polling.
 */
export type UpstreamResolver = (tenantId: string) => UpstreamTarget | undefined;
