/** What a restore of one tenant's workspace talks to besides Git (see docs/adr/0601). */

/** The backed-up tenant file system, found through the platform's backup plan. */
export interface BackupTarget {
  readonly fileSystemArn: string;
  readonly fileSystemId: string;
  /** The vault the plan writes to; on-demand rollback points go there too. */
  readonly vaultName: string;
  /** The role of the plan's selection (AWSBackupServiceRolePolicyForBackup): the rollback backup runs with it. */
  readonly backupRoleArn: string;
}

export interface RecoveryPoint {
  readonly arn: string;
  readonly vaultName: string;
  readonly createdAt: Date;
  readonly status: string;
}

export type BackupJobState = { readonly done: false; readonly state: string } | { readonly done: true; readonly recoveryPointArn: string };
export type RestoreJobState =
  { readonly done: false; readonly state: string } | { readonly done: true; readonly createdResourceArn: string };

export interface TenantBackups {
  /** The plan's file system, vault and role; undefined when no such plan exists. */
  findTarget(planName: string): Promise<BackupTarget | undefined>;
  recoveryPoints(fileSystemArn: string): Promise<RecoveryPoint[]>;
  /** Metadata to restore `recoveryPoint` as it was backed up (`GetRecoveryPointRestoreMetadata`). */
  restoreMetadata(recoveryPoint: RecoveryPoint): Promise<Record<string, string>>;
  startBackup(input: { vaultName: string; resourceArn: string; iamRoleArn: string; idempotencyToken: string }): Promise<string>;
  /** Throws when the job failed, was aborted or expired. */
  backupJob(jobId: string): Promise<BackupJobState>;
  startRestore(input: {
    recoveryPointArn: string;
    iamRoleArn: string;
    metadata: Readonly<Record<string, string>>;
    idempotencyToken: string;
  }): Promise<string>;
  /** Throws when the job failed or was aborted. */
  restoreJob(jobId: string): Promise<RestoreJobState>;
}

/** Whether the tenant's workload has stopped (no pod left in its namespace). */
export interface WorkloadProbe {
  /** Pods still present in the tenant's namespace, or `unknown` when this probe cannot tell. */
  runningPods(tenantId: string): Promise<number | 'unknown'>;
}
