/**
 * The provisioner's work for one claimed tenant. Each step is idempotent on
 * its own (create-if-absent, no-op commits) and is recorded on the tenant
 * item once done, so a retry after a crash anywhere redoes at most the step
 * that was interrupted and the end state is the same as after one clean run.
 *
 * An id that the GitOps registry already gives to somebody else (an operator
 * added it with the `tenants` CLI, so it exists only in Git and PostConfirmation
 * could claim it) is not a dead end: the claim moves to the owner's next
 * candidate id, the user's `custom:tenant_id` follows, and provisioning goes on
 * under the new id (ADR 0203).
 */
import { randomBytes } from 'node:crypto';
import {
  modelSourceArn,
  DEFAULT_RUNTIME_TIER,
  OPERATOR_PASSWORD_KEY,
  DEFAULT_TENANT_TIER,
  APPLICATION_INFERENCE_PROFILE_ARN,
  PlatformConfig,
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
import type { InferenceProfiles } from '../ports/inference-profiles';
import type { JobQueue } from '../ports/job-queue';
import type { ManifestRenderer } from '../ports/manifest-renderer';
import type { PodIdentityAssociations } from '../ports/pod-identity';
import type { TenantClaims } from '../ports/tenant-claims';
import type { TenantProgress, TenantProgressRecord } from '../ports/tenant-progress';
import type { TenantSecrets } from '../ports/tenant-secrets';
import type { UserDirectory } from '../ports/user-directory';
import type { ActivityLog } from '../runtime/activity-log';
import { inferenceProfileRequestToken, partitionOfRegion } from './bedrock-model-source';
import { readTenantRecord, tenantFilesChange } from './tenant-gitops-changes';
import { moveClaimToNextCandidate } from './tenant-claim';

export interface ProvisioningSettings {
  readonly clusterName: string;
  readonly tenantRoleArn: string;
  /** The platform config this deployment runs with; never read from the branch the provisioner writes. */
  readonly platformConfig: PlatformConfig;
  /** `https://ai.example.com`; the workspace URL is this plus the tenant's route path. */
  readonly workspaceBaseUrl: string;
}

export interface ProvisioningDeps {
  readonly progress: TenantProgress;
  readonly secrets: TenantSecrets;
  readonly podIdentity: PodIdentityAssociations;
  /** The tenant's Bedrock application inference profiles (Bedrock in AWS, in memory locally). */
  readonly inferenceProfiles: InferenceProfiles;
  readonly repository: GitOpsRepository;
  readonly renderer: ManifestRenderer;
  readonly notifier: AdminNotifier;
  readonly queue: JobQueue;
  /** Moves a claim whose id the registry gives to somebody else (PostConfirmation's claim transaction). */
  readonly claims: TenantClaims;
  /** Records the moved claim's id on the user (`custom:tenant_id`). */
  readonly users: UserDirectory;
  readonly log: ActivityLog;
  readonly now: () => Date;
}

/** `tenantId` is where the job ended: the job's id, or the one its claim moved to. */
export type ProvisioningOutcome =
  | { readonly kind: 'provisioned'; readonly tenantId: string; readonly commit: string }
  | { readonly kind: 'already-provisioned'; readonly tenantId: string }
  | { readonly kind: 'skipped-deleted'; readonly tenantId: string };

/** A job that can never succeed (retrying would only fill the dead-letter queue later). */
export class ProvisioningRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProvisioningRefusedError';
  }
}

