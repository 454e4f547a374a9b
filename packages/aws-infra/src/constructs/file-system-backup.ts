import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
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
  /**
   * A vault (typically in another account) every recovery point is copied to.
   * @default - a vault of this account under a compliance-mode Vault Lock
   */
  readonly copyToVault?: backup.IBackupVault;
  /**
   * Days a new compliance-mode lock can still be removed before it becomes
   * immutable (AWS Backup's grace time, at least 3).
   * @default 3
   */
  readonly complianceLockGraceDays?: number;
}

/**
 * Daily AWS Backup of the tenant file system into a vault encrypted with its
 * own CMK, copied at once to a second vault one admin cannot empty. The first
 * vault's lock is governance mode: an admin allowed to manage Vault Lock can
 * remove it and then delete its recovery points. The copy lands either in a
 * vault of another account (`copyToVault`) or in a vault of this account
 * under a compliance-mode lock, which after its grace time nobody — account
 * root included — can remove or shorten; its recovery points live out
 * `retentionDays`.
 */
export class FileSystemBackup extends Construct {
  readonly vault: backup.BackupVault;
  readonly plan: backup.BackupPlan;
  readonly key: kms.Key;
  /** Where every recovery point is copied (the compliance-locked vault unless `copyToVault` was given). */
  readonly copyVault: backup.IBackupVault;

  constructor(scope: Construct, id: string, props: FileSystemBackupProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(`retentionDays must be a whole number of days >= 1, got ${props.retentionDays}; set backup.retentionDays`);
    }
    const graceDays = props.complianceLockGraceDays ?? 3;
    if (!Number.isInteger(graceDays) || graceDays < 3) {
      throw new Error(`complianceLockGraceDays must be a whole number of days >= 3 (AWS Backup's minimum grace time), got ${graceDays}`);
    }
    this.key = new kms.Key(this, 'Key', {
      description: 'Encryption of the tenant workspace backup vault',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      // Governance mode: refuses recovery points kept shorter than the plan's retention, but an admin may remove
      // the lock itself; the compliance-locked copy below is what a single admin cannot destroy.
      lockConfiguration: { minRetention: Duration.days(props.retentionDays) },
      accessPolicy: denyEarlyDeletion(),
    });
    if (props.copyToVault) {
      this.copyVault = props.copyToVault;
    } else {
      const copyKey = new kms.Key(this, 'CopyKey', {
        description: 'Encryption of the compliance-locked copy of tenant workspace backups',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      this.copyVault = new backup.BackupVault(this, 'ComplianceVault', {
        encryptionKey: copyKey,
        removalPolicy: RemovalPolicy.RETAIN,
        // changeableFor makes this a compliance-mode lock: immutable once the grace time has passed.
        lockConfiguration: { minRetention: Duration.days(props.retentionDays), changeableFor: Duration.days(graceDays) },
        accessPolicy: denyEarlyDeletion(),
      });
    }
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: props.backupPlanName ?? 'openclaw-tenant-data',
      backupVault: this.vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'daily',
          scheduleExpression: props.schedule ?? events.Schedule.cron({ minute: '0', hour: '3' }),
          deleteAfter: Duration.days(props.retentionDays),
          copyActions: [{ destinationBackupVault: this.copyVault, deleteAfter: Duration.days(props.retentionDays) }],
        }),
      ],
    });
    this.plan.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const selection = this.plan.addSelection('TenantFileSystem', {
      resources: [backup.BackupResource.fromEfsFileSystem(props.fileSystem)],
    });
    selection.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // Confused-deputy protection: AWS Backup assumes the selection's role for this account only.
    const backupRole = selection.node.findChild('Role').node.defaultChild as iam.CfnRole;
    backupRole.addPropertyOverride('AssumeRolePolicyDocument.Statement.0.Condition', {
      StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
    });
    acknowledge(
      selection,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      'AWS Backup assumes this role to snapshot the file system; the AWS-maintained service-role policy is the documented one.',
    );
  }
}

/** A vault policy no principal can shorten a recovery point's life under, whatever its IAM policies allow. */
function denyEarlyDeletion(): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'DenyEarlyDeletion',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
        resources: ['*'],
      }),
    ],
  });
}
