/**
 * Erasure of one tenant's container output, at the AWS SDK boundary: only
 * the streams of that namespace are deleted, across pages, and a retry
 * after a partial run deletes what is left.
 */
import { CloudWatchLogsClient, DeleteLogStreamCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { containerOutputLogGroupName } from '@openclaw-tenancy/shared';
import { CloudWatchTenantOutputLogs } from '../src/adapters/cloudwatch-tenant-output-logs';
import { OffboardingDeps, offboardTenant } from '../src/domain/offboarding';
import { OFFBOARDING_STEPS, TenantProgressRecord } from '../src/ports/tenant-progress';
import { PLATFORM_CONFIG } from './support/gitops-remote';
import { RecordingNotifier, quietLogger } from './support/recording-ports';

const GROUP = containerOutputLogGroupName('openclaw');
const stream = (node: string, pod: string, namespace: string, container: string) =>
  `${node}-application.var.log.containers.${pod}_${namespace}_${container}-0123456789abcdef.log`;

/** A log group in memory behind the SDK mock: DescribeLogStreams pages of `pageSize`, DeleteLogStream removes. */
function fakeLogGroup(names: string[], pageSize = 2) {
  const logs = mockClient(CloudWatchLogsClient);
  const streams = new Set(names);
  logs.on(DescribeLogStreamsCommand).callsFake((input: { logGroupName: string; nextToken?: string }) => {
    if (input.logGroupName !== GROUP)
      throw Object.assign(new Error('The specified log group does not exist.'), { name: 'ResourceNotFoundException' });
    const all = [...streams].sort();
    const start = input.nextToken ? Number(input.nextToken) : 0;
    const page = all.slice(start, start + pageSize);
    return {
      logStreams: page.map((logStreamName) => ({ logStreamName })),
      nextToken: start + pageSize < all.length ? String(start + pageSize) : undefined,
    };
  });
  logs.on(DeleteLogStreamCommand).callsFake((input: { logStreamName: string }) => {
    if (!streams.delete(input.logStreamName))
      throw Object.assign(new Error('The specified log stream does not exist.'), { name: 'ResourceNotFoundException' });
    return {};
  });
  return { logs, streams };
}

describe('CloudWatchTenantOutputLogs', () => {
  const jane = [
    stream('ip-10-40-1-5', 'gateway-7d9f-abcde', 'openclaw-jane', 'gateway'),
    stream('ip-10-40-2-7', 'gateway-7d9f-fghij', 'openclaw-jane', 'config-check'),
  ];
  const others = [
    stream('ip-10-40-1-5', 'gateway-1111-aaaaa', 'openclaw-jane-doe', 'gateway'),
    stream('ip-10-40-1-5', 'gateway-2222-bbbbb', 'openclaw-janet', 'gateway'),
    stream('ip-10-40-1-5', 'argocd-server-0', 'argocd', 'server'),
  ];

  it("deletes every stream of the tenant's namespace across pages and nothing else", async () => {
    const { logs, streams } = fakeLogGroup([...jane, ...others]);
    const output = new CloudWatchTenantOutputLogs(new CloudWatchLogsClient({ region: 'eu-west-1' }), GROUP);
    await expect(output.eraseNamespace('openclaw-jane')).resolves.toEqual({ deleted: 2 });
    expect([...streams].sort()).toEqual([...others].sort());
    expect(logs.commandCalls(DescribeLogStreamsCommand).length).toBeGreaterThan(1);
    logs.restore();
  });

  it('a second run (a retried job) finds nothing left, and a stream deleted concurrently is not an error', async () => {
    const { logs } = fakeLogGroup([...jane, ...others]);
    const output = new CloudWatchTenantOutputLogs(new CloudWatchLogsClient({ region: 'eu-west-1' }), GROUP);
    logs
      .on(DeleteLogStreamCommand)
      .rejectsOnce(Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' }))
      .callsFake(() => ({}));
    await expect(output.eraseNamespace('openclaw-jane')).resolves.toEqual({ deleted: 1 });
    logs.restore();
  });

  it('an absent log group (no container has written yet) means nothing to erase', async () => {
    const { logs } = fakeLogGroup(jane);
    const output = new CloudWatchTenantOutputLogs(
      new CloudWatchLogsClient({ region: 'eu-west-1' }),
      '/aws/containerinsights/other/application',
    );
    await expect(output.eraseNamespace('openclaw-jane')).resolves.toEqual({ deleted: 0 });
    expect(logs.commandCalls(DeleteLogStreamCommand)).toHaveLength(0);
    logs.restore();
  });

  it('fails if the namespace is not a namespace name (a pattern could match other tenants), deleting nothing', async () => {
    const { logs, streams } = fakeLogGroup([...jane, ...others]);
    const output = new CloudWatchTenantOutputLogs(new CloudWatchLogsClient({ region: 'eu-west-1' }), GROUP);
    for (const bad of ['', 'openclaw-jane_gateway', 'Openclaw-Jane', 'openclaw-*', '-openclaw']) {
      await expect(output.eraseNamespace(bad)).rejects.toThrow(/is not a Kubernetes namespace name/);
    }
    expect(streams.size).toBe(jane.length + others.length);
    expect(logs.commandCalls(DeleteLogStreamCommand)).toHaveLength(0);
    logs.restore();
  });

  it('fails on any other error and reports it (an access denied is not an empty log group)', async () => {
    const logs = mockClient(CloudWatchLogsClient);
    logs.on(DescribeLogStreamsCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const output = new CloudWatchTenantOutputLogs(new CloudWatchLogsClient({ region: 'eu-west-1' }), GROUP);
    await expect(output.eraseNamespace('openclaw-jane')).rejects.toThrow('not authorized');
    logs.restore();
  });
});

describe('offboarding erases the tenant output', () => {
  /** jane after a run that recorded every step: only the output erasure (not a recorded step) has work left. */
  const done: TenantProgressRecord = {
    tenantId: 'jane',
    owner: '0000000a-aaaa-4bbb-8ccc-000000000001',
    status: 'deleted',
    provisioning: {},
    offboarding: Object.fromEntries(OFFBOARDING_STEPS.map((step) => [step, '2026-11-25T13:20:00Z'])),
  };
  const unused = () => {
    throw new Error('a recorded step ran again');
  };
  const deps = (tenantOutput: CloudWatchTenantOutputLogs): OffboardingDeps => ({
    progress: {
      get: async () => done,
      markProvisioningStep: unused,
      markProvisioned: unused,
      markOffboardingStep: unused,
      markDeleted: async () => false,
    },
    userAccess: { revoke: unused },
    secrets: { ensure: unused, scheduleDeletion: unused } as never,
    podIdentity: { ensure: unused, remove: unused },
    inferenceProfiles: { ensureTenantProfiles: unused, removeTenantProfiles: unused } as never,
    repository: { commit: unused, read: unused } as never,
    renderer: {} as never,
    notifier: new RecordingNotifier(),
    log: quietLogger(),
    now: () => new Date('2026-11-26T08:00:00Z'),
    tenantOutput,
  });

  it('a replay after every recorded step still erases what the pods wrote since, and only theirs', async () => {
    const late = stream('ip-10-40-1-5', 'gateway-7d9f-abcde', 'openclaw-jane', 'gateway');
    const other = stream('ip-10-40-1-5', 'gateway-1111-aaaaa', 'openclaw-janet', 'gateway');
    const { logs, streams } = fakeLogGroup([late, other]);
    await offboardTenant(
      { type: 'offboard', tenantId: 'jane', reason: 'left-company' },
      { clusterName: 'openclaw', platformConfig: PLATFORM_CONFIG },
      deps(new CloudWatchTenantOutputLogs(new CloudWatchLogsClient({ region: 'eu-west-1' }), GROUP)),
    );
    expect([...streams]).toEqual([other]);
    expect(logs.commandCalls(DeleteLogStreamCommand).map((c) => c.args[0].input)).toEqual([{ logGroupName: GROUP, logStreamName: late }]);
    logs.restore();
  });

  it('fails the job (so it is retried) when the erasure fails, instead of reporting the tenant offboarded clean', async () => {
    const logs = mockClient(CloudWatchLogsClient);
    logs.on(DescribeLogStreamsCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    await expect(
      offboardTenant(
        { type: 'offboard', tenantId: 'jane', reason: 'left-company' },
        { clusterName: 'openclaw', platformConfig: PLATFORM_CONFIG },
        deps(new CloudWatchTenantOutputLogs(new CloudWatchLogsClient({ region: 'eu-west-1' }), GROUP)),
      ),
    ).rejects.toThrow('throttled');
    logs.restore();
  });
});
