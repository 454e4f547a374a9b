/**
 * The provisioner's work for one claimed tenant. Each step is idempotent on
 * its own (create-if-absent, no-op commits) and is recorded on the tenant
 * item once done, so a retry after a crash anywhere redoes at most the step
 * that was interrupted and the end state is the same as after one clean run.
 */
import { randomBytes } from 'node:crypto';
import {
  DEFAULT_RUNTIME_TIER,
  OPERATOR_PASSWORD_KEY,
  DEFAULT_TENANT_TIER,
  ProvisionTenantJob,
  TAG_TENANT,
  TAG_TENANT_NAMESPACE,
  TenantRecord,
  newTenantRecord,
  tenantNames,
  toIsoSeconds,
} from '@openclaw-tenancy/shared';
import type { AdminNotifier } from '../ports/admin-notifier';
import type { GitOpsRepository } from '../ports/gitops-repository';
import type { JobQueue } from '../ports/job-queue';
import type { ManifestRenderer } from '../ports/manifest-renderer';
import type { PodIdentityAssociations } from '../ports/pod-identity';
import type { TenantProgress } from '../ports/tenant-progress';
import type { TenantSecrets } from '../ports/tenant-secrets';
import type { ActivityLog } from '../runtime/activity-log';
import { readPlatformConfig, readTenantRecord, tenantFilesChange } from './tenant-gitops-changes';

export interface ProvisioningSettings {
  readonly clusterName: string;
  readonly tenantRoleArn: string;
  readonly platformConfigPath: string;
  /** `https://ai.example.com`; the workspace URL is this plus the tenant's route path. */
  readonly workspaceBaseUrl: string;
}

export interface ProvisioningDeps {
  readonly progress: TenantProgress;
  readonly secrets: TenantSecrets;
  readonly podIdentity: PodIdentityAssociations;
  readonly repository: GitOpsRepository;
  readonly renderer: ManifestRenderer;
  readonly notifier: AdminNotifier;
  readonly queue: JobQueue;
  readonly log: ActivityLog;
  readonly now: () => Date;
}

export type ProvisioningOutcome =
  | { readonly kind: 'provisioned'; readonly commit: string }
  | { readonly kind: 'already-provisioned' }
  | { readonly kind: 'skipped-deleted' };

/** A job that can never succeed (retrying would only fill the dead-letter queue later). */
export class ProvisioningRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProvisioningRefusedError';
  }
}

/**
 * Puts a job whose tenant was admitted into a later window (the domain's
 * confirmations were used up, see ADR 0200) back on the queue until then; SQS
 * holds a message back 15 minutes at most, so a long wait takes several rounds.
 * Returns the admission time when the job was put back.
 */
export async function deferUntilAdmitted(
  job: ProvisionTenantJob,
  deps: Pick<ProvisioningDeps, 'progress' | 'queue' | 'log' | 'now'>,
): Promise<string | undefined> {
  const state = await deps.progress.get(job.tenantId);
  const now = deps.now().getTime();
  if (!state?.admitAt || state.status !== 'claimed' || Date.parse(state.admitAt) <= now) return undefined;
  await deps.queue.send(job, (Date.parse(state.admitAt) - now) / 1000);
  deps.log.info('provisioning deferred to the domain admission window', { admitAt: state.admitAt });
  return state.admitAt;
}

