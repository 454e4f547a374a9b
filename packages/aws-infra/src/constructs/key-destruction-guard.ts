import { IAspect } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { IConstruct } from 'constructs';

/**
 * Key actions that destroy or lock away data, or change who may do so. A
 * disabled or deleted key makes every object encrypted with it unreadable;
 * a new key policy could grant either to anybody.
 */
export const KEY_DESTRUCTION_ACTIONS = ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:PutKeyPolicy'] as const;

/** Sid of the statement the guard adds to every key policy. */
export const KEY_DESTRUCTION_DENY_SID = 'DenyKeyDestructionExceptBreakGlass';

/** An IAM role ARN; the first group is its account. */
export const IAM_ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/** The break-glass role of `config` (`security.breakGlassRoleArn`, or the role named `<platformName>-break-glass`). */
export function breakGlassRoleArn(config: PlatformConfig): string {
  const arn = config.security.breakGlassRoleArn ?? `arn:aws:iam::${config.aws.account}:role/${config.platformName}-break-glass`;
  const account = IAM_ROLE_ARN_PATTERN.exec(arn)?.[1];
  if (account !== config.aws.account) {
    throw new Error(`security.breakGlassRoleArn ${arn} must be an IAM role of account ${config.aws.account} (aws.account)`);
  }
  return arn;
}

/**
 * Adds to every KMS key in scope an explicit deny of the destruction actions
 * for everyone but the break-glass role: root's `kms:*` and any admin policy
 * do not suffice to delete, disable or re-police a key. Because the
 * CloudFormation execution role is denied PutKeyPolicy too, key policy
 * changes deploy with the break-glass role, and key creation skips the
 * lockout safety check (the break-glass role keeps full control through the
 * account statement and its own IAM policy). The deny names the role by
 * condition, not as a principal, so the role need not exist at deploy time.
 */
export class KeyDestructionGuard implements IAspect {
  private readonly guarded = new Set<kms.Key>();

  constructor(private readonly breakGlassRoleArn: string) {
    if (!IAM_ROLE_ARN_PATTERN.test(breakGlassRoleArn))
      throw new Error(`breakGlassRoleArn ${breakGlassRoleArn} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
  }

  visit(node: IConstruct): void {
    if (!(node instanceof kms.Key) || this.guarded.has(node)) return;
    this.guarded.add(node);
    node.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: KEY_DESTRUCTION_DENY_SID,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...KEY_DESTRUCTION_ACTIONS],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': this.breakGlassRoleArn } },
      }),
    );
    (node.node.defaultChild as kms.CfnKey).bypassPolicyLockoutSafetyCheck = true;
  }
}
