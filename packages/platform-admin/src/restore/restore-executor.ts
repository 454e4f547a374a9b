/**
 * Runs a {@link RestorePlan} up to the swap, in the plan's order, stopping at
 * the first step that cannot complete. The swap and the resume are the
 * operator's (docs/operations/restore.md): they need the cluster, and the
 * operator checks the restored copy before the tenant sees it.
 */
import { toIsoSeconds } from '@openclaw-tenancy/shared';
import { changeTenantStatus } from '../lifecycle/lifecycle-commands';
import type { LifecyclePorts, ProgressReporter } from '../lifecycle/lifecycle-ports';
import { LifecycleRefusal } from '../lifecycle/lifecycle-refusal';
import { RestorePlan, RestoreStep, assertOnlyTenantDirectory, restoreMetadataFor } from './restore-plan';
import type { TenantBackups, WorkloadProbe } from './restore-ports';

export interface RestoreExecutorDeps {
  readonly lifecycle: LifecyclePorts;
  readonly backups: TenantBackups;
  readonly workload: WorkloadProbe;
  /** A role AWS Backup may assume to restore (AWSBackupServiceRolePolicyForRestores). */
  readonly restoreRoleArn: string;
  readonly sleep: (ms: number) => Promise<void>;
  /** @default 15000 */
  readonly pollIntervalMs?: number;
  /** How long to wait for the pods to go, and for each job: polls × interval. @default 240 */
  readonly maxPolls?: number;
}

export type StepOutcome =
  | { readonly kind: 'suspend'; readonly commit?: string }
  | { readonly kind: 'confirm-stopped' }
  | { readonly kind: 'rollback-backup'; readonly recoveryPointArn: string }
  | { readonly kind: 'restore-items'; readonly restoredFileSystemArn: string };

export interface RestoreResult {
  readonly tenantId: string;
  readonly done: readonly StepOutcome[];
  /** The steps left to the operator, in order. */
  readonly remaining: readonly RestoreStep[];
  readonly rollbackRecoveryPointArn: string;
  readonly restoredFileSystemArn: string;
}

export async function executeRestorePlan(
  plan: RestorePlan,
  deps: RestoreExecutorDeps,
  progress: ProgressReporter = () => undefined,
): Promise<RestoreResult> {
  const interval = deps.pollIntervalMs ?? 15_000;
  const maxPolls = deps.maxPolls ?? 240;
  const done: StepOutcome[] = [];
  const token = `restore-${plan.tenantId}-${plan.at.replace(/[^0-9]/g, '')}`.slice(0, 64);
  let rollbackRecoveryPointArn: string | undefined;
  let restoredFileSystemArn: string | undefined;
  const remaining: RestoreStep[] = [];
  // Checked before anything runs: a plan naming another tenant's path changes nothing at all.
  for (const step of plan.steps) if (step.kind === 'restore-items') assertOnlyTenantDirectory(plan.tenantId, step.itemsToRestore);

  for (const step of plan.steps) {
    switch (step.kind) {
      case 'suspend': {
        progress(`suspending ${plan.tenantId} (one GitOps commit, 0 replicas)`);
        const r = await changeTenantStatus(
          deps.lifecycle,
          plan.tenantId,
          { kind: 'suspend', reason: step.reason },
          { dryRun: false },
          progress,
        );
        done.push({ kind: 'suspend', ...(r.commit ? { commit: r.commit } : {}) });
        break;
      }
      case 'confirm-stopped': {
        for (let poll = 1; ; poll++) {
          const pods = await deps.workload.runningPods(plan.tenantId);
          if (pods === 0) break;
          if (pods === 'unknown') {
            throw new LifecycleRefusal(
              `cannot tell whether ${step.namespace} still runs pods: check \`kubectl get pods -n ${step.namespace}\` shows none, then run the restore again with --workload-stopped`,
            );
          }
          if (poll >= maxPolls)
            throw new LifecycleRefusal(
              `${pods} pod(s) still run in ${step.namespace}; the workspace is not restored under a running workload (the tenant stays suspended)`,
            );
          progress(`waiting for ${pods} pod(s) in ${step.namespace} to stop (${poll}/${maxPolls})`);
          await deps.sleep(interval);
        }
        done.push({ kind: 'confirm-stopped' });
        break;
      }
      case 'rollback-backup': {
        progress(`backing up the current state of ${plan.target.fileSystemId} (the rollback point)`);
        const jobId = await deps.backups.startBackup({
          vaultName: step.vaultName,
          resourceArn: step.resourceArn,
          iamRoleArn: step.iamRoleArn,
          idempotencyToken: `${token}-rollback`,
        });
        rollbackRecoveryPointArn = await poll(
          maxPolls,
          interval,
          deps,
          async () => {
            const s = await deps.backups.backupJob(jobId);
            if (s.done) return s.recoveryPointArn;
            progress(`rollback backup ${jobId}: ${s.state}`);
            return undefined;
          },
          `backup job ${jobId}`,
        );
        done.push({ kind: 'rollback-backup', recoveryPointArn: rollbackRecoveryPointArn });
        break;
      }
      case 'restore-items': {
        const recorded = await deps.backups.restoreMetadata({
          arn: step.recoveryPointArn,
          vaultName: plan.recoveryPoint.vaultName,
          createdAt: new Date(plan.recoveryPoint.createdAt),
          status: 'COMPLETED',
        });
        const metadata = restoreMetadataFor(plan.tenantId, step.itemsToRestore, recorded, token);
        progress(`restoring ${step.itemsToRestore.join(', ')} as of ${plan.recoveryPoint.createdAt} into a new file system`);
        const jobId = await deps.backups.startRestore({
          recoveryPointArn: step.recoveryPointArn,
          iamRoleArn: deps.restoreRoleArn,
          metadata,
          idempotencyToken: `${token}-restore`,
        });
        restoredFileSystemArn = await poll(
          maxPolls,
          interval,
          deps,
          async () => {
            const s = await deps.backups.restoreJob(jobId);
            if (s.done) return s.createdResourceArn;
            progress(`restore job ${jobId}: ${s.state}`);
            return undefined;
          },
          `restore job ${jobId}`,
        );
        done.push({ kind: 'restore-items', restoredFileSystemArn });
        break;
      }
      case 'swap':
      case 'resume':
        remaining.push(step);
        break;
    }
  }
  if (!rollbackRecoveryPointArn || !restoredFileSystemArn)
    throw new Error(`the plan for ${plan.tenantId} has no rollback backup or restore step`);
  progress(`restored at ${toIsoSeconds(deps.lifecycle.now())}; the swap and the resume are next (docs/operations/restore.md)`);
  return { tenantId: plan.tenantId, done, remaining, rollbackRecoveryPointArn, restoredFileSystemArn };
}

async function poll<T>(
  maxPolls: number,
  interval: number,
  deps: RestoreExecutorDeps,
  check: () => Promise<T | undefined>,
  what: string,
): Promise<T> {
  for (let i = 1; i <= maxPolls; i++) {
    const result = await check();
    if (result !== undefined) return result;
    if (i < maxPolls) await deps.sleep(interval);
  }
  throw new Error(
    `${what} did not finish within ${Math.round((maxPolls * interval) / 1000)} s; it goes on in AWS Backup, re-run the restore to pick it up`,
  );
}
