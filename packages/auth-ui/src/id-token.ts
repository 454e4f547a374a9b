/**
 * Reads claims of the ID token for the UI's own decisions (which workspace,
 * how long the cookie lives). Not a verification: the edge verifies.
 */
import { TENANT_ID_CLAIM, isValidTenantId } from '@openclaw-tenancy/shared';

export interface IdTokenView {
  readonly email: string;
  /** The tenant id PostConfirmation recorded; undefined until it has. */
  readonly tenantId: string | undefined;
  readonly expiresAtSeconds: number;
}

export function readIdToken(token: string): IdTokenView {
  const payload = token.split('.')[1] ?? '';
  const json = decodeURIComponent(
    Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
  );
  const claims = JSON.parse(json) as Record<string, unknown>;
  const tenant = claims[TENANT_ID_CLAIM];
  return {
    email: String(claims['email'] ?? ''),
    tenantId: typeof tenant === 'string' && isValidTenantId(tenant) ? tenant : undefined,
    expiresAtSeconds: Number(claims['exp'] ?? 0),
  };
}
