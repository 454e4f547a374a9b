import type { RuntimeTier, TenantTier } from '@openclaw-tenancy/shared';
import type { HourWindow } from '../domain/hour-window';

/** What an owner holds: its tenant id and when it was claimed. */
export interface OwnerClaim {
  readonly tenantId: string;
  readonly claimedAt: string;
}

/** How a claimed tenant is admitted to provisioning under the per-domain confirmation limit. */
export type Admission =
  | { readonly kind: 'immediate' }
  /** The domain's window was full; a slot in a later window is still to be reserved. */
  | { readonly kind: 'pending' }
  /** A slot in a later window is reserved; provisioning starts at `admitAt`. */
  | { readonly kind: 'reserved'; readonly admitAt: string };

/** The Cognito user a claim was made for: what the provisioner needs to update `custom:tenant_id` later. */
export interface ClaimedUser {
  readonly userPoolId: string;
  readonly userName: string;
}

interface ClaimRequestBase {
  readonly tenantId: string;
  readonly owner: string;
  readonly claimedAt: string;
  readonly tier: TenantTier;
  readonly runtime: RuntimeTier;
  /** The base the candidate ids were derived from (`deriveTenantIdBase`), so the owner's next candidate can be found later. */
  readonly idBase?: string;
  readonly user?: ClaimedUser;
}

/** A new claim (PostConfirmation): takes one unit of capacity and, while it has one, the domain's confirmation slot. */
export interface NewClaimRequest extends ClaimRequestBase {
  readonly maxTenants: number;
  /** `hashMailbox` of the owner's address: the claim fails if this mailbox gave another owner a tenant. */
  readonly mailbox: string;
  /** The confirmation slot to take in the same transaction; omitted once it was refused. */
  readonly domainSlot?: { readonly domain: string; readonly window: HourWindow; readonly limit: number };
  readonly replaces?: undefined;
}

/**
 * Moves an owner's claim from `replaces` (an id the GitOps registry gives to
 * somebody else) to `tenantId`, in the same one transaction: the owner item is
 * re-pointed instead of created, `replaces` stays behind as a `superseded`
 * tenant item (so it is never offered again), and the capacity unit and the
 * admission move with the claim (nothing is counted twice).
 */
export interface ReplacementClaimRequest extends ClaimRequestBase {
  readonly replaces: string;
  /** When the claim moved (`supersededAt` of the replaced item); `claimedAt` stays the original claim's. */
  readonly movedAt: string;
}

export type ClaimRequest = NewClaimRequest | ReplacementClaimRequest;

export type ClaimOutcome =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'owner-has-claim'; readonly claim: OwnerClaim }
  | { readonly kind: 'id-taken' }
  | { readonly kind: 'capacity-reached' }
  /** The owner's mailbox (another address of it, e.g. `alice+1@`) already holds a tenant of another owner. */
  | { readonly kind: 'mailbox-has-claim' }
  | { readonly kind: 'domain-slot-refused' };

/** Tenant claims in the `TENANT_TABLE`: never-reused ids, the owner index and the capacity counter. */
export interface TenantClaims {
  /** Tenants counted against `MAX_TENANTS` (claimed and not offboarded). */
  activeTenantCount(): Promise<number>;
  findClaimByOwner(owner: string): Promise<OwnerClaim | undefined>;
  /**
   * One atomic attempt, all or nothing: owner item, mailbox item, tenant item,
   * capacity +1 and (optionally) the domain slot; for a {@link ReplacementClaimRequest}: owner
   * item re-pointed, new tenant item, the replaced one marked `superseded`.
   */
  claim(request: ClaimRequest): Promise<ClaimOutcome>;
  admissionOf(tenantId: string): Promise<Admission>;
  /**
   * Atomically takes a slot of `domain` in `window` for a pending tenant and
   * records `admitAt` = the window's start. Returns whether the tenant is
   * admitted afterwards (by this call or a concurrent one); false when the window
   * is full. An infinite `limit` admits without taking a slot.
   */
  reserveAdmission(tenantId: string, domain: string, window: HourWindow, limit: number): Promise<boolean>;
}