/** The registry gives the id to another owner (as an active tenant or a tombstone): the claim must move. */
class RegistryIdTakenError extends Error {
  constructor(readonly tenantId: string) {
    super(`${tenantNames(tenantId).registryFile} in the GitOps repository already belongs to another owner`);
    this.name = 'RegistryIdTakenError';
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

export async function provisionTenant(
  job: ProvisionTenantJob,
  settings: ProvisioningSettings,
  deps: ProvisioningDeps,
): Promise<ProvisioningOutcome> {
  let tenantId = job.tenantId;
  const visited = new Set<string>();
  for (;;) {
    // Each move claims an id never held before, and there are at most ten candidates.
    if (visited.has(tenantId)) throw new Error(`the claim of owner ${job.owner} moved in a circle through ${[...visited].join(', ')}`);
    visited.add(tenantId);
    const state = await deps.progress.get(tenantId);
    if (!state) throw new ProvisioningRefusedError(`tenant ${tenantId} has no claim; an unclaimed id is never provisioned`);
    if (state.owner !== job.owner) throw new ProvisioningRefusedError(`the job's owner does not match the claim of tenant ${tenantId}`);
    if (state.status === 'superseded') {
      // A replay after the claim moved (possibly before the crash that caused the replay).
      if (!state.supersededBy) throw new Error(`tenant ${tenantId} is superseded but records no successor`);
      tenantId = state.supersededBy;
      continue;
    }
    try {
      return await provisionClaim(tenantId === job.tenantId ? job : { ...job, tenantId }, state, tenantId !== job.tenantId, settings, deps);
    } catch (e) {
      if (!(e instanceof RegistryIdTakenError)) throw e;
      tenantId = (await moveClaim(state, e, deps)).tenantId;
    }
  }
}

async function provisionClaim(
  job: ProvisionTenantJob,
  state: TenantProgressRecord,
  moved: boolean,
  settings: ProvisioningSettings,
  deps: ProvisioningDeps,
): Promise<ProvisioningOutcome> {
  const { progress, log } = deps;
  const { tenantId } = job;
  if (state.status === 'deleted') return { kind: 'skipped-deleted', tenantId };
  if (state.status === 'provisioned' && state.provisioning.notified) return { kind: 'already-provisioned', tenantId };

  const names = tenantNames(tenantId);
  const at = () => toIsoSeconds(deps.now());
  const fresh = newTenantRecord({
    id: tenantId,
    owner: job.owner,
    tier: state.tier ?? DEFAULT_TENANT_TIER,
    runtime: state.runtime ?? DEFAULT_RUNTIME_TIER,
    createdAt: new Date(job.claimedAt),
  });
  const needsCommit = !state.provisioning.manifests || !state.manifestsCommit;

  // Before creating anything in AWS: an id that the registry already gives to
  // somebody else (an operator's `tenants add`, a tombstone) is not provisioned
  // here, and no secret or AWS role binding is made for the wrong owner.
  const config = needsCommit
    ? await deps.repository.read(async (snapshot) => {
        registryRecordFor(await readTenantRecord(snapshot, tenantId, deps.renderer), fresh);
        return settings.platformConfig;
      })
    : undefined;

  if (moved && !state.provisioning.notified && state.user) {
    // The claim moved here: the user's attribute still names the old id (again after a crash: same value).
    await deps.users.recordTenantId({ userPoolId: state.user.userPoolId, userName: state.user.userName, tenantId });
    log.info('moved tenant id recorded on the user', { step: 'userAttribute' });
  }

  if (!state.provisioning.secrets) {
    // The value is only used if the secret is created: an existing secret keeps its
    // password, so a re-run never rotates it and locks the user out.
    const outcome = await deps.secrets.ensure({
      secretId: names.secretId('gateway'),
      tags: { [TAG_TENANT]: tenantId, [TAG_TENANT_NAMESPACE]: names.namespace },
      initialValue: JSON.stringify({ [OPERATOR_PASSWORD_KEY]: randomBytes(32).toString('base64url') }),
    });
    await progress.markProvisioningStep(tenantId, 'secrets', at());
    log.info('tenant secret ensured', { step: 'secrets', outcome });
  }

  if (!state.provisioning.podIdentity) {
    const outcome = await deps.podIdentity.ensure(
      { clusterName: settings.clusterName, namespace: names.namespace, serviceAccount: names.serviceAccount },
      settings.tenantRoleArn,
    );
    await progress.markProvisioningStep(tenantId, 'podIdentity', at());
    log.info('pod identity association ensured', { step: 'podIdentity', outcome });
  }

  let commit = state.manifestsCommit;
  if (config) {
    // Not a recorded step: its result (the ARNs) goes into the commit, and ensuring
    // again finds every profile by name, so a retry never creates a second one.
    const profiles = await ensureInferenceProfiles(tenantId, config, deps);
    const result = await deps.repository.commit(`Provision tenant ${tenantId}\n\nTenant: ${tenantId}\n`, async (snapshot) => {
      const record = registryRecordFor(await readTenantRecord(snapshot, tenantId, deps.renderer), fresh);
      return tenantFilesChange({ ...record, inferenceProfiles: { ...record.inferenceProfiles, ...profiles } }, config, deps.renderer);
    });
    commit = result.commit;
    await progress.markProvisioningStep(tenantId, 'manifests', at(), { manifestsCommit: commit });
    log.info(result.changed ? 'tenant manifests committed' : 'tenant manifests already in Git', { step: 'manifests', commit });
  }

  if (!commit) throw new Error(`tenant ${tenantId} has no manifests commit`); // unreachable: no commit means needsCommit

  if (!state.provisioning.notified) {
    // At least once: a crash between publishing and recording repeats the notice, never loses it.
    await deps.notifier.notify(
      { type: 'TenantManifestsCommitted', tenantId, at: at(), commit },
      `${settings.workspaceBaseUrl}${names.routePath}/`,
    );
    await progress.markProvisioningStep(tenantId, 'notified', at());
  }
  await progress.markProvisioned(tenantId, at());
  return { kind: 'provisioned', tenantId, commit };
}

/**
 * One application inference profile per catalog model in `models.bedrockRegion`
 * (ADR 0102), found by name or created from the catalog's system profile or
 * foundation model, tagged with the tenant and its namespace. Returns alias → ARN.
 */
async function ensureInferenceProfiles(
  tenantId: string,
  config: PlatformConfig,
  deps: Pick<ProvisioningDeps, 'inferenceProfiles' | 'log'>,
): Promise<Record<string, string>> {
  const names = tenantNames(tenantId);
  const region = config.models.bedrockRegion;
  const ctx = { partition: partitionOfRegion(region), account: config.aws.account, bedrockRegion: region };
  const catalog = config.models.catalog;
  const ensured = await deps.inferenceProfiles.ensure(
    region,
    catalog.map((model) => ({
      name: names.inferenceProfileName(model.alias),
      copyFrom: modelSourceArn(model.id, ctx),
      tags: { [TAG_TENANT]: tenantId, [TAG_TENANT_NAMESPACE]: names.namespace },
      clientRequestToken: inferenceProfileRequestToken(tenantId, model.alias),
    })),
  );
  const arns: Record<string, string> = {};
  catalog.forEach((model, i) => {
    const arn = ensured[i]?.arn;
    if (!arn || !APPLICATION_INFERENCE_PROFILE_ARN.test(arn))
      throw new Error(`no application inference profile ARN for ${names.inferenceProfileName(model.alias)}: ${String(arn)}`);
    arns[model.alias] = arn;
  });
  const created = ensured.filter((p) => p.outcome === 'created').map((p) => p.name);
  deps.log.info('inference profiles ensured', { step: 'inferenceProfiles', region, created, existed: ensured.length - created.length });
  return arns;
}

/** Moves the claim off an id the registry gives to somebody else, to the owner's next free candidate. */
async function moveClaim(state: TenantProgressRecord, taken: RegistryIdTakenError, deps: ProvisioningDeps) {
  if (!state.idBase || !state.user || !state.claimedAt) {
    throw new ProvisioningRefusedError(
      `${taken.message}; refusing to overwrite it, and this claim (made before the Cognito user was recorded with it) cannot be moved to another id: an operator must resolve it`,
    );
  }
  const claim = await moveClaimToNextCandidate(
    {
      tenantId: state.tenantId,
      owner: state.owner,
      claimedAt: state.claimedAt,
      tier: state.tier ?? DEFAULT_TENANT_TIER,
      runtime: state.runtime ?? DEFAULT_RUNTIME_TIER,
      idBase: state.idBase,
      user: state.user,
    },
    deps,
  );
  deps.log.info('tenant id belongs to another owner in the registry; the claim moved to the next candidate', {
    from: state.tenantId,
    to: claim.tenantId,
  });
  return claim;
}

/**
 * The record to write: the one already in Git when it belongs to this owner
 * (a replay, or an edit by an operator such as a tier change, is kept), else a fresh one.
 */
function registryRecordFor(existing: TenantRecord | undefined, fresh: TenantRecord): TenantRecord {
  if (!existing) return fresh;
  if (existing.owner !== fresh.owner) throw new RegistryIdTakenError(fresh.id);
  // This owner's own tenant was removed by an operator: never re-provisioned, under this id or another.
  if (existing.status === 'deleted')
    throw new ProvisioningRefusedError(`tenant ${fresh.id} is a tombstone in the registry; it is never re-provisioned`);
  return existing;
}
