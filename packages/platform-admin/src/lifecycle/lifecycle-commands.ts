/**
 * The tenant lifecycle as operator commands. Each one runs the platform's own
 * code path: `create` the PostConfirmation claim and the provisioning job,
 * `invite` the pool's AdminCreateUser and then the same claim and job,
 * `suspend`/`resume` the GitOps commit the cost enforcer makes, `offboard` the
 * job the offboarder consumes. None of them re-implements a step.
 */
import {
  ModelUsage,
  TenantClaimRefusedError,
  priceUsage,
  readRegistry,
  readTenantRecord,
  tenantFilesChange,
  InvitationRefusedError,
  claimAndProvision,
  inviteAndProvision,
  type Admission,
  type ClaimPolicy,
  type RepositorySnapshot,
  type TenantProgressRecord,
  PROVISIONING_STEPS,
} from '@openclaw-tenancy/lambdas';
import {
  OffboardTenantJob,
  STATUS_REASON_PATTERN,
  TENANT_STATUSES,
  TenantRecord,
  TenantStateError,
  TenantStatus,
  assertTenantId,
  deriveTenantIdBase,
  parseEmailAddress,
  parseTenantJob,
  type PlatformConfig,
  resumeTenant,
  suspendTenant,
  tenantIdCandidates,
  toIsoSeconds,
} from '@openclaw-tenancy/shared';
import type { TenantWorkloadReader, WorkloadState } from '../kubernetes/tenant-workload';
import { LifecycleRefusal } from './lifecycle-refusal';
import type { LifecyclePorts, PoolUser, ProgressReporter, TenantResourceView } from './lifecycle-ports';

const silent: ProgressReporter = () => undefined;

/** The reason recorded when an operator suspends without `--reason`. */
export const DEFAULT_SUSPEND_REASON = 'admin';
/** The reason recorded when an operator offboards without `--reason`. */
export const DEFAULT_OFFBOARD_REASON = 'offboarded';

function assertReason(reason: string): string {
  if (!STATUS_REASON_PATTERN.test(reason))
    throw new LifecycleUsageError(`--reason "${reason}" must match ${STATUS_REASON_PATTERN} (a short lower-case word, e.g. left-company)`);
  return reason;
}

/** Bad input detected before anything was read or changed. */
export class LifecycleUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LifecycleUsageError';
  }
}

// ---------------------------------------------------------------- create

export type CreateTarget = { readonly email: string } | { readonly sub: string };

export interface CreateResult {
  readonly dryRun: boolean;
  readonly owner: string;
  readonly email: string;
  /** The claimed id; with `--dry-run` the first candidate id (a later one is taken if it is not free). */
  readonly tenantId: string;
  /** False when the owner already held this claim (the provisioning job is sent again; the provisioner is idempotent). */
  readonly newlyClaimed: boolean;
  readonly admission?: Admission;
  readonly provisioningJobSent: boolean;
}

export async function createTenant(
  ports: LifecyclePorts,
  target: CreateTarget,
  options: { dryRun: boolean },
  progress: ProgressReporter = silent,
): Promise<CreateResult> {
  progress(`looking up ${'email' in target ? target.email : target.sub} in the user pool`);
  const user = 'email' in target ? await ports.userLookup.byEmail(target.email) : await ports.userLookup.bySub(target.sub);
  if (!user)
    throw new LifecycleRefusal(
      `no user ${'email' in target ? `with e-mail ${target.email}` : `with sub ${target.sub}`} in user pool ${ports.config.identity?.userPoolId ?? '(identity.userPoolId not set)'}`,
    );
  assertClaimable(user);
  const existing = await ports.claims.findClaimByOwner(user.sub);
  if (options.dryRun) {
    const tenantId = existing?.tenantId ?? tenantIdCandidates(deriveTenantIdBase(user.email), user.sub)[0] ?? '';
    return { dryRun: true, owner: user.sub, email: user.email, tenantId, newlyClaimed: !existing, provisioningJobSent: false };
  }
  progress('claiming a tenant id (the PostConfirmation claim transaction)');
  let claim;
  try {
    claim = await claimAndProvision(
      { sub: user.sub, email: user.email, userPoolId: user.userPoolId, userName: user.userName },
      claimPolicyOf(ports.config),
      {
        claims: ports.claims,
        now: ports.now,
        users: ports.users,
        queue: ports.provisioningQueue,
      },
    );
  } catch (e) {
    if (e instanceof TenantClaimRefusedError) throw new LifecycleRefusal(e.message);
    throw e;
  }
  progress(`claimed ${claim.tenantId}, recorded it on the user and sent the provisioning job`);
  return {
    dryRun: false,
    owner: user.sub,
    email: user.email,
    tenantId: claim.tenantId,
    newlyClaimed: claim.newlyClaimed,
    admission: claim.admission,
    provisioningJobSent: true,
  };
}

