import '../support/aws-test-env';
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { quantityCores } from '@openclaw-tenancy/aws-infra';
import { ContainerInsightsComputeUsage, computeShowback } from '../../src/usage/compute-usage';

const cloudWatch = mockClient(CloudWatchClient);
const FROM = new Date('2026-10-01T00:00:00Z');
const UNTIL = new Date('2026-10-31T23:59:59.999Z');

/** Hourly averages of running pods per namespace, as Container Insights answers them. */
function runningPods(byNamespace: Readonly<Record<string, number[]>>, pageSize = Number.POSITIVE_INFINITY): void {
  cloudWatch.reset();
  cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
    const results = (input.MetricDataQueries ?? []).map((q) => {
      const dims = Object.fromEntries((q.MetricStat?.Metric?.Dimensions ?? []).map((d) => [d.Name, d.Value]));
      return { Id: q.Id, Values: dims.ClusterName === 'openclaw' ? (byNamespace[dims.Namespace ?? ''] ?? []) : [] };
    });
    // A first page with part of the values and a token, like CloudWatch for long series.
    if (!input.NextToken && Number.isFinite(pageSize))
      return { MetricDataResults: results.map((r) => ({ ...r, Values: r.Values.slice(0, pageSize) })), NextToken: 'page-2' };
    if (input.NextToken) return { MetricDataResults: results.map((r) => ({ ...r, Values: r.Values.slice(pageSize) })) };
    return { MetricDataResults: results };
  });
}

describe('compute showback', () => {
  it('sums hourly averages of running pods per namespace, following NextToken, with the exact query', async () => {
    runningPods({ 'openclaw-alice': [1, 1, 1, 0.5], 'openclaw-bob': [0, 0] }, 2);
    const hours = await new ContainerInsightsComputeUsage(new CloudWatchClient({})).podHours(
      'openclaw',
      ['openclaw-alice', 'openclaw-bob', 'openclaw-carol'],
      FROM,
      UNTIL,
    );
    expect(Object.fromEntries(hours)).toEqual({ 'openclaw-alice': 3.5, 'openclaw-bob': 0, 'openclaw-carol': 0 });
    const input = cloudWatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(input?.StartTime).toEqual(FROM);
    expect(input?.EndTime).toEqual(UNTIL);
    expect(input?.MetricDataQueries?.[0]).toEqual({
      Id: 'n0',
      MetricStat: {
        Metric: {
          Namespace: 'ContainerInsights',
          MetricName: 'namespace_number_of_running_pods',
          Dimensions: [
            { Name: 'ClusterName', Value: 'openclaw' },
            { Name: 'Namespace', Value: 'openclaw-alice' },
          ],
        },
        Period: 3600,
        Stat: 'Average',
      },
      ReturnData: true,
    });
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(2);
  });

  it('splits more than 500 namespaces into calls of at most 500 queries', async () => {
    runningPods({});
    const namespaces = Array.from({ length: 1001 }, (_, i) => `openclaw-t${i}`);
    await new ContainerInsightsComputeUsage(new CloudWatchClient({})).podHours('openclaw', namespaces, FROM, UNTIL);
    expect(cloudWatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries?.length)).toEqual([500, 500, 1]);
  });

  it("prices pod-hours with the tier's gateway requests (standard 250m / 1280Mi, large 500m / 2Gi)", () => {
    expect(computeShowback(4, 'standard')).toEqual({ podHours: 4, cpuCoreHours: 1, memoryGiBHours: 5 });
    expect(computeShowback(10, 'large')).toEqual({ podHours: 10, cpuCoreHours: 5, memoryGiBHours: 20 });
  });

  it.each([
    ['250m', 0.25],
    ['2', 2],
    ['1500m', 1.5],
  ])('quantityCores(%s) is %d', (q, cores) => expect(quantityCores(q)).toBe(cores));
  it.each(['0.5', '2Gi', ''])('quantityCores fails on %j', (q) => expect(() => quantityCores(q)).toThrow(/is not in cores or millicores/));
});
