import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { TENANT_SECRET_ID_ROOT, TENANT_SECRET_RECOVERY_WINDOW_DAYS } from '@openclaw-tenancy/shared';
import { Construct } from 'constructs';
import { acknowledgeGrant, nagResource } from '../compliance';
import { combineGrants, grantWithSid } from '../grants';
import { tenantRequestTagConditions, tenantResourceTagConditions } from '../tenant-tag-conditions';
import { tenantSecretArnPattern } from '../tenant-resource-names';

/**
 * The tenants' secrets in Secrets Manager (the gateway's operator password),
 * which the provisioner creates at runtime under `openclaw/tenants/<tenant
 * id>/` with the tenant tags, and the offboarder deletes. Nothing here is a
 * CloudFormation resource: the construct holds their ARN pattern and grants
 * the lifecycle actions on it. Their key is `TenantSecretsKey`, whose
 * `grantCreateTenantSecrets` the creator needs as well; what a tenant pod
 * reads is `TenantRole`'s.
 */
export class TenantSecrets extends Construct {
  /** Every tenant secret of the stack's account and region. */
  readonly arnPattern: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.arnPattern = tenantSecretArnPattern(Stack.of(this));
  }

  /**
   * Lets `grantee` create tenant secrets, only with the tenant request tags
   * (`tenant-namespace` of a tenant namespace, no other tag keys), and find
   * and restore an existing one (a re-provisioned tenant's secret scheduled
   * for deletion).
   */
  grantCreate(grantee: iam.IGrantable): iam.Grant {
    const grant = combineGrants(
      grantWithSid('CreateTaggedTenantSecrets', {
        grantee,
        actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
        resourceArns: [this.arnPattern],
        conditions: tenantRequestTagConditions(),
      }),
      grantWithSid('InspectAndRestoreTenantSecrets', {
        grantee,
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:RestoreSecret'],
        resourceArns: [this.arnPattern],
      }),
    );
    this.acknowledgePattern(
      grantee,
      `Tenant secrets are created at runtime under ${TENANT_SECRET_ID_ROOT}<tenant id>/; creation additionally requires the tenant and tenant-namespace request tags.`,
    );
    return grant;
  }

  /**
   * Lets `grantee` describe tenant secrets and schedule the deletion of one
   * carrying a tenant `tenant-namespace` tag, only as a restorable deletion:
   * never forced (`ForceDeleteWithoutRecovery`), never with a recovery window
   * shorter than `TENANT_SECRET_RECOVERY_WINDOW_DAYS`.
   */
  grantScheduleDeletion(grantee: iam.IGrantable): iam.Grant {
    const grant = combineGrants(
      grantWithSid('DescribeTenantSecrets', {
        grantee,
        actions: ['secretsmanager:DescribeSecret'],
        resourceArns: [this.arnPattern],
      }),
      grantWithSid('ScheduleTenantSecretDeletion', {
        grantee,
        actions: ['secretsmanager:DeleteSecret'],
        resourceArns: [this.arnPattern],
        conditions: {
          ...tenantResourceTagConditions('secretsmanager'),
          Bool: { 'secretsmanager:ForceDeleteWithoutRecovery': 'false' },
          NumericGreaterThanEquals: { 'secretsmanager:RecoveryWindowInDays': String(TENANT_SECRET_RECOVERY_WINDOW_DAYS) },
        },
      }),
    );
    this.acknowledgePattern(
      grantee,
      `Tenant secrets are created at runtime under ${TENANT_SECRET_ID_ROOT}<tenant id>/; deletion requires a tenant-namespace tag and stays restorable (never forced, a recovery window of at least ${TENANT_SECRET_RECOVERY_WINDOW_DAYS} days).`,
    );
    return grant;
  }

  private acknowledgePattern(grantee: iam.IGrantable, reason: string): void {
    acknowledgeGrant(grantee, `AwsSolutions-IAM5[Resource::${nagResource(this, this.arnPattern)}]`, reason);
  }
}