/** Users who can open a workspace: confirmed ones, and invited ones, who choose their password at first sign-in. */
const CLAIMABLE_USER_STATUSES: readonly string[] = ['CONFIRMED', 'FORCE_CHANGE_PASSWORD'];

/** The claim policy of the deployment: the same limits and tenant defaults PostConfirmation applies. */
function claimPolicyOf(config: PlatformConfig): ClaimPolicy {
  return {
    maxTenants: config.signup.maxTenants,
    confirmationsPerDomainPerHour: config.signup.confirmationsPerDomainPerHour,
    tier: config.tenantDefaults.tier,
    runtime: config.tenantDefaults.runtime,
  };
}

function assertClaimable(user: PoolUser): void {
  // PostConfirmation claims on confirmation; an unconfirmed or disabled user would get a workspace it cannot open.
  if (!CLAIMABLE_USER_STATUSES.includes(user.status))
    throw new LifecycleRefusal(
      `user ${user.email} (${user.sub}) is ${user.status}, not CONFIRMED: a tenant is created for a confirmed or invited user only`,
    );
  if (!user.enabled) throw new LifecycleRefusal(`user ${user.email} (${user.sub}) is disabled`);
}

// ---------------------------------------------------------------- invite

export interface InviteResult {
  readonly dryRun: boolean;
  readonly email: string;
  /** The new user's `sub` (absent on a dry run). */
  readonly owner?: string;
  readonly tenantId?: string;
  readonly admission?: Admission;
  readonly provisioningJobSent: boolean;
}

/**
 * Creates a user an administrator invites (Cognito e-mails a temporary
 * password; the user chooses their own at first sign-in) and claims and
 * provisions the workspace as a sign-up does, so it is ready when they arrive.
 */
export async function inviteUser(
  ports: LifecyclePorts,
  invitation: { email: string; name?: string },
  options: { dryRun: boolean },
  progress: ProgressReporter = silent,
): Promise<InviteResult> {
  let email: string;
  try {
    email = parseEmailAddress(invitation.email).address;
  } catch (e) {
    throw new LifecycleUsageError((e as Error).message);
  }
  progress(`looking up ${email} in the user pool`);
  if (await ports.userLookup.byEmail(email))
    throw new LifecycleRefusal(`${email} already has an account; give it a workspace with: platform-admin create --email ${email}`);
  if (options.dryRun) return { dryRun: true, email, provisioningJobSent: false };
  progress(`creating ${email} in the user pool (Cognito e-mails the temporary password), then claiming and provisioning`);
  try {
    const claim = await inviteAndProvision({ email, ...(invitation.name ? { name: invitation.name } : {}) }, claimPolicyOf(ports.config), {
      invitations: ports.invitations,
      claims: ports.claims,
      now: ports.now,
      users: ports.users,
      queue: ports.provisioningQueue,
    });
    return { dryRun: false, email, owner: claim.user.sub, tenantId: claim.tenantId, admission: claim.admission, provisioningJobSent: true };
  } catch (e) {
    if (e instanceof InvitationRefusedError || e instanceof TenantClaimRefusedError) throw new LifecycleRefusal(e.message);
    throw e;
  }
}