export async function provisionTenant(job: ProvisionTenantJob, settings: ProvisioningSettings, deps: ProvisioningDeps): Promise<ProvisioningOutcome> {
  const { progress, log } = deps;
  const state = await progress.get(job.tenantId);
  if (!state) throw new ProvisioningRefusedError(`tenant ${job.tenantId} has no claim; an unclaimed id is never provisioned`);
  if (state.owner !== job.owner) throw new ProvisioningRefusedError(`the job's owner does not match the claim of tenant ${job.tenantId}`);
  if (state.status === 'deleted') return { kind: 'skipped-deleted' };
  if (state.status === 'provisioned' && state.provisioning.notified) return { kind: 'already-provisioned' };

  const names = tenantNames(job.tenantId);
  const at = () => toIsoSeconds(deps.now());
  const fresh = newTenantRecord({
    id: job.tenantId,
    owner: job.owner,
    tier: state.tier ?? DEFAULT_TENANT_TIER,
    runtime: state.runtime ?? DEFAULT_RUNTIME_TIER,
    createdAt: new Date(job.claimedAt),
  });

  if (!state.provisioning.manifests && (!state.provisioning.secrets || !state.provisioning.podIdentity)) {
    // Before creating anything in AWS: an id that the registry already gives to
    // somebody else (an operator's `tenants add`, a tombstone) is refused here,
    // not after a secret and an AWS role binding were made for the wrong owner.
    await deps.repository.read(async (snapshot) => registryRecordFor(await readTenantRecord(snapshot, job.tenantId, deps.renderer), fresh));
  }

  if (!state.provisioning.secrets) {
    // The value is only used if the secret is created: an existing secret keeps its
    // password (the reference rotated it on every re-run and locked users out).
    const outcome = await deps.secrets.ensure({
      secretId: names.secretId('gateway'),
      tags: { [TAG_TENANT]: job.tenantId, [TAG_TENANT_NAMESPACE]: names.namespace },
      initialValue: JSON.stringify({ [OPERATOR_PASSWORD_KEY]: randomBytes(32).toString('base64url') }),
    });
    await progress.markProvisioningStep(job.tenantId, 'secrets', at());
    log.info('tenant secret ensured', { step: 'secrets', outcome });
  }

  if (!state.provisioning.podIdentity) {
    const outcome = await deps.podIdentity.ensure(
      { clusterName: settings.clusterName, namespace: names.namespace, serviceAccount: names.serviceAccount },
      settings.tenantRoleArn,
    );
    await progress.markProvisioningStep(job.tenantId, 'podIdentity', at());
    log.info('pod identity association ensured', { step: 'podIdentity', outcome });
  }

  let commit = state.manifestsCommit;
  if (!state.provisioning.manifests || !commit) {
    const result = await deps.repository.commit(`Provision tenant ${job.tenantId}\n\nTenant: ${job.tenantId}\n`, async (snapshot) => {
      const config = await readPlatformConfig(snapshot, settings.platformConfigPath, deps.renderer);
      const record = registryRecordFor(await readTenantRecord(snapshot, job.tenantId, deps.renderer), fresh);
      return tenantFilesChange(record, config, deps.renderer);
    });
    commit = result.commit;
    await progress.markProvisioningStep(job.tenantId, 'manifests', at(), { manifestsCommit: commit });
    log.info(result.changed ? 'tenant manifests committed' : 'tenant manifests already in Git', { step: 'manifests', commit });
  }

  if (!state.provisioning.notified) {
    // At least once: a crash between publishing and recording repeats the notice, never loses it.
    await deps.notifier.notify(
      { type: 'TenantManifestsCommitted', tenantId: job.tenantId, at: at(), commit },
      `${settings.workspaceBaseUrl}${names.routePath}/`,
    );
    await progress.markProvisioningStep(job.tenantId, 'notified', at());
  }
  await progress.markProvisioned(job.tenantId, at());
  return { kind: 'provisioned', commit };
}

/**
 * The record to write: the one already in Git when it belongs to this owner
 * (a replay, or an edit by an operator such as a tier change, is kept), else a fresh one.
 */
function registryRecordFor(existing: TenantRecord | undefined, fresh: TenantRecord): TenantRecord {
  if (!existing) return fresh;
  if (existing.owner !== fresh.owner) {
    throw new ProvisioningRefusedError(
      `${tenantNames(fresh.id).registryFile} in the GitOps repository already belongs to another owner; refusing to overwrite it ` +
        `(the tenant table claimed ${fresh.id} for this sign-up, so the two disagree: an operator must resolve it)`,
    );
  }
  if (existing.status === 'deleted') throw new ProvisioningRefusedError(`tenant ${fresh.id} is a tombstone in the registry; it is never re-provisioned`);
  return existing;
}
