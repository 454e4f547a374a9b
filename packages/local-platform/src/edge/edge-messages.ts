/** What the platform and its edge process tell each other over the IPC channel. */
import type { IdentityProviderEndpoints, TenantActivity, UpstreamTarget } from '@openclaw-tenancy/edge';
import type { AuthUiRuntimeConfig } from '@openclaw-tenancy/shared';

export interface EdgeProcessOptions {
  readonly identity: IdentityProviderEndpoints;
  readonly host: string;
  readonly port: number;
  readonly authUiDir: string;
  readonly runtimeConfig: AuthUiRuntimeConfig;
  /**
   * Ports of the edge namespace's own loopback relayed to the host: the user pool's public URL is a
   * loopback URL of the host (for the browser), and the edge calls the same URL from its namespace.
   */
  readonly loopbackRelays: ReadonlyArray<{ readonly port: number; readonly targetHost: string; readonly targetPort: number }>;
}

/** The platform sends the full routing table whenever a gateway becomes ready or goes away. */
export type PlatformToEdgeMessage = { readonly type: 'upstreams'; readonly upstreams: Readonly<Record<string, UpstreamTarget>> };

export type EdgeProcessMessage =
  | { readonly type: 'listening'; readonly url: string }
  | { readonly type: 'failed'; readonly message: string }
  /** An authenticated request or WebSocket for a tenant (idle tracking, wake on request). */
  | { readonly type: 'tenant-activity'; readonly activity: TenantActivity };
