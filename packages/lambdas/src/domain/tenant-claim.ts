/**
 * PostConfirmation policy: give a confirmed owner exactly one tenant id, for
 * ever. Each attempt is one DynamoDB transaction (tenant item, owner item,
 * capacity counter, domain confirmation slot), so a crash or a Cognito retry at
 * any point leaves either nothing or a complete claim, and a retry by the same
 * `sub` finds its claim instead of making a second one.
 */
import {
  EmailAddress,
  InvalidEmailError,
  RuntimeTier,
  TenantTier,
  deriveTenantIdBase,
  parseEmailAddress,
  tenantIdCandidates,
  toIsoSeconds,
} from '@openclaw-tenancy/shared';
import type { JobQueue } from '../ports/job-queue';
import type { Admission, ClaimedUser, OwnerClaim, TenantClaims } from '../ports/tenant-claims';
import type { UserDirectory, UserInvitation, UserInvitations } from '../ports/user-directory';
import { HourWindow, hourWindowOf, windowAfter } from './hour-window';
import { hashMailbox } from './sign-up-guard';
import { CAPACITY_REACHED_MESSAGE } from './sign-up-refusal';

/** How many later windows a deferred admission probes before it gives up counting (see ADR 0200). */
export const MAX_DEFERRED_WINDOWS = 24;

export interface ClaimPolicy {
  readonly maxTenants: number;
  readonly confirmationsPerDomainPerHour: number;
  readonly tier: TenantTier;
  readonly runtime: RuntimeTier;
}

export interface ClaimDeps {
  readonly claims: TenantClaims;
  readonly now: () => Date;
}

export interface ClaimResult extends OwnerClaim {
  readonly admission: Admission;
  /** False when the owner already had this claim (a retry or a duplicate confirmation). */
  readonly newlyClaimed: boolean;
}

/** Refusal shown to the user by Cognito ("PostConfirmation failed with error <message>."). */
export class TenantClaimRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TenantClaimRefusedError';
  }
}

export async function claimTenant(
  input: { owner: string; email: string; user?: ClaimedUser },
  policy: ClaimPolicy,
  deps: ClaimDeps,
): Promise<ClaimResult> {
  const address = parseOwnerAddress(input.email);
  const mailbox = mailboxOf(address);
  const idBase = deriveTenantIdBase(address);
  // No read first: the transaction's owner item decides, and a retry by the
  // same `sub` fails on it and reads its claim (one round trip less per sign-up).
  const now = deps.now();
  const claimedAt = toIsoSeconds(now);
  const window = hourWindowOf(now);
  let domainSlot: { domain: string; window: HourWindow; limit: number } | undefined = {
    domain: address.domain,
    window,
    limit: policy.confirmationsPerDomainPerHour,
  };
  return claimFirstFreeCandidate(idBase, input.owner, async (tenantId) => {
    for (;;) {
      const outcome = await deps.claims.claim({
        tenantId,
        owner: input.owner,
        claimedAt,
        tier: policy.tier,
        runtime: policy.runtime,
        maxTenants: policy.maxTenants,
        mailbox,
        idBase,
        ...(input.user ? { user: input.user } : {}),
        ...(domainSlot ? { domainSlot } : {}),
      });
      if (outcome.kind === 'claimed') {
        // Claimed with this window's slot: admitted now, nothing to read back.
        if (domainSlot) return { tenantId, claimedAt, admission: { kind: 'immediate' }, newlyClaimed: true };
        return settleAdmission({ tenantId, claimedAt }, true, address.domain, policy, deps);
      }
      if (outcome.kind === 'owner-has-claim') return settleAdmission(outcome.claim, false, address.domain, policy, deps);
      if (outcome.kind === 'capacity-reached') throw new TenantClaimRefusedError(CAPACITY_REACHED_MESSAGE);
      if (outcome.kind === 'mailbox-has-claim') throw new TenantClaimRefusedError(MAILBOX_HAS_TENANT_MESSAGE);
      if (outcome.kind === 'domain-slot-refused') {
        // Many confirmations raced for the last slots: claim anyway (the user is
        // already confirmed) and defer provisioning to a later window.
        domainSlot = undefined;
        continue;
      }
      return ID_TAKEN; // by another owner or a tombstone: next candidate
    }
  });
}

/** The claim being moved away from an id the GitOps registry gives to somebody else (see the provisioner). */
/** A user of the pool who is to have a workspace: its `sub`, e-mail and where Cognito keeps it. */
export interface UserToProvision {
  readonly sub: string;
  readonly email: string;
  readonly userPoolId: string;
  readonly userName: string;
}

export interface ClaimAndProvisionDeps extends ClaimDeps {
  readonly users: UserDirectory;
  readonly queue: JobQueue;
}

/**
 * How every user gets a workspace — a confirmed sign-up (PostConfirmation), a
 * user an operator creates or invites: the claim transaction, the tenant id
 * recorded on the user, and the provisioning job (delayed until a deferred
 * admission's window opens). Safe to repeat: a retry finds the claim, writes
 * the same attribute and sends a job the provisioner handles once per tenant.
 */
