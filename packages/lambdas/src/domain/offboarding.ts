/**
 * Offboarding one tenant: the owner's Cognito user disabled and signed out
 * globally (no sign-in, no refresh), then a tombstone in the registry (the id stays taken for
 * ever) and its folder reduced to the retained data in one commit, so Argo CD prunes
 * the workload, the route and the edge policy; then the Pod Identity association goes, the tenant's Bedrock
 * application inference profiles are deleted (the tombstone keeps the
 * registry's record of their ARNs), and the secret is scheduled for deletion
 * with a recovery window, and the output of the tenant's containers (its
 * prompts and tool output in the container log group) is erased. Tenant data (the EFS access
 * point's directory) is deliberately untouched: it is retained and backed up,
 * and purged only by an explicit operator command.
 */
import {
  OffboardTenantJob,
  PlatformConfig,
  TenantRecord,
  newTenantRecord,
  tenantNames,
  toIsoSeconds,
  tombstoneTenant,
  DEFAULT_RUNTIME_TIER,
  DEFAULT_TENANT_TIER,
  TENANT_SECRET_RECOVERY_WINDOW_DAYS,
} from '@openclaw-tenancy/shared';
import type { AdminNotifier } from '../ports/admin-notifier';
import type { GitOpsRepository } from '../ports/gitops-repository';
import type { InferenceProfiles } from '../ports/inference-profiles';
import type { ManifestRenderer } from '../ports/manifest-renderer';
import type { PodIdentityAssociations } from '../ports/pod-identity';
import type { TenantProgress, TenantProgressRecord } from '../ports/tenant-progress';
import type { TenantOutputLogs } from '../ports/tenant-output-logs';
import type { TenantSecrets } from '../ports/tenant-secrets';
import type { UserAccess } from '../ports/user-directory';
import type { ActivityLog } from '../runtime/activity-log';
import { readTenantRecord, tenantFilesChange } from './tenant-gitops-changes';

export interface OffboardingSettings {
  readonly clusterName: string;
  /** The platform config this deployment runs with; never read from the branch the offboarder writes. */
  readonly platformConfig: PlatformConfig;
}

export interface OffboardingDeps {
  readonly progress: TenantProgress;
  /** The owner's Cognito user: disabled and signed out everywhere, first. */
  readonly userAccess: UserAccess;
  readonly secrets: TenantSecrets;
  /**
   * Where the tenant's container output is kept off the cluster; erased on every run (idempotent).
   * @default - nothing to erase (the local platform keeps container output on the machine)
   */
  readonly tenantOutput?: TenantOutputLogs;
  readonly podIdentity: PodIdentityAssociations;
  /** The tenant's Bedrock application inference profiles (Bedrock in AWS, in memory locally). */
  readonly inferenceProfiles: InferenceProfiles;
  readonly repository: GitOpsRepository;
  /** The registry file format and the charts, which reduce a tombstone's folder to its retained data. */
  readonly renderer: ManifestRenderer;
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

export async function offboardTenant(
  job: OffboardTenantJob,
  settings: OffboardingSettings,
  deps: OffboardingDeps,
): Promise<{ commit?: string }> {
  const { progress, log } = deps;
  const names = tenantNames(job.tenantId);
  const state = await progress.get(job.tenantId);
  const at = () => toIsoSeconds(deps.now());
  let commit: string | undefined;
  /** What the registry step saw (the config names the Bedrock region, the record the profiles). */
  let seen: { config: PlatformConfig; record: TenantRecord } | undefined;

  // First: from here on the owner can neither sign in nor refresh a session, whatever later steps do.
  if (state && !state.offboarding.userAccess) {
    if (state.user) {
      const outcome = await deps.userAccess.revoke(state.user);
      log.info('owner disabled and signed out globally', { step: 'userAccess', outcome });
    } else {
      log.warn('no Cognito user recorded with this claim: disable the owner in the user pool by hand', {
        step: 'userAccess',
        owner: state.owner,
      });
    }
    await progress.markOffboardingStep(job.tenantId, 'userAccess', at());
  } else if (!state) {
    log.warn('no claim for this tenant (added with the CLI): disable its owner in the user pool by hand', { step: 'userAccess' });
  }

  if (!state?.offboarding.registry) {
    const tombstonedAt = deps.now();
    const result = await deps.repository.commit(
      `Offboard tenant ${job.tenantId} (${job.reason})\n\nTenant: ${job.tenantId}\n`,
      async (snapshot) => {
        const config = settings.platformConfig;
        const existing = (await readTenantRecord(snapshot, job.tenantId, deps.renderer)) ?? recordFromClaim(job.tenantId, state);
        // The tombstone keeps everything the record had, its inferenceProfiles included.
        const tombstone = tombstoneTenant(existing, tombstonedAt, job.reason);
        seen = { config, record: tombstone };
        return tenantFilesChange(tombstone, config, deps.renderer);
      },
    );
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

  if (!state?.offboarding.inferenceProfiles) {
    const { config, record } =
      seen ??
      (await deps.repository.read(async (snapshot) => ({
        config: settings.platformConfig,
        record: await readTenantRecord(snapshot, job.tenantId, deps.renderer),
      })));
    // Every profile named like the tenant's or recorded in its registry entry, but only
    // those tagged with its namespace (a name prefix alone could match another tenant's).
    const outcome = await deps.inferenceProfiles.removeTenantProfiles(config.models.bedrockRegion, {
      namespace: names.namespace,
      namePrefix: names.inferenceProfileName(''),
      knownArns: Object.values(record?.inferenceProfiles ?? {}),
    });
    await progress.markOffboardingStep(job.tenantId, 'inferenceProfiles', at());
    log.info('inference profiles deleted', { step: 'inferenceProfiles', deleted: outcome.deleted, notTheTenants: outcome.notTheTenants });
  }

  if (!state?.offboarding.secrets) {
    const outcome = await deps.secrets.scheduleDeletion(names.secretId('gateway'), TENANT_SECRET_RECOVERY_WINDOW_DAYS);
    await progress.markOffboardingStep(job.tenantId, 'secrets', at());
    log.info('tenant secret deletion scheduled', { step: 'secrets', outcome, recoveryWindowDays: TENANT_SECRET_RECOVERY_WINDOW_DAYS });
  }

  // Not a recorded step: pods may still write until Argo CD prunes them, so every run (a redelivery, a
  // later replay) erases what has appeared since; what is written after the last run expires with the retention.
  if (deps.tenantOutput) {
    const outcome = await deps.tenantOutput.eraseNamespace(names.namespace);
    log.info('tenant container output erased', { step: 'containerOutput', deletedStreams: outcome.deleted });
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
