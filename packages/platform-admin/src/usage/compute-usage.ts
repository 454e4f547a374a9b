/**
 * Compute showback per tenant: running pod-hours of the tenant's namespace
 * from Container Insights (`namespace_number_of_running_pods`, hourly
 * averages summed), times the requests of the tenant's tier. What a tenant
 * reserved, not what it burned: requests are what the nodes are sized and
 * paid for. EFS keeps no per-directory metric, so storage is not shown.
 */
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { quantityCores, quantityMiB } from '@openclaw-tenancy/aws-infra';
import { TIER_RESOURCES, type TenantTier } from '@openclaw-tenancy/shared';

/** GetMetricData accepts at most 500 queries per call. */
const MAX_QUERIES_PER_CALL = 500;
const HOUR_SECONDS = 3600;

export interface ComputeUsage {
  /** Hours of running pods in the tenant's namespace over the period. */
  readonly podHours: number;
  /** podHours × the gateway's CPU request. */
  readonly cpuCoreHours: number;
  /** podHours × the gateway's memory request, in GiB. */
  readonly memoryGiBHours: number;
}

export interface ComputeUsageSource {
  /** Running pod-hours per namespace between `from` and `until`; namespaces without pods may be absent. */
  podHours(clusterName: string, namespaces: readonly string[], from: Date, until: Date): Promise<Map<string, number>>;
}

/** Requests × time for one tenant of `tier`. */
export function computeShowback(podHours: number, tier: TenantTier): ComputeUsage {
  const gateway = TIER_RESOURCES[tier].gateway;
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    podHours: round(podHours),
    cpuCoreHours: round(podHours * quantityCores(gateway.requestsCpu)),
    memoryGiBHours: round((podHours * quantityMiB(gateway.requestsMemory)) / 1024),
  };
}

export class ContainerInsightsComputeUsage implements ComputeUsageSource {
  constructor(private readonly cloudWatch: CloudWatchClient) {}

  async podHours(clusterName: string, namespaces: readonly string[], from: Date, until: Date): Promise<Map<string, number>> {
    const queries: MetricDataQuery[] = namespaces.map((namespace, i) => ({
      Id: `n${i}`,
      MetricStat: {
        Metric: {
          Namespace: 'ContainerInsights',
          MetricName: 'namespace_number_of_running_pods',
          Dimensions: [
            { Name: 'ClusterName', Value: clusterName },
            { Name: 'Namespace', Value: namespace },
          ],
        },
        Period: HOUR_SECONDS,
        Stat: 'Average',
      },
      ReturnData: true,
    }));
    const hours = new Map<string, number>();
    for (let offset = 0; offset < queries.length; offset += MAX_QUERIES_PER_CALL) {
      const batch = queries.slice(offset, offset + MAX_QUERIES_PER_CALL);
      let nextToken: string | undefined;
      do {
        const page = await this.cloudWatch.send(
          new GetMetricDataCommand({
            MetricDataQueries: batch,
            StartTime: from,
            EndTime: until,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        );
        for (const result of page.MetricDataResults ?? []) {
          const namespace = namespaces[Number(result.Id?.slice(1))];
          if (namespace === undefined) continue;
          // One hourly average of running pods is that many pod-hours.
          hours.set(namespace, (hours.get(namespace) ?? 0) + (result.Values ?? []).reduce((a, b) => a + b, 0));
        }
        nextToken = page.NextToken;
      } while (nextToken);
    }
    return hours;
  }
}
