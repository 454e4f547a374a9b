import { Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { tenantSecretArnPattern } from '../tenant-resource-names';
import { IAM_ROLE_ARN_PATTERN } from './key-destruction-guard';

export interface TenantSecretsKeyProps {
  /**
   * The role every tenant pod reads its secrets with (`TenantRole`). It may
   * decrypt only through Secrets Manager and only tenant secrets; which
   * tenant's secret is decided by the tag condition of its
   * `secretsmanager:GetSecretValue` permission.
   */
  readonly tenantRole: iam.IRole;
  /** The only other principal that may decrypt a tenant secret (`security.breakGlassRoleArn`). */
  readonly breakGlassRoleArn: string;
}

/** Sid of the key policy statement that refuses every use of the key outside Secrets Manager. */
export const TENANT_SECRETS_KEY_OUTSIDE_SECRETS_MANAGER_DENY_SID = 'DenyUseOutsideSecretsManager';

/** Sid of the key policy statement that lets tenant pods decrypt their secrets. */
export const TENANT_SECRETS_KEY_TENANT_DECRYPT_SID = 'TenantPodsDecryptTenantSecretsThroughSecretsManager';

/** Sid of the key policy statement that refuses decryption to every principal but the tenant role, the creators and the break-glass role. */
export const TENANT_SECRETS_KEY_DECRYPT_DENY_SID = 'DenyDecryptExceptTenantsCreatorsAndBreakGlass';

/** Sid of the statement that refuses the grantee of {@link TenantSecretsKey.grantCreateTenantSecrets} a tenant secret on another key. */
export const TENANT_SECRET_WITHOUT_KEY_DENY_SID = 'DenyTenantSecretsWithoutTenantSecretsKey';

/** The key actions that protect or reveal a secret value. */
const KEY_USE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];

/**
 * The customer-managed key of every tenant secret (the gateway's operator
 * password). Secrets Manager uses it with the caller's own credentials
 * (`kms:ViaService`) and binds each ciphertext to its secret
 * (`kms:EncryptionContext:SecretARN`), which the policy checks:
 *
 * - the tenant role may decrypt through Secrets Manager, tenant secrets
 *   only. KMS cannot see a secret's tags, so the per-tenant check is
 *   Secrets Manager's (`secretsmanager:ResourceTag/tenant-namespace` equal to
 *   the pod's namespace, in `TenantRole`); without it nothing reaches KMS;
 * - nobody may use the key outside Secrets Manager: a copied ciphertext is
 *   worthless, whatever an IAM policy grants;
 * - the creator ({@link grantCreateTenantSecrets}) may encrypt and decrypt
 *   through Secrets Manager and creates tenant secrets on this key only;
 * - decryption is denied to every other principal but the break-glass role,
 *   administrators included: their `kms:*` through the account statement does
 *   not read a tenant's secret.
 *
 * Deletion, disabling and policy changes are the break-glass role's alone
 * (the app-wide `KeyDestructionGuard`).
 */
export class TenantSecretsKey extends Construct {
  readonly key: kms.Key;
  private readonly secretsManagerService: string;
  private readonly tenantSecretArns: string;
  private readonly creators: iam.IRole[] = [];

  constructor(scope: Construct, id: string, props: TenantSecretsKeyProps) {
    super(scope, id);
    if (!IAM_ROLE_ARN_PATTERN.test(props.breakGlassRoleArn)) {
      throw new Error(
        `breakGlassRoleArn ${props.breakGlassRoleArn} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>); set security.breakGlassRoleArn`,
      );
    }
    const stack = Stack.of(this);
    this.secretsManagerService = `secretsmanager.${stack.region}.amazonaws.com`;
    this.tenantSecretArns = tenantSecretArnPattern(stack);

    this.key = new kms.Key(this, 'Key', {
      description: 'Encryption of tenant secrets; usable through Secrets Manager only',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: TENANT_SECRETS_KEY_TENANT_DECRYPT_SID,
        principals: [new iam.ArnPrincipal(props.tenantRole.roleArn)],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: this.throughSecretsManagerForTenantSecrets(),
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: TENANT_SECRETS_KEY_OUTSIDE_SECRETS_MANAGER_DENY_SID,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: KEY_USE_ACTIONS,
        resources: ['*'],
        // A missing kms:ViaService (a direct call) counts as "not Secrets Manager".
        conditions: { StringNotEquals: { 'kms:ViaService': this.secretsManagerService } },
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: TENANT_SECRETS_KEY_DECRYPT_DENY_SID,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Decrypt', 'kms:ReEncrypt*', 'kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          ArnNotEquals: {
            'aws:PrincipalArn': Lazy.list({
              produce: () => [props.tenantRole.roleArn, ...this.creators.map((role) => role.roleArn), props.breakGlassRoleArn],
            }),
          },
          // Service principals carry no principal ARN; Secrets Manager itself calls with the caller's credentials.
          Bool: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
  }

  /**
   * Lets `grantee` create tenant secrets on this key and move existing ones
   * to it: `kms:GenerateDataKey` and `kms:Decrypt` through Secrets Manager for
   * tenant secrets, `secretsmanager:UpdateSecret` only when it names this key,
   * and an explicit deny of `secretsmanager:CreateSecret` of a tenant secret
   * on any other key (the AWS managed key included). The key policy names the
   * role, so it must be of this stack or of one this stack depends on.
   */
  grantCreateTenantSecrets(grantee: iam.IRole): iam.Grant {
    this.creators.push(grantee);
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resourceArns: [this.key.keyArn],
      conditions: this.throughSecretsManagerForTenantSecrets(),
    });
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'MoveTenantSecretsToTenantSecretsKey',
        actions: ['secretsmanager:UpdateSecret'],
        resources: [this.tenantSecretArns],
        conditions: { ArnEquals: { 'secretsmanager:KmsKeyArn': this.key.keyArn } },
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: TENANT_SECRET_WITHOUT_KEY_DENY_SID,
        effect: iam.Effect.DENY,
        actions: ['secretsmanager:CreateSecret'],
        resources: [this.tenantSecretArns],
        // Absent (the AWS managed key) counts as another key.
        conditions: { ArnNotEquals: { 'secretsmanager:KmsKeyArn': this.key.keyArn } },
      }),
    );
    return grant;
  }

  private throughSecretsManagerForTenantSecrets(): Record<string, Record<string, unknown>> {
    return {
      StringEquals: { 'kms:ViaService': this.secretsManagerService },
      StringLike: { 'kms:EncryptionContext:SecretARN': this.tenantSecretArns },
    };
  }
}
