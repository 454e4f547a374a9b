/**
 * The tenant lifecycle as a typed catalogue of events, used by producers
 * (Lambdas, the tenants CLI) and consumers (notifications, logs, the local
 * platform) alike, so an event name or payload cannot drift between them.
 */
import { RuntimeTier, TenantTier } from './tiers';

interface EventBase<T extends string> {
  readonly type: T;
  readonly tenantId: string;
  /** ISO-8601 UTC time the event happened. */
  readonly at: string;
}

/** A confirmed user claimed a tenant id (PostConfirmation). */
export interface TenantClaimed extends EventBase<'TenantClaimed'> {
  readonly owner: string;
  readonly tier: TenantTier;
  readonly runtime: RuntimeTier;
}
/** Provisioning was queued for the tenant. */
export type TenantProvisioningQueued = EventBase<'TenantProvisioningQueued'>;
/** The tenant's Secrets Manager entries and Pod Identity association exist. */
export type TenantCloudResourcesReady = EventBase<'TenantCloudResourcesReady'>;
/** The registry file and manifests are committed; Argo CD will roll them out. */
export interface TenantManifestsCommitted extends EventBase<'TenantManifestsCommitted'> {
  readonly commit: string;
}
export interface TenantSuspended extends EventBase<'TenantSuspended'> {
  readonly reason: string;
}
export type TenantResumed = EventBase<'TenantResumed'>;
/** The tenant was tombstoned; its data is retained and backed up. */
export type TenantOffboarded = EventBase<'TenantOffboarded'>;
/** Month-to-date spend crossed an alert threshold (sent once per threshold per month). */
export interface TenantBudgetThresholdCrossed extends EventBase<'TenantBudgetThresholdCrossed'> {
  readonly month: string;
  readonly thresholdPercent: number;
  readonly spentUsd: number;
  readonly budgetUsd: number;
}

export type TenantLifecycleEvent =
  | TenantClaimed
  | TenantProvisioningQueued
  | TenantCloudResourcesReady
  | TenantManifestsCommitted
  | TenantSuspended
  | TenantResumed
  | TenantOffboarded
  | TenantBudgetThresholdCrossed;

export type TenantLifecycleEventType = TenantLifecycleEvent['type'];

/** Subject and text for an administrator notification; one wording for every channel. */
export function describeLifecycleEvent(event: TenantLifecycleEvent, workspaceUrl?: string): { subject: string; message: string } {
  const where = workspaceUrl ? `\nWorkspace: ${workspaceUrl}` : '';
  switch (event.type) {
    case 'TenantClaimed':
      return {
        subject: `Tenant claimed: ${event.tenantId}`,
        message: `Tenant ${event.tenantId} was claimed (tier ${event.tier}, runtime ${event.runtime}).`,
      };
    case 'TenantProvisioningQueued':
      return { subject: `Tenant queued: ${event.tenantId}`, message: `Provisioning of ${event.tenantId} was queued.` };
    case 'TenantCloudResourcesReady':
      return {
        subject: `Tenant cloud resources ready: ${event.tenantId}`,
        message: `Secrets and Pod Identity for ${event.tenantId} are in place.`,
      };
    case 'TenantManifestsCommitted':
      return {
        subject: `New tenant created: ${event.tenantId}`,
        message: `Tenant ${event.tenantId} is committed to Git (${event.commit}); Argo CD rolls it out.${where}`,
      };
    case 'TenantSuspended':
      return { subject: `Tenant suspended: ${event.tenantId}`, message: `Tenant ${event.tenantId} was suspended (${event.reason}).` };
    case 'TenantResumed':
      return { subject: `Tenant resumed: ${event.tenantId}`, message: `Tenant ${event.tenantId} is active again.${where}` };
    case 'TenantOffboarded':
      return {
        subject: `Tenant offboarded: ${event.tenantId}`,
        message: `Tenant ${event.tenantId} was offboarded; its id stays reserved and its data is retained and backed up.`,
      };
    case 'TenantBudgetThresholdCrossed':
      return {
        subject: `Budget ${event.thresholdPercent}% reached: ${event.tenantId}`,
        message: `Tenant ${event.tenantId} has spent $${event.spentUsd.toFixed(2)} of its $${event.budgetUsd.toFixed(2)} budget for ${event.month} (${event.thresholdPercent}% threshold).`,
      };
  }
}
