/**
 * Per-tenant Bedrock usage and cost for one calendar month (UTC): the cost
 * enforcer's usage source (CloudWatch `AWS/Bedrock` token counts per
 * application inference profile) and its pricing (`priceUsage` with the model
 * catalog), so `usage` and the budget alerts never disagree; and compute
 * showback (`compute-usage.ts`).
 */
import { priceUsage, readRegistry } from '@openclaw-tenancy/lambdas';
import { assertTenantId, tenantNames, type TenantStatus } from '@openclaw-tenancy/shared';
import { ComputeUsage, computeShowback } from './compute-usage';
import type { LifecyclePorts, ProgressReporter } from '../lifecycle/lifecycle-ports';
import { LifecycleRefusal } from '../lifecycle/lifecycle-refusal';
import { LifecycleUsageError } from '../lifecycle/lifecycle-commands';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export interface UsageRow {
  readonly tenantId: string;
  readonly status: TenantStatus;
  readonly modelAlias: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
}

export interface UsageReport {
  readonly month: string;
  /** The period measured: the month's first instant until its end, or until now for the current month. */
  readonly from: string;
  readonly until: string;
  /** One row per tenant and model with tokens; sorted by tenant then model. */
  readonly rows: readonly UsageRow[];
  /** Per tenant, highest Bedrock spend first, with compute showback (running pod-hours × the tier's gateway requests). */
  readonly tenants: ReadonlyArray<{
    readonly tenantId: string;
    readonly costUsd: number;
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly compute: ComputeUsage;
  }>;
  readonly totalUsd: number;
}

export type UsagePorts = Pick<LifecyclePorts, 'config' | 'repository' | 'renderer' | 'usage' | 'compute' | 'now'>;

/** The month's bounds; refuses a malformed month or one that has not started. */
export function monthPeriod(month: string, now: Date): { from: Date; until: Date } {
  const m = MONTH.exec(month);
  if (!m) throw new LifecycleUsageError(`--month "${month}" must be YYYY-MM, e.g. 2026-11`);
  const from = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  if (from.getTime() > now.getTime()) throw new LifecycleUsageError(`--month ${month} has not started yet`);
  const next = new Date(Date.UTC(Number(m[1]), Number(m[2]), 1));
  return { from, until: new Date(Math.min(now.getTime(), next.getTime() - 1)) };
}

export async function buildUsageReport(
  ports: UsagePorts,
  options: { month?: string; tenant?: string },
  progress: ProgressReporter = () => undefined,
): Promise<UsageReport> {
  const now = ports.now();
  const month = options.month ?? now.toISOString().slice(0, 7);
  const { from, until } = monthPeriod(month, now);
  const tenant = options.tenant === undefined ? undefined : assertTenantId(options.tenant);
  progress('reading the GitOps registry');
  // Tombstones too: a tenant offboarded during the month used Bedrock before, and keeps its profile ARNs.
  const records = (await ports.repository.read((snapshot) => readRegistry(snapshot, ports.renderer))).filter(
    (r) => tenant === undefined || r.id === tenant,
  );
  if (tenant !== undefined && records.length === 0) throw new LifecycleRefusal(`no tenant "${tenant}" in the registry`);
  progress(`reading Bedrock token counts of ${records.length} tenants for ${month} from CloudWatch (${ports.config.models.bedrockRegion})`);
  const usage = await ports.usage.monthToDate(records, until, ports.config.models.bedrockRegion);
  progress(`reading running pod-hours of ${records.length} tenant namespaces from Container Insights (${ports.config.cluster.name})`);
  const podHours = await ports.compute.podHours(
    ports.config.cluster.name,
    records.map((r) => tenantNames(r.id).namespace),
    from,
    until,
  );

  const rows: UsageRow[] = [];
  for (const record of [...records].sort((a, b) => a.id.localeCompare(b.id))) {
    for (const u of [...(usage.get(record.id) ?? [])].sort((a, b) => a.modelAlias.localeCompare(b.modelAlias))) {
      if (u.inputTokens === 0 && u.outputTokens === 0) continue;
      rows.push({
        tenantId: record.id,
        status: record.status,
        modelAlias: u.modelAlias,
        inputTokens: u.inputTokens,
        outputTokens: u.outputTokens,
        costUsd: roundUsd(priceUsage([u], ports.config.models.catalog)),
      });
    }
  }
  const byTenant = new Map<
    string,
    { tenantId: string; costUsd: number; inputTokens: number; outputTokens: number; compute: ComputeUsage }
  >();
  for (const record of records) {
    const list = usage.get(record.id) ?? [];
    byTenant.set(record.id, {
      tenantId: record.id,
      costUsd: roundUsd(priceUsage(list, ports.config.models.catalog)),
      inputTokens: list.reduce((n, u) => n + u.inputTokens, 0),
      outputTokens: list.reduce((n, u) => n + u.outputTokens, 0),
      compute: computeShowback(podHours.get(tenantNames(record.id).namespace) ?? 0, record.tier),
    });
  }
  const tenants = [...byTenant.values()].sort((a, b) => b.costUsd - a.costUsd || a.tenantId.localeCompare(b.tenantId));
  return {
    month,
    from: from.toISOString(),
    until: until.toISOString(),
    rows,
    tenants,
    totalUsd: roundUsd(tenants.reduce((n, t) => n + t.costUsd, 0)),
  };
}

export const USAGE_CSV_HEADER = 'month,tenant,status,model,input_tokens,output_tokens,cost_usd';

/** RFC 4180 CSV, one line per tenant and model; ids and aliases never need quoting (their patterns exclude `,` and `"`). */
export function usageCsv(report: UsageReport): string {
  const lines = report.rows.map((r) =>
    [report.month, r.tenantId, r.status, r.modelAlias, r.inputTokens, r.outputTokens, r.costUsd.toFixed(2)].join(','),
  );
  return `${[USAGE_CSV_HEADER, ...lines].join('\n')}\n`;
}

const roundUsd = (usd: number): number => Math.round(usd * 100) / 100;
