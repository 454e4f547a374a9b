/**
 * Offboarding one tenant: tombstone in the registry (the id stays taken for
 * ever) and its synthesized folder removed in one commit, so Argo CD prunes
 * the workload; then the Pod Identity association goes and the secret is
 * scheduled for deletion with a recovery window. Tenant data (the EFS access
 * point's directory) is deliberately untouched: it is retained and backed up,
 * and purged only by an explicit operator command.
 */
import { OffboardTenantJob, newTenantRecord, tenantNames, toIsoSeconds, tombstoneTenant, DEFAULT_RUNTIME_TIER, DEFAULT_TENANT_TIER } from '@openclaw-tenancy/shared';
import type { AdminNotifier } from '../ports/admin-notifier';
import type { GitOpsRepository } from '../ports/gitops-repository';
import type { TenantRecordCodec } from '../ports/manifest-renderer';
import type { PodIdentityAssociations } from '../ports/pod-identity';
import type { TenantProgress, TenantProgressRecord } from '../ports/tenant-progress';
import type { TenantSecrets } from '../ports/tenant-secrets';
import type { ActivityLog } from '../runtime/activity-log';
import { readPlatformConfig, readTenantRecord, tombstoneChange } from './tenant-gitops-changes';

/** Secrets Manager's longest recovery window: the most time to notice a mistaken offboarding. */
export const SECRET_RECOVERY_WINDOW_DAYS = 30;

export interface OffboardingSettings {
  readonly clusterName: string;
  readonly platformConfigPath: string;
}

export interface OffboardingDeps {
  readonly progress: TenantProgress;
  readonly secrets: TenantSecrets;
  readonly podIdentity: PodIdentityAssociations;
  readonly repository: GitOpsRepository;
  /** Registry files only: a tombstone has no folder, so offboarding never runs the charts. */
  readonly codec: TenantRecordCodec;
  readonly notifier: AdminNotifier;
  readonly log: ActivityLog;
  readonly now: () => Date;
}

export class OffboardingRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OffboardingRefusedError';
  }
}

export async function offboardTenant(job: OffboardTenantJob, settings: OffboardingSettings, deps: OffboardingDeps): Promise<{ commit?: string }> {
  const { progress, log } = deps;
  const names = tenantNames(job.tenantId);
  const state = await progress.get(job.tenantId);
  const at = () => toIsoSeconds(deps.now());
  let commit: string | undefined;

  if (!state?.offboarding.registry) {
    const tombstonedAt = deps.now();
    const result = await deps.repository.commit(`Offboard tenant ${job.tenantId} (${job.reason})\n\nTenant: ${job.tenantId}\n`, async (snapshot) => {
      // The platform config is not needed for a tombstone, but a repository without a
      // valid one is not the GitOps repository: refuse to write there.
      await readPlatformConfig(snapshot, settings.platformConfigPath, deps.codec);
      const existing = (await readTenantRecord(snapshot, job.tenantId, deps.codec)) ?? recordFromClaim(job.tenantId, state);
      return tombstoneChange(tombstoneTenant(existing, tombstonedAt, job.reason), deps.codec);
    });
    commit = result.commit;
    await progress.markOffboardingStep(job.tenantId, 'registry', at());
    log.info(result.changed ? 'tenant tombstoned in Git' : 'tenant already tombstoned in Git', { step: 'registry', commit });
  }

  const target = { clusterName: settings.clusterName, namespace: names.namespace, serviceAccount: names.serviceAccount };
  if (!state?.offboarding.podIdentity) {
    const outcome = await deps.podIdentity.remove(target);
    await progress.markOffboardingStep(job.tenantId, 'podIdentity', at());
    log.info('pod identity association removed', { step: 'podIdentity', outcome });
  }

  if (!state?.offboarding.secrets) {
    const outcome = await deps.secrets.scheduleDeletion(names.secretId('gateway'), SECRET_RECOVERY_WINDOW_DAYS);
    await progress.markOffboardingStep(job.tenantId, 'secrets', at());
    log.info('tenant secret deletion scheduled', { step: 'secrets', outcome, recoveryWindowDays: SECRET_RECOVERY_WINDOW_DAYS });
  }

  // Frees the tenant's unit of capacity exactly once.
  await progress.markDeleted(job.tenantId, at());
  if (!state?.offboarding.notified) {
    await deps.notifier.notify({ type: 'TenantOffboarded', tenantId: job.tenantId, at: at() });
    await progress.markOffboardingStep(job.tenantId, 'notified', at());
  }
  return commit ? { commit } : {};
}

/** A tenant offboarded before its first commit still gets a tombstone in the registry. */
function recordFromClaim(tenantId: string, state: TenantProgressRecord | undefined) {
  if (!state?.claimedAt || !state.owner) {
    throw new OffboardingRefusedError(`tenant ${tenantId} is neither in the registry nor claimed; nothing to offboard`);
  }
  return newTenantRecord({
    id: tenantId,
    owner: state.owner,
    tier: state.tier ?? DEFAULT_TENANT_TIER,
    runtime: state.runtime ?? DEFAULT_RUNTIME_TIER,
    createdAt: new Date(state.claimedAt),
  });
}
