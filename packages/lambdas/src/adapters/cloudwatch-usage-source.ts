/**
 * Bedrock token usage per tenant from CloudWatch: each tenant calls Bedrock
 * through its own application inference profiles (one per model alias), and
 * Bedrock publishes `AWS/Bedrock` `InputTokenCount`/`OutputTokenCount` with
 * the `ModelId` dimension set to the profile the call went through.
 *
 * The profile ARNs come from the registry (`inferenceProfiles`, written by the
 * provisioner); a record without them falls back to a lookup by name
 * (`tenantNames(id).inferenceProfileName(alias)`). Whether the dimension
 * carries the profile's id or its ARN is not verified, so every series is
 * queried in both forms in the same GetMetricData call and the two are added:
 * CloudWatch publishes one of them, the other returns no data (ADR 0203).
 * Metrics live in the region of the profile (`models.bedrockRegion`), not
 * necessarily the function's own.
 */
import { CloudWatchClient, GetMetricDataCommand, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { tenantNames } from '@openclaw-tenancy/shared';
import { profileIdOfArn, regionOfArn } from '../domain/bedrock-model-source';
import type { InferenceProfileDirectory } from '../ports/inference-profiles';
import type { ModelUsage, TenantProfileRefs, UsageSource } from '../ports/usage-source';

/** GetMetricData accepts at most 500 queries per call. */
export const MAX_QUERIES_PER_CALL = 500;
const DAY_SECONDS = 86_400;
const METRICS = ['InputTokenCount', 'OutputTokenCount'] as const;

interface Series {
  readonly tenantId: string;
  readonly alias: string;
  readonly metric: (typeof METRICS)[number];
  /** Query indexes of the two `ModelId` forms (ARN, id). */
  readonly queries: readonly number[];
}

export class CloudWatchUsageSource implements UsageSource {
  private readonly clients = new Map<string, CloudWatchClient>();

  constructor(
    private readonly profiles: InferenceProfileDirectory,
    /** The aliases of the model catalog: the profiles each tenant may have. */
    private readonly modelAliases: readonly string[],
    private readonly cloudWatchFor: (region: string) => CloudWatchClient = (region) => new CloudWatchClient({ region }),
  ) {}

  async monthToDate(tenants: readonly TenantProfileRefs[], until: Date, bedrockRegion: string): Promise<Map<string, ModelUsage[]>> {
    const start = new Date(Date.UTC(until.getUTCFullYear(), until.getUTCMonth(), 1));
    let byName: Map<string, string> | undefined;
    const series: Series[] = [];
    const queries: Array<MetricDataQuery & { region: string }> = [];
    for (const tenant of tenants) {
      for (const alias of this.modelAliases) {
        let arn = tenant.inferenceProfiles?.[alias];
        if (!arn) {
          byName ??= await this.profiles.arnsByName(bedrockRegion);
          arn = byName.get(tenantNames(tenant.id).inferenceProfileName(alias));
        }
        if (!arn) continue; // the tenant has no profile for this model: no usage possible
        const region = regionOfArn(arn);
        for (const metric of METRICS) {
          const indexes: number[] = [];
          for (const dimension of [arn, profileIdOfArn(arn)]) {
            indexes.push(queries.length);
            queries.push({
              region,
              Id: `q${queries.length}`,
              MetricStat: {
                Metric: { Namespace: 'AWS/Bedrock', MetricName: metric, Dimensions: [{ Name: 'ModelId', Value: dimension }] },
                Period: DAY_SECONDS,
                Stat: 'Sum',
              },
              ReturnData: true,
            });
          }
          series.push({ tenantId: tenant.id, alias, metric, queries: indexes });
        }
      }
    }

    const totals = new Map<number, number>();
    for (const [region, batch] of batchesByRegion(queries)) {
      let nextToken: string | undefined;
      do {
        const page = await this.cloudWatch(region).send(
          new GetMetricDataCommand({
            MetricDataQueries: batch,
            StartTime: start,
            EndTime: until,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        );
        for (const result of page.MetricDataResults ?? []) {
          const index = Number(result.Id?.slice(1));
          const sum = (result.Values ?? []).reduce((a, b) => a + b, 0);
          totals.set(index, (totals.get(index) ?? 0) + sum);
        }
        nextToken = page.NextToken;
      } while (nextToken);
    }

    const usage = new Map<string, ModelUsage[]>();
    const byKey = new Map<string, { modelAlias: string; inputTokens: number; outputTokens: number }>();
    for (const s of series) {
      const key = `${s.tenantId}\u0000${s.alias}`;
      let entry = byKey.get(key);
      if (!entry) {
        entry = { modelAlias: s.alias, inputTokens: 0, outputTokens: 0 };
        byKey.set(key, entry);
        usage.set(s.tenantId, [...(usage.get(s.tenantId) ?? []), entry]);
      }
      // Both forms of the dimension: only one carries data (see the file comment).
      const tokens = s.queries.reduce((n, i) => n + (totals.get(i) ?? 0), 0);
      if (s.metric === 'InputTokenCount') entry.inputTokens += tokens;
      else entry.outputTokens += tokens;
    }
    return usage;
  }

  private cloudWatch(region: string): CloudWatchClient {
    let client = this.clients.get(region);
    if (!client) {
      client = this.cloudWatchFor(region);
      this.clients.set(region, client);
    }
    return client;
  }
}

/**
 * Queries per region, in calls of at most 500. A series' two forms are
 * adjacent and every series has an even number of queries, so the two forms of
 * one series always land in the same call.
 */
function batchesByRegion(queries: ReadonlyArray<MetricDataQuery & { region: string }>): Array<[string, MetricDataQuery[]]> {
  const byRegion = new Map<string, MetricDataQuery[]>();
  for (const { region, ...query } of queries) {
    const list = byRegion.get(region);
    if (list) list.push(query);
    else byRegion.set(region, [query]);
  }
  const batches: Array<[string, MetricDataQuery[]]> = [];
  for (const [region, all] of byRegion) {
    for (let offset = 0; offset < all.length; offset += MAX_QUERIES_PER_CALL)
      batches.push([region, all.slice(offset, offset + MAX_QUERIES_PER_CALL)]);
  }
  return batches;
}
