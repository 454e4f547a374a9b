/**
 * The daily cost check: month-to-date Bedrock spend per tenant against its
 * budget, one alert per threshold per tenant per month, and (optionally) a
 * suspension at 100 % through the same GitOps commit path as provisioning.
 */
import { ModelCatalogEntry, PlatformConfig, TenantRecord, suspendTenant, toIsoSeconds } from '@openclaw-tenancy/shared';
import type { AdminNotifier } from '../ports/admin-notifier';
import type { BudgetAlertLedger } from '../ports/budget-alert-ledger';
import type { GitOpsRepository } from '../ports/gitops-repository';
import type { ManifestRenderer } from '../ports/manifest-renderer';
import type { ModelUsage, UsageSource } from '../ports/usage-source';
import type { ActivityLog } from '../runtime/activity-log';
import { mergeChanges, readRegistry, readTenantRecord, tenantFilesChange } from './tenant-gitops-changes';

export const BUDGET_SUSPENSION_REASON = 'budget';

export interface CostPolicy {
  readonly defaultMonthlyBudgetUsd: number;
  /** Ascending. */
  readonly thresholdsPercent: readonly number[];
  readonly suspendAtLimit: boolean;
  readonly pricing: readonly ModelCatalogEntry[];
  /** The platform config this deployment runs with; never read from the branch the cost enforcer writes. */
  readonly platformConfig: PlatformConfig;
}

export interface CostEnforcementDeps {
  readonly repository: GitOpsRepository;
  readonly renderer: ManifestRenderer;
  readonly usage: UsageSource;
  readonly ledger: BudgetAlertLedger;
  readonly notifier: AdminNotifier;
  readonly log: ActivityLog;
  readonly now: () => Date;
}

export interface TenantSpend {
  readonly tenantId: string;
  readonly spentUsd: number;
  readonly budgetUsd: number;
  readonly percent: number;
  /** Thresholds alerted by this run (earlier runs' alerts are not repeated). */
  readonly alerted: readonly number[];
}

export interface CostReport {
  readonly month: string;
  readonly tenants: readonly TenantSpend[];
  readonly suspended: readonly string[];
  readonly suspensionCommit?: string;
}

/** `yyyy-mm` in UTC. */
export const monthOf = (at: Date): string => at.toISOString().slice(0, 7);

/** USD for the usage, priced per model alias from the catalog. */
export function priceUsage(usage: readonly ModelUsage[], pricing: readonly ModelCatalogEntry[]): number {
  let usd = 0;
  for (const u of usage) {
    const entry = pricing.find((p) => p.alias === u.modelAlias);
    if (!entry) throw new Error(`no price for model alias "${u.modelAlias}" in MODEL_PRICING`);
    usd += (u.inputTokens * entry.pricing.inputUsdPerMillionTokens + u.outputTokens * entry.pricing.outputUsdPerMillionTokens) / 1_000_000;
  }
  return usd;
}

