/**
 * A restore of one tenant's workspace, planned before anything changes (ADR
 * 0601): the recovery point at or before `--at`, the tenant's directory as
 * the only item, restored into a new file system that holds nothing else, the
 * workload suspended through Git and confirmed stopped, and an on-demand
 * backup of the current state first so the swap can be rolled back.
 */
import { PlatformConfig, TenantRecord, assertTenantId, tenantBackupPlanName, tenantNames, toIsoSeconds } from '@openclaw-tenancy/shared';
import { LifecycleUsageError } from '../lifecycle/lifecycle-commands';
import { LifecycleRefusal } from '../lifecycle/lifecycle-refusal';
import type { BackupTarget, RecoveryPoint } from './restore-ports';

/** The registry reason a restore suspends with. */
export const RESTORE_SUSPEND_REASON = 'restore';

/** Recovery point states a restore may start from. */
const RESTORABLE = new Set(['COMPLETED', 'AVAILABLE']);

export type RestoreStep =
  /** One GitOps commit: the tenant suspended (0 replicas), so nothing writes during the swap. Absent when already suspended. */
  | { readonly kind: 'suspend'; readonly reason: string }
  /** No pod left in the tenant's namespace; a running workload stops the restore here. */
  | { readonly kind: 'confirm-stopped'; readonly namespace: string }
  /** On-demand backup of the file system as it is now: the rollback point. */
  | { readonly kind: 'rollback-backup'; readonly vaultName: string; readonly resourceArn: string; readonly iamRoleArn: string }
  /** Item-level restore of the tenant's directory only, into a new file system. */
  | { readonly kind: 'restore-items'; readonly recoveryPointArn: string; readonly itemsToRestore: readonly string[] }
  /** Run by the operator (docs/operations/restore.md): the restored copy replaces the workspace, the old one is kept aside. */
  | { readonly kind: 'swap'; readonly namespace: string; readonly tenantDirectory: string }
  /** Run by the operator after the swap: `platform-admin resume <id>`. */
  | { readonly kind: 'resume' };

export interface RestorePlan {
  readonly tenantId: string;
  /** The time asked for (default: now). */
  readonly at: string;
  readonly recoveryPoint: { readonly arn: string; readonly createdAt: string; readonly vaultName: string };
  readonly target: BackupTarget;
  readonly tenantDirectory: string;
  readonly steps: readonly RestoreStep[];
}

export interface RestorePlanInput {
  readonly config: PlatformConfig;
  readonly tenantId: string;
  readonly at?: string;
  readonly now: Date;
  /** The tenant's registry record at the tip of the GitOps branch. */
  readonly record: TenantRecord | undefined;
  readonly target: BackupTarget | undefined;
  readonly recoveryPoints: readonly RecoveryPoint[];
}

/** Parses `--at`: an ISO 8601 time with a zone (`2026-11-19T18:00:00Z`), never in the future. */
export function parseRestoreTime(at: string, now: Date): Date {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(at) || Number.isNaN(Date.parse(at))) {
    throw new LifecycleUsageError(`--at "${at}" must be an ISO 8601 time with a zone, e.g. 2026-11-19T18:00:00Z`);
  }
  const time = new Date(at);
  if (time.getTime() > now.getTime()) throw new LifecycleUsageError(`--at ${at} is in the future`);
  return time;
}

export function buildRestorePlan(input: RestorePlanInput): RestorePlan {
  const tenantId = assertTenantId(input.tenantId);
  const at = input.at === undefined ? input.now : parseRestoreTime(input.at, input.now);
  if (!input.record) throw new LifecycleRefusal(`no tenant "${tenantId}" in the registry`);
  if (input.record.status === 'deleted')
    throw new LifecycleRefusal(`tenant "${tenantId}" is offboarded; its data is retained, but a restore only targets a live tenant`);
  if (!input.target)
    throw new LifecycleRefusal(
      `no backup plan ${tenantBackupPlanName(input.config.platformName)} with a file system selection: is the data stack deployed?`,
    );
  const candidates = input.recoveryPoints
    .filter((p) => RESTORABLE.has(p.status) && p.createdAt.getTime() <= at.getTime())
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const point = candidates[0];
  if (!point) {
    const oldest = [...input.recoveryPoints]
      .filter((p) => RESTORABLE.has(p.status))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
    throw new LifecycleRefusal(
      `no completed recovery point of ${input.target.fileSystemId} at or before ${toIsoSeconds(at)}${oldest ? `; the oldest is ${toIsoSeconds(oldest.createdAt)}` : '; there is none yet'}`,
    );
  }
  const names = tenantNames(tenantId);
  // Resumed afterwards only when the restore suspended it (now or in an earlier, interrupted run):
  // a tenant suspended for its budget or by an operator stays suspended.
  const resumeAfter = input.record.status === 'active' || input.record.statusReason === RESTORE_SUSPEND_REASON;
  const steps: RestoreStep[] = [
    ...(input.record.status === 'active' ? [{ kind: 'suspend', reason: RESTORE_SUSPEND_REASON } as const] : []),
    { kind: 'confirm-stopped', namespace: names.namespace },
    {
      kind: 'rollback-backup',
      vaultName: input.target.vaultName,
      resourceArn: input.target.fileSystemArn,
      iamRoleArn: input.target.backupRoleArn,
    },
    { kind: 'restore-items', recoveryPointArn: point.arn, itemsToRestore: [names.efsRootDirectory] },
    { kind: 'swap', namespace: names.namespace, tenantDirectory: names.efsRootDirectory },
    ...(resumeAfter ? [{ kind: 'resume' } as const] : []),
  ];
  return {
    tenantId,
    at: toIsoSeconds(at),
    recoveryPoint: { arn: point.arn, createdAt: toIsoSeconds(point.createdAt), vaultName: point.vaultName },
    target: input.target,
    tenantDirectory: names.efsRootDirectory,
    steps,
  };
}

/**
 * The restore metadata: the recovery point's own (encryption key, performance
 * mode), a new file system, and exactly the tenant's directory. Refuses
 * anything else, whatever the plan says: another tenant's path, a parent, a
 * path with `..`, or a restore into an existing file system.
 */
export function restoreMetadataFor(
  tenantId: string,
  itemsToRestore: readonly string[],
  recorded: Readonly<Record<string, string>>,
  creationToken: string,
): Record<string, string> {
  assertOnlyTenantDirectory(tenantId, itemsToRestore);
  const { ItemsToRestore: _items, newFileSystem: _new, CreationToken: _token, ...kept } = recorded;
  return { ...kept, newFileSystem: 'true', CreationToken: creationToken, ItemsToRestore: JSON.stringify(itemsToRestore) };
}

export function assertOnlyTenantDirectory(tenantId: string, itemsToRestore: readonly string[]): void {
  const own = tenantNames(tenantId).efsRootDirectory;
  if (itemsToRestore.length !== 1 || itemsToRestore[0] !== own) {
    throw new LifecycleRefusal(`a restore of tenant ${tenantId} restores exactly ${own}; refused: ${JSON.stringify(itemsToRestore)}`);
  }
}
