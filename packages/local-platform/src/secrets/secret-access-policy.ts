/**
 * Who may do what in the local secrets store: the local stand-in for IAM.
 * It mirrors the tenant role of packages/aws-infra (`TenantRole`):
 * `secretsmanager:GetSecretValue` and `DescribeSecret` only where
 * `secretsmanager:ResourceTag/tenant-namespace` equals the caller's
 * `kubernetes-namespace` session tag, nothing else; the platform functions
 * manage every secret.
 */
import { TAG_TENANT_NAMESPACE } from '@openclaw-tenancy/shared';
import type { SecretsPrincipal, StoredSecret } from './secrets-store-file';

export const TENANT_READ_ACTIONS = ['GetSecretValue', 'DescribeSecret'] as const;

/** Whether `principal` may run `action` on `secret` (undefined: the secret does not exist, or the action takes none). */
export function isAllowed(principal: SecretsPrincipal, action: string, secret: StoredSecret | undefined): boolean {
  if (principal.kind === 'platform') return true;
  if (!(TENANT_READ_ACTIONS as readonly string[]).includes(action)) return false;
  // A missing resource has no tag to match, so IAM cannot allow the call either.
  return secret !== undefined && secret.tags[TAG_TENANT_NAMESPACE] === principal.namespace;
}

export function describePrincipal(principal: SecretsPrincipal): string {
  return principal.kind === 'platform' ? `platform/${principal.name}` : `tenant/${principal.tenantId}`;
}
