/**
 * Bedrock token usage per tenant from CloudWatch: each tenant calls Bedrock
 * through its own application inference profiles (one per model alias, named
 * by `tenantNames(id).inferenceProfileName(alias)`), and Bedrock publishes
 * `AWS/Bedrock` `InputTokenCount`/`OutputTokenCount` with the `ModelId`
 * dimension set to the profile the call went through. See ADR 0202.
 */
import { CloudWatchClient, GetMetricDataCommand, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { BedrockClient, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { tenantNames } from '@openclaw-tenancy/shared';
import type { ModelUsage, UsageSource } from '../ports/usage-source';

/** Resolves a profile name to the value CloudWatch uses in the `ModelId` dimension. */
export interface InferenceProfileDirectory {
  /** Name → dimension value, for every application inference profile. */
  dimensionValues(): Promise<Map<string, string>>;
}

/** Application inference profile ids are opaque (the ARN holds no name), so they are looked up by name. */
export class BedrockInferenceProfileDirectory implements InferenceProfileDirectory {
  constructor(private readonly client: BedrockClient) {}

  async dimensionValues(): Promise<Map<string, string>> {
    const byName = new Map<string, string>();
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(new ListInferenceProfilesCommand({ typeEquals: 'APPLICATION', maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
      for (const p of page.inferenceProfileSummaries ?? []) {
        if (p.inferenceProfileName && p.inferenceProfileArn) byName.set(p.inferenceProfileName, p.inferenceProfileArn);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return byName;
  }
}

/** GetMetricData accepts at most 500 queries per call. */
const MAX_QUERIES_PER_CALL = 500;
const DAY_SECONDS = 86_400;

export class CloudWatchUsageSource implements UsageSource {
  constructor(
    private readonly cloudWatch: CloudWatchClient,
    private readonly profiles: InferenceProfileDirectory,
    /** The aliases of the model catalog: the profiles each tenant may have. */
    private readonly modelAliases: readonly string[],
  ) {}

  async monthToDate(tenantIds: readonly string[], until: Date): Promise<Map<string, ModelUsage[]>> {
    const start = new Date(Date.UTC(until.getUTCFullYear(), until.getUTCMonth(), 1));
    const dimensionByName = await this.profiles.dimensionValues();
    const series: Array<{ tenantId: string; alias: string; metric: 'InputTokenCount' | 'OutputTokenCount' }> = [];
    const queries: MetricDataQuery[] = [];
    for (const tenantId of tenantIds) {
      for (const alias of this.modelAliases) {
        const dimension = dimensionByName.get(tenantNames(tenantId).inferenceProfileName(alias));
        if (!dimension) continue; // the tenant has no profile for this model: no usage possible
        for (const metric of ['InputTokenCount', 'OutputTokenCount'] as const) {
          queries.push({
            Id: `q${queries.length}`,
            MetricStat: {
              Metric: { Namespace: 'AWS/Bedrock', MetricName: metric, Dimensions: [{ Name: 'ModelId', Value: dimension }] },
              Period: DAY_SECONDS,
              Stat: 'Sum',
            },
            ReturnData: true,
          });
          series.push({ tenantId, alias, metric });
        }
      }
    }

    const totals = new Map<number, number>();
    for (let offset = 0; offset < queries.length; offset += MAX_QUERIES_PER_CALL) {
      const batch = queries.slice(offset, offset + MAX_QUERIES_PER_CALL);
      let nextToken: string | undefined;
      do {
        const page = await this.cloudWatch.send(
          new GetMetricDataCommand({ MetricDataQueries: batch, StartTime: start, EndTime: until, ...(nextToken ? { NextToken: nextToken } : {}) }),
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
    series.forEach((s, i) => {
      const key = `${s.tenantId}\u0000${s.alias}`;
      let entry = byKey.get(key);
      if (!entry) {
        entry = { modelAlias: s.alias, inputTokens: 0, outputTokens: 0 };
        byKey.set(key, entry);
        usage.set(s.tenantId, [...(usage.get(s.tenantId) ?? []), entry]);
      }
      if (s.metric === 'InputTokenCount') entry.inputTokens += totals.get(i) ?? 0;
      else entry.outputTokens += totals.get(i) ?? 0;
    });
    return usage;
  }
}
