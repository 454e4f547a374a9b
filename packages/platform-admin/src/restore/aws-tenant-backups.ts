import {
  BackupClient,
  DescribeBackupJobCommand,
  DescribeRestoreJobCommand,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
  ListRecoveryPointsByResourceCommand,
  StartBackupJobCommand,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import type { BackupJobState, BackupTarget, RecoveryPoint, RestoreJobState, TenantBackups } from './restore-ports';

const EFS_ARN = /^arn:aws[a-z-]*:elasticfilesystem:[a-z0-9-]+:\d{12}:file-system\/(fs-[0-9a-f]+)$/;
const FAILED_BACKUP = new Set(['ABORTED', 'FAILED', 'EXPIRED', 'PARTIAL']);
const FAILED_RESTORE = new Set(['ABORTED', 'FAILED']);

/** AWS Backup, as a restore of one tenant uses it. */
export class AwsTenantBackups implements TenantBackups {
  constructor(private readonly client: BackupClient) {}

  async findTarget(planName: string): Promise<BackupTarget | undefined> {
    let plan: { id: string } | undefined;
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(new ListBackupPlansCommand({ ...(nextToken ? { NextToken: nextToken } : {}) }));
      const found = page.BackupPlansList?.find((p) => p.BackupPlanName === planName);
      if (found?.BackupPlanId) plan = { id: found.BackupPlanId };
      nextToken = plan ? undefined : page.NextToken;
    } while (nextToken);
    if (!plan) return undefined;
    const details = await this.client.send(new GetBackupPlanCommand({ BackupPlanId: plan.id }));
    const vaultName = details.BackupPlan?.Rules?.[0]?.TargetBackupVaultName;
    const selections = await this.client.send(new ListBackupSelectionsCommand({ BackupPlanId: plan.id }));
    for (const s of selections.BackupSelectionsList ?? []) {
      if (!s.SelectionId) continue;
      const selection = await this.client.send(new GetBackupSelectionCommand({ BackupPlanId: plan.id, SelectionId: s.SelectionId }));
      const arns = (selection.BackupSelection?.Resources ?? []).filter((arn) => EFS_ARN.test(arn));
      const roleArn = selection.BackupSelection?.IamRoleArn;
      if (arns.length === 1 && roleArn && vaultName) {
        const fileSystemArn = arns[0] as string;
        return {
          fileSystemArn,
          fileSystemId: (EFS_ARN.exec(fileSystemArn) as RegExpExecArray)[1] as string,
          vaultName,
          backupRoleArn: roleArn,
        };
      }
    }
    return undefined;
  }

  async recoveryPoints(fileSystemArn: string): Promise<RecoveryPoint[]> {
    const points: RecoveryPoint[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListRecoveryPointsByResourceCommand({ ResourceArn: fileSystemArn, ...(nextToken ? { NextToken: nextToken } : {}) }),
      );
      for (const p of page.RecoveryPoints ?? []) {
        if (p.RecoveryPointArn && p.CreationDate && p.BackupVaultName)
          points.push({ arn: p.RecoveryPointArn, vaultName: p.BackupVaultName, createdAt: p.CreationDate, status: p.Status ?? 'UNKNOWN' });
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return points;
  }

  async restoreMetadata(recoveryPoint: RecoveryPoint): Promise<Record<string, string>> {
    const r = await this.client.send(
      new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: recoveryPoint.vaultName, RecoveryPointArn: recoveryPoint.arn }),
    );
    return { ...(r.RestoreMetadata ?? {}) };
  }

  async startBackup(input: { vaultName: string; resourceArn: string; iamRoleArn: string; idempotencyToken: string }): Promise<string> {
    const r = await this.client.send(
      new StartBackupJobCommand({
        BackupVaultName: input.vaultName,
        ResourceArn: input.resourceArn,
        IamRoleArn: input.iamRoleArn,
        IdempotencyToken: input.idempotencyToken,
      }),
    );
    if (!r.BackupJobId) throw new Error('StartBackupJob returned no job id');
    return r.BackupJobId;
  }

  async backupJob(jobId: string): Promise<BackupJobState> {
    const r = await this.client.send(new DescribeBackupJobCommand({ BackupJobId: jobId }));
    const state = r.State ?? 'UNKNOWN';
    if (FAILED_BACKUP.has(state)) throw new Error(`backup job ${jobId} ${state}: ${r.StatusMessage ?? 'no message'}`);
    return state === 'COMPLETED' && r.RecoveryPointArn ? { done: true, recoveryPointArn: r.RecoveryPointArn } : { done: false, state };
  }

  async startRestore(input: {
    recoveryPointArn: string;
    iamRoleArn: string;
    metadata: Readonly<Record<string, string>>;
    idempotencyToken: string;
  }): Promise<string> {
    const r = await this.client.send(
      new StartRestoreJobCommand({
        RecoveryPointArn: input.recoveryPointArn,
        IamRoleArn: input.iamRoleArn,
        Metadata: { ...input.metadata },
        IdempotencyToken: input.idempotencyToken,
        ResourceType: 'EFS',
      }),
    );
    if (!r.RestoreJobId) throw new Error('StartRestoreJob returned no job id');
    return r.RestoreJobId;
  }

  async restoreJob(jobId: string): Promise<RestoreJobState> {
    const r = await this.client.send(new DescribeRestoreJobCommand({ RestoreJobId: jobId }));
    const status = r.Status ?? 'UNKNOWN';
    if (FAILED_RESTORE.has(status)) throw new Error(`restore job ${jobId} ${status}: ${r.StatusMessage ?? 'no message'}`);
    return status === 'COMPLETED' && r.CreatedResourceArn
      ? { done: true, createdResourceArn: r.CreatedResourceArn }
      : { done: false, state: status };
  }
}
