import type { RuntimeTier, TenantTier } from '@openclaw-tenancy/shared';
import type { ClaimedUser } from './tenant-claims';

/**
 * Per-tenant lifecycle state on the `tenant#<id>` item: which provisioning and
 * offboarding steps are done. Steps are recorded after they succeed, so a
 * retry after a crash redoes at most the step that was running (every step is
 * itself idempotent, so redoing it is harmless).
 */
export const PROVISIONING_STEPS = ['secrets', 'podIdentity', 'manifests', 'notified'] as const;
export type ProvisioningStep = (typeof PROVISIONING_STEPS)[number];

export const OFFBOARDING_STEPS = ['userAccess', 'registry', 'podIdentity', 'inferenceProfiles', 'secrets', 'notified'] as const;
export type OffboardingStep = (typeof OFFBOARDING_STEPS)[number];

/**
 * `claimed` → `provisioned` (→ `deleted`); the UI polls this. `superseded`: the
 * claim moved to `supersededBy` because the GitOps registry gives this id to
 * somebody else (an operator's `tenants add`); the id stays taken.
 */
export type TenantLifecycleStatus = 'claimed' | 'provisioned' | 'deleted' | 'superseded';

export interface TenantProgressRecord {
  readonly tenantId: string;
  readonly owner: string;
  readonly status: TenantLifecycleStatus;
  readonly claimedAt?: string;
  readonly tier?: TenantTier;
  readonly runtime?: RuntimeTier;
  /** Set when the domain's confirmation window was full: provisioning waits until then. */
  readonly admitAt?: string;
  readonly provisioning: Partial<Record<ProvisioningStep, string>>;
  readonly offboarding: Partial<Record<OffboardingStep, string>>;
  readonly manifestsCommit?: string;
  /** The base of the owner's candidate ids (claims made before it was recorded have none). */
  readonly idBase?: string;
  /** The Cognito user of the claim (claims made before it was recorded have none). */
  readonly user?: ClaimedUser;
  /** Where a `superseded` claim moved to. */
  readonly supersededBy?: string;
}

export interface TenantProgress {
  get(tenantId: string): Promise<TenantProgressRecord | undefined>;
  markProvisioningStep(tenantId: string, step: ProvisioningStep, at: string, details?: { manifestsCommit?: string }): Promise<void>;
  /** Sets status `provisioned` (no-op when already provisioned or deleted). */
  markProvisioned(tenantId: string, at: string): Promise<void>;
  markOffboardingStep(tenantId: string, step: OffboardingStep, at: string): Promise<void>;
  /**
   * Sets status `deleted` and frees one unit of capacity, atomically and once:
   * returns false when the tenant was already deleted.
   */
  markDeleted(tenantId: string, at: string): Promise<boolean>;
}