// ---------------------------------------------------------------- suspend / resume

export interface StatusChangeResult {
  readonly dryRun: boolean;
  readonly tenantId: string;
  readonly from: TenantStatus;
  readonly to: TenantStatus;
  /** False when the tenant already was in the target state (no commit). */
  readonly changed: boolean;
  /** Files the commit writes or removes. */
  readonly paths: readonly string[];
  readonly commit?: string;
}

export async function changeTenantStatus(
  ports: LifecyclePorts,
  tenantId: string,
  action: { readonly kind: 'suspend'; readonly reason: string } | { readonly kind: 'resume' },
  options: { dryRun: boolean },
  progress: ProgressReporter = silent,
): Promise<StatusChangeResult> {
  const id = assertTenantId(tenantId);
  if (action.kind === 'suspend') assertReason(action.reason);
  const next = (record: TenantRecord): TenantRecord => {
    try {
      return action.kind === 'suspend' ? suspendTenant(record, ports.now(), action.reason) : resumeTenant(record);
    } catch (e) {
      if (e instanceof TenantStateError) throw new LifecycleRefusal(e.message);
      throw e;
    }
  };
  const existing = async (snapshot: RepositorySnapshot): Promise<TenantRecord> => {
    const record = await readTenantRecord(snapshot, id, ports.renderer);
    if (!record)
      throw new LifecycleRefusal(`no tenant "${id}" in the registry (${ports.config.gitops.repoUrl} ${ports.config.gitops.branch})`);
    return record;
  };

  progress(`reading tenant ${id} from the GitOps registry`);
  const planned = await ports.repository.read(async (snapshot) => {
    const record = await existing(snapshot);
    const updated = next(record);
    const change = updated === record ? undefined : await tenantFilesChange(updated, ports.config, ports.renderer);
    return { from: record.status, to: updated.status, change };
  });
  const paths = (change: typeof planned.change) =>
    change ? [...change.writes.map((w) => w.path), ...change.removeDirectories.map((d) => `${d}/`)] : [];
  if (!planned.change || options.dryRun) {
    return { dryRun: options.dryRun, tenantId: id, from: planned.from, to: planned.to, changed: false, paths: paths(planned.change) };
  }

  progress(`${action.kind === 'suspend' ? 'suspending' : 'resuming'} ${id}: one commit of its registry file and re-synthesized folder`);
  let from = planned.from;
  let committedPaths: readonly string[] = [];
  const subject =
    action.kind === 'suspend'
      ? `Suspend tenant ${id}\n\nReason: ${action.reason}\nTenant: ${id}\n`
      : `Resume tenant ${id}\n\nTenant: ${id}\n`;
  const result = await ports.repository.commit(subject, async (snapshot) => {
    // Planned again on the tip this attempt builds on: the cost enforcer or another operator may have moved first.
    const record = await existing(snapshot);
    from = record.status;
    const updated = next(record);
    if (updated === record) {
      committedPaths = [];
      return { writes: [], removeDirectories: [] };
    }
    const change = await tenantFilesChange(updated, ports.config, ports.renderer);
    committedPaths = paths(change);
    return change;
  });
  return {
    dryRun: false,
    tenantId: id,
    from,
    to: action.kind === 'suspend' ? 'suspended' : 'active',
    changed: result.changed,
    paths: committedPaths,
    ...(result.changed ? { commit: result.commit } : {}),
  };
}

// ---------------------------------------------------------------- offboard

export interface OffboardResult {
  readonly dryRun: boolean;
  readonly job: OffboardTenantJob;
  readonly jobSent: boolean;
}

