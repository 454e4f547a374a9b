import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance';

export interface FileSystemBackupProps {
  readonly fileSystem: efs.IFileSystem;
  /** Days a recovery point is kept (`backup.retentionDays`). */
  readonly retentionDays: number;
  /**
   * When the daily backup starts (UTC).
   * @default - 03:00 UTC
   */
  readonly schedule?: events.Schedule;
  /**
   * Name of the backup plan.
   * @default 'openclaw-tenant-data'
   */
  readonly backupPlanName?: string;
}

/**
 * Daily AWS Backup of the tenant file system into a vault encrypted with its
 * own CMK. Vault and plan outlive the stack, and nobody can delete a recovery
 * point before it expires except by changing this code.
 */
export class FileSystemBackup extends Construct {
  readonly vault: backup.BackupVault;
  readonly plan: backup.BackupPlan;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: FileSystemBackupProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(`retentionDays must be a whole number of days >= 1, got ${props.retentionDays}; set backup.retentionDays`);
    }
    this.key = new kms.Key(this, 'Key', {
      description: 'Encryption of the tenant workspace backup vault',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      // Vault Lock (governance mode): AWS Backup itself refuses recovery points kept shorter than the plan's
      // retention, whoever edits the access policy below; compliance mode (irreversible) is an operator's choice.
      lockConfiguration: { minRetention: Duration.days(props.retentionDays) },
      accessPolicy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'DenyEarlyDeletion',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
            resources: ['*'],
          }),
        ],
      }),
    });
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: props.backupPlanName ?? 'openclaw-tenant-data',
      backupVault: this.vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'daily',
          scheduleExpression: props.schedule ?? events.Schedule.cron({ minute: '0', hour: '3' }),
          deleteAfter: Duration.days(props.retentionDays),
        }),
      ],
    });
    this.plan.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const selection = this.plan.addSelection('TenantFileSystem', {
      resources: [backup.BackupResource.fromEfsFileSystem(props.fileSystem)],
    });
    selection.applyRemovalPolicy(RemovalPolicy.RETAIN);
    acknowledge(
      selection,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      'AWS Backup assumes this role to snapshot the file system; the AWS-maintained service-role policy is the documented one.',
    );
  }
}
