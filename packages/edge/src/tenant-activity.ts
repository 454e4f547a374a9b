/**
 * What the edge reports about a tenant's traffic once the identity check has
 * passed: a refused request is never reported, so nobody but the owner can
 * keep a workspace up or wake it.
 */
export type TenantActivity =
  /** An authenticated HTTP request or WebSocket upgrade; `running` is false when no gateway was there to take it. */
  | { readonly kind: 'request'; readonly tenantId: string; readonly running: boolean }
  /** A relayed WebSocket (the Control UI's connection) opened or closed. */
  | { readonly kind: 'websocket-opened' | 'websocket-closed'; readonly tenantId: string }
  /**
   * A request reported with `running: true` has ended: answered, failed or abandoned, or (an upgrade) become
   * a WebSocket, which `websocket-opened` tracks. Until then it is work in progress, however long the
   * gateway takes to answer.
   */
  | { readonly kind: 'request-ended'; readonly tenantId: string };

export type TenantActivityListener = (activity: TenantActivity) => void;