export async function enforceBudgets(policy: CostPolicy, deps: CostEnforcementDeps): Promise<CostReport> {
  const now = deps.now();
  const month = monthOf(now);
  const { records, bedrockRegion } = await deps.repository.read(async (snapshot) => ({
    records: (await readRegistry(snapshot, deps.renderer)).filter((r) => r.status !== 'deleted'),
    // Where the tenants' profiles (and so their metrics) are; the registry's ARNs name it too.
    bedrockRegion: policy.platformConfig.models.bedrockRegion,
  }));
  const usage = await deps.usage.monthToDate(records, now, bedrockRegion);

  const tenants: TenantSpend[] = [];
  const overBudget: TenantRecord[] = [];
  const failedAlerts: Array<{ tenantId: string; thresholdPercent: number; error: unknown }> = [];
  for (const record of records) {
    const spentUsd = priceUsage(usage.get(record.id) ?? [], policy.pricing);
    const budgetUsd = record.monthlyBudgetUsd ?? policy.defaultMonthlyBudgetUsd;
    const percent = budgetUsd > 0 ? (spentUsd / budgetUsd) * 100 : spentUsd > 0 ? Number.POSITIVE_INFINITY : 0;
    const alerted: number[] = [];
    for (const threshold of policy.thresholdsPercent.filter((t) => percent >= t)) {
      // Claim (a lease) first, then send, then record: two overlapping runs never both send, and a run that
      // dies in between leaves an expiring claim, so the alert is sent by a later run, not lost.
      if (!(await deps.ledger.claim(record.id, month, threshold, now))) continue;
      let sent = false;
      try {
        await deps.notifier.notify({
          type: 'TenantBudgetThresholdCrossed',
          tenantId: record.id,
          at: toIsoSeconds(now),
          month,
          thresholdPercent: threshold,
          spentUsd,
          budgetUsd,
        });
        sent = true;
        await deps.ledger.markSent(record.id, month, threshold, toIsoSeconds(now));
        alerted.push(threshold);
      } catch (error) {
        failedAlerts.push({ tenantId: record.id, thresholdPercent: threshold, error });
        if (sent) {
          // Sent but not recorded: the claim expires and a later run may send it a second time, never zero times.
          deps.log.error('budget alert sent but not recorded; a later run may repeat it', {
            tenantId: record.id,
            month,
            thresholdPercent: threshold,
            error: error as Error,
          });
          continue;
        }
        // Given back so the next run sends it; the other tenants' alerts and the suspensions still happen in
        // this run, which then fails. If even that fails, the claim expires on its own.
        await deps.ledger.release(record.id, month, threshold).catch((releaseError: unknown) =>
          deps.log.error('budget alert claim not released; it expires', {
            tenantId: record.id,
            month,
            thresholdPercent: threshold,
            error: releaseError as Error,
          }),
        );
        deps.log.error('budget alert not sent; the next run retries it', {
          tenantId: record.id,
          month,
          thresholdPercent: threshold,
          error: error as Error,
        });
      }
    }
    if (alerted.length > 0) deps.log.info('budget thresholds alerted', { tenantId: record.id, month, alerted, spentUsd, budgetUsd });
    tenants.push({ tenantId: record.id, spentUsd, budgetUsd, percent, alerted });
    if (percent >= 100 && record.status === 'active') overBudget.push(record);
  }

  const report: CostReport = {
    month,
    tenants,
    ...(policy.suspendAtLimit && overBudget.length > 0 ? await suspendOverBudget(overBudget, policy, deps, now) : { suspended: [] }),
  };
  if (failedAlerts.length > 0) {
    throw new BudgetAlertsNotSentError(
      failedAlerts.map((f) => `${f.tenantId} ${f.thresholdPercent}%`),
      report,
      failedAlerts[0]?.error,
    );
  }
  return report;
}

/** Some alerts could not be sent (they are retried by the next run); everything else of the run was done. */
export class BudgetAlertsNotSentError extends Error {
  constructor(
    readonly alerts: readonly string[],
    readonly report: CostReport,
    cause: unknown,
  ) {
    super(`budget alerts not sent (the next run retries them): ${alerts.join(', ')}`, { cause });
    this.name = 'BudgetAlertsNotSentError';
  }
}

async function suspendOverBudget(
  candidates: readonly TenantRecord[],
  policy: CostPolicy,
  deps: CostEnforcementDeps,
  now: Date,
): Promise<{ suspended: string[]; suspensionCommit?: string }> {
  let suspended: string[] = [];
  const ids = candidates.map((r) => r.id);
  const result = await deps.repository.commit(
    `Suspend tenants over budget: ${ids.join(', ')}\n\nReason: ${BUDGET_SUSPENSION_REASON}\n`,
    async (snapshot) => {
      const config = policy.platformConfig;
      const changes = [];
      suspended = [];
      // Re-read on the tip this attempt builds on: an operator may have changed a tenant meanwhile.
      for (const id of ids) {
        const record = await readTenantRecord(snapshot, id, deps.renderer);
        if (record?.status !== 'active') continue;
        changes.push(await tenantFilesChange(suspendTenant(record, now, BUDGET_SUSPENSION_REASON), config, deps.renderer));
        suspended.push(id);
      }
      return mergeChanges(changes);
    },
  );
  if (!result.changed) return { suspended: [] };
  for (const tenantId of suspended) {
    await deps.notifier.notify({ type: 'TenantSuspended', tenantId, at: toIsoSeconds(now), reason: BUDGET_SUSPENSION_REASON });
  }
  deps.log.info('tenants suspended for budget', { suspended, commit: result.commit });
  return { suspended, suspensionCommit: result.commit };
}
