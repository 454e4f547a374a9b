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

export interface ClaimRequest {
  readonly tenantId: string;
  readonly owner: string;
  readonly claimedAt: string;
  readonly tier: TenantTier;
  readonly runtime: RuntimeTier;
  readonly maxTenants: number;
  /** The confirmation slot to take in the same transaction; omitted once it was refused. */
  readonly domainSlot?: { readonly domain: string; readonly window: HourWindow; readonly limit: number };
}

export type ClaimOutcome =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'owner-has-claim'; readonly claim: OwnerClaim }
  | { readonly kind: 'id-taken' }
  | { readonly kind: 'capacity-reached' }
  | { readonly kind: 'domain-slot-refused' };

/** Tenant claims in the `TENANT_TABLE`: never-reused ids, the owner index and the capacity counter. */
export interface TenantClaims {
  /** Tenants counted against `MAX_TENANTS` (claimed and not offboarded). */
  activeTenantCount(): Promise<number>;
  findClaimByOwner(owner: string): Promise<OwnerClaim | undefined>;
  /** One atomic attempt: tenant item, owner item, capacity +1 and (optionally) the domain slot, all or nothing. */
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
