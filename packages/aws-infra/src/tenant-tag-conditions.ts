/**
 * IAM conditions on the tags that mark a resource as a tenant's: `tenant`
 * (the tenant id, for cost allocation) and `tenant-namespace` (the tenant's
 * Kubernetes namespace, which the tenant role's ABAC compares with the
 * calling pod's). The provisioner writes both when it creates a tenant
 * resource; the offboarder removes only resources carrying the second.
 */
import { TAG_TENANT, TAG_TENANT_NAMESPACE, TENANT_NAMESPACE_PREFIX } from '@openclaw-tenancy/shared';

/** An IAM `Condition` block: operator → condition key → value(s). */
export type IamConditions = Record<string, Record<string, unknown>>;

export interface TenantRequestTagOptions {
  /**
   * Require the `tenant` tag as well (`aws:TagKeys` alone allows leaving it out).
   * @default false
   */
  readonly requireTenantTag?: boolean;
}

/**
 * The request tags of a tenant resource's creation (or tagging): a
 * `tenant-namespace` of a tenant namespace (`openclaw-*`) and no tag keys but
 * `tenant` and `tenant-namespace`.
 */
export function tenantRequestTagConditions(options: TenantRequestTagOptions = {}): IamConditions {
  return {
    StringLike: { [`aws:RequestTag/${TAG_TENANT_NAMESPACE}`]: `${TENANT_NAMESPACE_PREFIX}*` },
    'ForAllValues:StringEquals': { 'aws:TagKeys': [TAG_TENANT, TAG_TENANT_NAMESPACE] },
    ...(options.requireTenantTag ? { Null: { [`aws:RequestTag/${TAG_TENANT}`]: 'false' } } : {}),
  };
}

/**
 * The resource carries a `tenant-namespace` tag of a tenant namespace.
 * `keyPrefix` is the service whose condition key reads resource tags:
 * `secretsmanager` for secrets, `aws` for the rest.
 */
export function tenantResourceTagConditions(keyPrefix: 'aws' | 'secretsmanager'): IamConditions {
  return { StringLike: { [`${keyPrefix}:ResourceTag/${TAG_TENANT_NAMESPACE}`]: `${TENANT_NAMESPACE_PREFIX}*` } };
}
