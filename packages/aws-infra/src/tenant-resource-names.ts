/**
 * ARN patterns of resources that belong to tenants, derived from the names
 * `packages/shared` gives them. IAM policies of the tenant role and of the
 * provisioning functions use these, so a renamed secret prefix in shared
 * moves the permissions with it.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import { TENANT_SECRET_ID_ROOT } from '@openclaw-tenancy/shared';

/** Every tenant secret in the stack's account and region. */
export function tenantSecretArnPattern(stack: Stack): string {
  return stack.formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${TENANT_SECRET_ID_ROOT}*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** A platform secret by name; Secrets Manager appends `-` and six random characters to the ARN. */
export function secretArnByName(stack: Stack, secretName: string): string {
  return stack.formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${secretName}-??????`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