export async function sendOffboarding(
  ports: LifecyclePorts,
  tenantId: string,
  reason: string,
  options: { dryRun: boolean },
  progress: ProgressReporter = silent,
): Promise<OffboardResult> {
  const job: OffboardTenantJob = { type: 'offboard', tenantId: assertTenantId(tenantId), reason: assertReason(reason) };
  // The offboarder's own parser: a job it would refuse is never sent.
  const parsed = parseTenantJob(JSON.stringify(job));
  if (!parsed.job)
    throw new LifecycleUsageError(`the offboarding job would be refused: ${parsed.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);

  progress(`reading tenant ${job.tenantId} from the registry and the tenant table`);
  const [record, state] = await Promise.all([
    ports.repository.read((snapshot) => readTenantRecord(snapshot, job.tenantId, ports.renderer)),
    ports.progress.get(job.tenantId),
  ]);
  if (!record && !state) throw new LifecycleRefusal(`no tenant "${job.tenantId}": neither in the registry nor claimed`);
  if (state?.status === 'superseded')
    throw new LifecycleRefusal(`tenant id "${job.tenantId}" was superseded by "${state.supersededBy ?? '?'}"; offboard that one`);
  const tombstoned = record?.status === 'deleted' || (!record && state?.status === 'deleted');
  if (tombstoned && (!state || state.status === 'deleted')) throw new LifecycleRefusal(`tenant "${job.tenantId}" is already offboarded`);
  if (options.dryRun) return { dryRun: true, job, jobSent: false };
  progress(`sending the offboarding job for ${job.tenantId} to the offboarder's queue`);
  await ports.offboardingQueue.send(job);
  return { dryRun: false, job, jobSent: true };
}

// ---------------------------------------------------------------- list

/** A claim the provisioner has not committed to the registry yet (just created, or waiting for its admission window). */
export const PROVISIONING_STATUS = 'provisioning';
export const LIST_STATUSES = [...TENANT_STATUSES, PROVISIONING_STATUS] as const;

export interface TenantListEntry {
  readonly id: string;
  readonly status: TenantStatus | typeof PROVISIONING_STATUS;
  /** The tenant table's view (`claimed`, `provisioned`, `deleted`, `superseded`), or undefined for a tenant added with the `tenants` CLI. */
  readonly lifecycle?: TenantProgressRecord['status'];
  readonly tier: string;
  readonly owner: string;
  readonly createdAt: string;
  /** Nothing in the platform records a tenant's last activity yet: always null. */
  readonly lastActivity: null;
  /** Month-to-date Bedrock spend in USD (the cost enforcer's usage source and pricing); null for tombstones. */
  readonly monthToDateUsd: number | null;
  readonly monthlyBudgetUsd: number;
}

export interface TenantList {
  readonly month: string;
  readonly tenants: readonly TenantListEntry[];
}

export async function listTenants(
  ports: LifecyclePorts,
  filter: { status?: string },
  progress: ProgressReporter = silent,
): Promise<TenantList> {
  if (filter.status !== undefined && !(LIST_STATUSES as readonly string[]).includes(filter.status)) {
    throw new LifecycleUsageError(`--status must be one of ${LIST_STATUSES.join(', ')}`);
  }
  progress('reading the GitOps registry and the claims in the tenant table');
  const [registry, claimedIds] = await Promise.all([
    ports.repository.read((snapshot) => readRegistry(snapshot, ports.renderer)),
    ports.claimedTenantIds.list(),
  ]);
  const records = registry.filter((r) => filter.status === undefined || r.status === filter.status);

  const inRegistry = new Set(registry.map((r) => r.id));
  const pendingClaims =
    filter.status === undefined || filter.status === PROVISIONING_STATUS
      ? (
          await mapLimited(
            claimedIds.filter((id) => !inRegistry.has(id)),
            8,
            (id) => ports.progress.get(id),
          )
        ).filter((c): c is TenantProgressRecord => c !== undefined && (c.status === 'claimed' || c.status === 'provisioned'))
      : [];
  progress(`reading the tenant table for ${records.length} tenants`);
  const states = await mapLimited(records, 8, (r) => ports.progress.get(r.id));
  const live = records.filter((r) => r.status !== 'deleted');
  const now = ports.now();
  progress(`reading month-to-date Bedrock usage of ${live.length} tenants from CloudWatch`);
  const usage = await ports.usage.monthToDate(live, now, ports.config.models.bedrockRegion);
  const tenants = records.map((record, i): TenantListEntry => {
    const state = states[i];
    return {
      id: record.id,
      status: record.status,
      ...(state ? { lifecycle: state.status } : {}),
      tier: record.tier,
      owner: record.owner,
      createdAt: record.createdAt,
      lastActivity: null,
      monthToDateUsd: record.status === 'deleted' ? null : roundUsd(priceUsage(usage.get(record.id) ?? [], ports.config.models.catalog)),
      monthlyBudgetUsd: record.monthlyBudgetUsd ?? ports.config.budgets.defaultMonthlyUsd,
    };
  });
  const provisioning = pendingClaims.map((c): TenantListEntry => ({
    id: c.tenantId,
    status: PROVISIONING_STATUS,
    lifecycle: c.status,
    tier: c.tier ?? ports.config.tenantDefaults.tier,
    owner: c.owner,
    createdAt: c.claimedAt ?? '',
    lastActivity: null,
    monthToDateUsd: 0,
    monthlyBudgetUsd: ports.config.budgets.defaultMonthlyUsd,
  }));
  return { month: toIsoSeconds(now).slice(0, 7), tenants: [...tenants, ...provisioning].sort((a, b) => a.id.localeCompare(b.id)) };
}

// ---------------------------------------------------------------- show

export interface TenantDetails {
  readonly tenantId: string;
  /** The registry file at the tip of the GitOps branch. */
  readonly registry?: TenantRecord;
  /** The tenant item (claim, provisioning and offboarding steps). */
  readonly claim?: TenantProgressRecord;
  readonly admission?: Admission;
  /** Provisioning steps not recorded yet (empty once provisioned). */
  readonly provisioningPending: readonly string[];
  readonly resources: TenantResourceView;
  /** Month-to-date Bedrock usage and spend. */
  readonly usage: readonly ModelUsage[];
  readonly monthToDateUsd: number;
  /** The gateway's Deployment as the cluster reports it; absent when no cluster access was given. */
  readonly workload?: WorkloadState;
}

export async function showTenant(
  ports: LifecyclePorts,
  tenantId: string,
  progress: ProgressReporter = silent,
  workload?: TenantWorkloadReader,
): Promise<TenantDetails> {
  const id = assertTenantId(tenantId);
  progress(`reading ${id} from the registry and the tenant table`);
  const [registry, claim] = await Promise.all([
    ports.repository.read((snapshot) => readTenantRecord(snapshot, id, ports.renderer)),
    ports.progress.get(id),
  ]);
  if (!registry && !claim) throw new LifecycleRefusal(`no tenant "${id}": neither in the registry nor claimed`);
  progress(`reading what AWS holds for ${id} (secret, Pod Identity, inference profiles, usage)`);
  const [admission, resources, usage] = await Promise.all([
    claim ? ports.claims.admissionOf(id) : Promise.resolve(undefined),
    ports.resources.inspect(id),
    ports.usage.monthToDate(
      [{ id, ...(registry?.inferenceProfiles ? { inferenceProfiles: registry.inferenceProfiles } : {}) }],
      ports.now(),
      ports.config.models.bedrockRegion,
    ),
  ]);
  const tenantUsage = usage.get(id) ?? [];
  if (workload) progress(`reading the gateway Deployment and the Argo CD Application of ${id} from the cluster`);
  const workloadState = workload ? await workload.read(id) : undefined;
  return {
    tenantId: id,
    ...(registry ? { registry } : {}),
    ...(claim ? { claim } : {}),
    ...(admission ? { admission } : {}),
    provisioningPending: claim ? PROVISIONING_STEPS.filter((s) => !claim.provisioning[s]) : [],
    resources,
    usage: tenantUsage,
    monthToDateUsd: roundUsd(priceUsage(tenantUsage, ports.config.models.catalog)),
    ...(workloadState ? { workload: workloadState } : {}),
  };
}

const roundUsd = (usd: number): number => Math.round(usd * 100) / 100;

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
