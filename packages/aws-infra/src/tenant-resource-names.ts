/**
 * ARN patterns of resources that belong to tenants, derived from the names
 * `packages/shared` gives them. IAM policies of the tenant role and of the
 * provisioning functions use these, so a renamed secret prefix in shared
 * moves the permissions with it.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import { tenantNames } from '@openclaw-tenancy/shared';

// Any valid id: only the part of the secret prefix that does not depend on it is used.
const SAMPLE_TENANT_ID = 'sample';

/** `openclaw/tenants/`: the part of every tenant secret id shared by all tenants. */
export function tenantSecretIdRoot(): string {
  const prefix = tenantNames(SAMPLE_TENANT_ID).secretIdPrefix;
  const suffix = `${SAMPLE_TENANT_ID}/`;
  if (!prefix.endsWith(suffix)) {
    throw new Error(`tenant secret ids are expected to end with "<tenant-id>/", got "${prefix}"; update tenantSecretIdRoot() to the new naming rule`);
  }
  return prefix.slice(0, -suffix.length);
}

/** Every tenant secret in the stack's account and region. */
export function tenantSecretArnPattern(stack: Stack): string {
  return stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${tenantSecretIdRoot()}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/** A platform secret by name; Secrets Manager appends `-` and six random characters to the ARN. */
export function secretArnByName(stack: Stack, secretName: string): string {
  return stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${secretName}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}