export async function claimAndProvision(user: UserToProvision, policy: ClaimPolicy, deps: ClaimAndProvisionDeps): Promise<ClaimResult> {
  // The Cognito user is recorded with the claim: should the GitOps registry give the id
  // to somebody else, the provisioner moves the claim and updates this user's attribute.
  const claim = await claimTenant(
    { owner: user.sub, email: user.email, user: { userPoolId: user.userPoolId, userName: user.userName } },
    policy,
    deps,
  );
  const delaySeconds =
    claim.admission.kind === 'reserved' ? Math.max(0, (Date.parse(claim.admission.admitAt) - deps.now().getTime()) / 1000) : 0;
  // Independent of each other, so concurrent: if either fails the caller fails and repeats both harmlessly.
  await Promise.all([
    deps.users.recordTenantId({ userPoolId: user.userPoolId, userName: user.userName, tenantId: claim.tenantId }),
    deps.queue.send({ type: 'provision', tenantId: claim.tenantId, owner: user.sub, claimedAt: claim.claimedAt }, delaySeconds),
  ]);
  return claim;
}

/**
 * An administrator's invitation: the user created with a temporary password
 * (Cognito e-mails it; the user chooses their own at first sign-in), then the
 * same claim and provisioning as a sign-up, so the workspace is ready when
 * they arrive.
 */
export async function inviteAndProvision(
  invitation: UserInvitation,
  policy: ClaimPolicy,
  deps: ClaimAndProvisionDeps & { readonly invitations: UserInvitations },
): Promise<ClaimResult & { readonly user: UserToProvision }> {
  const user = await deps.invitations.invite(invitation);
  return { ...(await claimAndProvision(user, policy, deps)), user };
}

export interface ClaimToMove {
  readonly tenantId: string;
  readonly owner: string;
  readonly claimedAt: string;
  readonly tier: TenantTier;
  readonly runtime: RuntimeTier;
  readonly idBase: string;
  readonly user?: ClaimedUser;
}

/**
 * Moves the owner's claim to its next free candidate id: the same candidates
 * in the same order as {@link claimTenant}, each tried with the same claim
 * transaction (as a {@link ReplacementClaimRequest}), so `from` is marked
 * `superseded` (never offered again) in the transaction that claims the new id.
 * Returns the id the owner holds afterwards (another delivery of the same job
 * may have moved it already).
 */
export async function moveClaimToNextCandidate(from: ClaimToMove, deps: ClaimDeps): Promise<OwnerClaim> {
  const movedAt = toIsoSeconds(deps.now());
  return claimFirstFreeCandidate(from.idBase, from.owner, async (tenantId) => {
    if (tenantId === from.tenantId) return ID_TAKEN;
    const outcome = await deps.claims.claim({
      tenantId,
      owner: from.owner,
      claimedAt: from.claimedAt,
      tier: from.tier,
      runtime: from.runtime,
      idBase: from.idBase,
      ...(from.user ? { user: from.user } : {}),
      replaces: from.tenantId,
      movedAt,
    });
    if (outcome.kind === 'claimed') return { tenantId, claimedAt: from.claimedAt };
    if (outcome.kind === 'owner-has-claim') return outcome.claim;
    if (outcome.kind === 'id-taken') return ID_TAKEN;
    throw new Error(`moving the claim of ${from.tenantId} to ${tenantId} failed: ${outcome.kind}`);
  });
}

const ID_TAKEN = Symbol('id-taken');

/** Tries the owner's candidate ids (`tenantIdCandidates` order) until `tryClaim` does not answer "taken". */
async function claimFirstFreeCandidate<T>(
  idBase: string,
  owner: string,
  tryClaim: (tenantId: string) => Promise<T | typeof ID_TAKEN>,
): Promise<T> {
  for (const tenantId of tenantIdCandidates(idBase, owner)) {
    const result = await tryClaim(tenantId);
    if (result !== ID_TAKEN) return result;
  }
  // Unreachable in practice: the last candidate is derived from the owner's own sub.
  throw new Error(`no free tenant id for owner ${owner}`);
}

/** Refusal when another address of the same mailbox (e.g. `alice+1@`) already holds a workspace. */
export const MAILBOX_HAS_TENANT_MESSAGE = 'This mailbox already has a workspace; sign in with the address you first registered.';

function mailboxOf(address: EmailAddress): string {
  try {
    return hashMailbox(address);
  } catch (e) {
    if (e instanceof InvalidEmailError)
      throw new TenantClaimRefusedError('Your account has no valid e-mail address; contact your administrator.');
    throw e;
  }
}

function parseOwnerAddress(email: string): EmailAddress {
  try {
    return parseEmailAddress(email);
  } catch (e) {
    if (e instanceof InvalidEmailError)
      throw new TenantClaimRefusedError('Your account has no valid e-mail address; contact your administrator.');
    throw e;
  }
}

/** Completes a deferred admission by reserving a slot in the first later window that has one. */
async function settleAdmission(
  claim: OwnerClaim,
  newlyClaimed: boolean,
  domain: string,
  policy: ClaimPolicy,
  deps: ClaimDeps,
): Promise<ClaimResult> {
  let admission = await deps.claims.admissionOf(claim.tenantId);
  if (admission.kind === 'pending') {
    const current = hourWindowOf(deps.now());
    for (let n = 1; n <= MAX_DEFERRED_WINDOWS && admission.kind === 'pending'; n++) {
      const window = windowAfter(current, n);
      if (await deps.claims.reserveAdmission(claim.tenantId, domain, window, policy.confirmationsPerDomainPerHour)) {
        admission = await deps.claims.admissionOf(claim.tenantId);
      }
    }
    if (admission.kind === 'pending') {
      // A day of windows is booked: admit at the end of it without a slot, so
      // a sign-up wave is spread out but never stalls for ever.
      await deps.claims.reserveAdmission(claim.tenantId, domain, windowAfter(current, MAX_DEFERRED_WINDOWS), Number.POSITIVE_INFINITY);
      admission = await deps.claims.admissionOf(claim.tenantId);
    }
  }
  return { ...claim, admission, newlyClaimed };
}
