import { BedrockClient, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { CloudWatchClient, GetMetricDataCommand, GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import * as fs from 'node:fs';
import { FUNCTION_ENV, PlatformConfig, TenantRecord, newTenantRecord, suspendTenant, tombstoneTenant } from '@openclaw-tenancy/shared';
import {
  EXAMPLE_PLATFORM_CONFIG,
  loadPlatformConfigText,
  parseTenantRecordText,
  serializeTenantRecord,
  synthesizeTenantFiles,
} from '@openclaw-tenancy/tenant-manifests';
import { BedrockInferenceProfiles } from '../src/adapters/bedrock-inference-profiles';
import { CloudWatchUsageSource } from '../src/adapters/cloudwatch-usage-source';
import { BUDGET_ALERT_LEASE_MS, DynamoDbBudgetAlertLedger } from '../src/adapters/dynamodb/budget-alert-table';
import { budgetItemKey } from '../src/adapters/dynamodb/table-keys';
import { IsomorphicGitRepository } from '../src/adapters/git/isomorphic-git-repository';
import { SnsAdminNotifier } from '../src/adapters/sns-admin-notifier';
import { tenantManifestsRenderer } from '../src/adapters/tenant-manifests-renderer';
import { readCostEnforcerConfig } from '../src/config/function-config';
import { CostPolicy, priceUsage } from '../src/domain/cost-enforcement';
import { createCostEnforcerHandler } from '../src/handlers/cost-enforcer';
import { localLambdaContext } from '../src/testing/lambda-invoke-server';
import { GIT_CREDENTIALS, GitOpsRemote, PLATFORM_CONFIG_PATH, startGitOpsRemote } from './support/gitops-remote';
import { TestTables, startTestTables } from './support/test-tables';
import { regionsOf } from './support/bedrock-profiles-mock';
import { quietLogger } from './support/recording-ports';

// Real servers (Git, dynalite) on a shared 2-core machine: generous, not a performance assertion.
jest.setTimeout(30000);

const NOW = new Date('2026-11-25T06:00:00Z');
const NEXT_MONTH = new Date('2026-12-02T06:00:00Z');
const TOPIC = 'arn:aws:sns:eu-west-1:111111111111:alerts';
const SCHEDULED_EVENT = { source: 'aws.events', 'detail-type': 'Scheduled Event', time: '2026-11-25T06:00:00Z' };
const owner = (n: number) => `0000000${n}-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`;
/** Profiles live in models.bedrockRegion (us-east-1), not in the functions' region (eu-west-1). */
const profileArn = (tenantId: string, alias: string) =>
  `arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/${tenantId}${alias}`;
const profileArns = (tenantId: string) =>
  Object.fromEntries(['opus', 'sonnet', 'deepseek'].map((alias) => [alias, profileArn(tenantId, alias)]));

const EXAMPLE_CONFIG_TEXT = fs.readFileSync(EXAMPLE_PLATFORM_CONFIG, 'utf8');
const CONFIG: PlatformConfig = loadPlatformConfigText(EXAMPLE_CONFIG_TEXT, PLATFORM_CONFIG_PATH);
/** MODEL_PRICING exactly as the CDK app sets it (packages/aws-infra: `JSON.stringify(models.catalog)`), through the real config reader. */
const MODEL_PRICING = readCostEnforcerConfig({
  [FUNCTION_ENV.tenantTable]: 't',
  [FUNCTION_ENV.alertsTopicArn]: TOPIC,
  [FUNCTION_ENV.gitRepoUrl]: 'https://git.example.com/gitops.git',
  [FUNCTION_ENV.gitCredentialsSecret]: 's',
  [FUNCTION_ENV.modelPricing]: JSON.stringify(CONFIG.models.catalog),
}).modelPricing;

const created = new Date('2026-10-01T09:00:00Z');
const active = (id: string, n: number, budget?: number): TenantRecord =>
  newTenantRecord({
    id,
    owner: owner(n),
    tier: 'standard',
    runtime: 'runc',
    createdAt: created,
    ...(budget !== undefined ? { monthlyBudgetUsd: budget } : {}),
  });
const withProfiles = (record: TenantRecord): TenantRecord => ({ ...record, inferenceProfiles: profileArns(record.id) });
/**
 * The registry: alice (platform default budget), bob ($10 override), carol
 * (already suspended, $10), dave (a tombstone), erin (active, spends little).
 * alice and bob were provisioned with their profile ARNs in the registry; carol
 * and erin predate that (their profiles are looked up by name).
 */
const REGISTRY: TenantRecord[] = [
  withProfiles(active('alice', 1)),
  withProfiles(active('bob', 2, 10)),
  suspendTenant(active('carol', 3, 10), new Date('2026-11-20T06:00:00Z'), 'budget'),
  tombstoneTenant(active('dave', 4), new Date('2026-11-10T00:00:00Z'), 'offboarded'),
  active('erin', 5),
];

/** Month-to-date tokens per profile: [input, output]. */
type Usage = Record<string, Record<string, [number, number]>>;
const NOVEMBER: Usage = {
  // opus: $15 in / $75 out per million → 30 + 52.5 = $82.50 of $100: 80 %
  alice: { opus: [2_000_000, 700_000] },
  // sonnet: $3 / $15 → 3 + 7.5 = $10.50 of $10 override: 105 %
  bob: { sonnet: [1_000_000, 500_000], deepseek: [0, 0] },
  // $15 of $10: 150 %, but already suspended
  carol: { opus: [1_000_000, 0] },
  // a tombstone is never looked at, whatever CloudWatch holds
  dave: { opus: [50_000_000, 50_000_000] },
  // $0.15
  erin: { opus: [10_000, 0] },
};

const cloudWatch = mockClient(CloudWatchClient);
const bedrock = mockClient(BedrockClient);
const sns = mockClient(SNSClient);

/** Bedrock lists every tenant's application profiles (erin has only opus) on two pages. */
function mockProfiles(usage: Usage): void {
  const summaries = Object.entries(usage).flatMap(([id, byAlias]) =>
    Object.keys(byAlias).map((alias) => ({
      inferenceProfileName: `openclaw-${id}-${alias}`,
      inferenceProfileArn: profileArn(id, alias),
      inferenceProfileId: `${id}${alias}`,
      type: 'APPLICATION' as const,
    })),
  );
  const half = Math.ceil(summaries.length / 2);
  bedrock
    .on(ListInferenceProfilesCommand)
    .callsFake((input: { nextToken?: string }) =>
      input.nextToken === 'page-2'
        ? { inferenceProfileSummaries: summaries.slice(half) }
        : { inferenceProfileSummaries: summaries.slice(0, half), nextToken: 'page-2' },
    );
}

/**
 * CloudWatch answers each query from `usage`, split over two daily data points,
 * for the one form of the `ModelId` dimension it publishes (`form`); the other
 * form has no data, as a metric that does not exist.
 */
function mockMetrics(usage: Usage, form: 'id' | 'arn' = 'id'): void {
  const byDimension = new Map(
    Object.entries(usage).flatMap(([id, byAlias]) =>
      Object.entries(byAlias).map(([alias, tokens]) => [form === 'arn' ? profileArn(id, alias) : `${id}${alias}`, tokens] as const),
    ),
  );
  cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
      const tokens = byDimension.get(q.MetricStat?.Metric?.Dimensions?.[0]?.Value ?? '');
      if (!tokens) return { Id: q.Id, Values: [], Timestamps: [], StatusCode: 'Complete' };
      const total = q.MetricStat?.Metric?.MetricName === 'InputTokenCount' ? tokens[0] : tokens[1];
      return { Id: q.Id, Values: [total / 2, total / 2], StatusCode: 'Complete' };
    }),
  }));
}

describe('CloudWatch usage source (SDK mocks)', () => {
  beforeEach(() => {
    cloudWatch.reset();
    bedrock.reset();
  });
  const usageSource = () => new CloudWatchUsageSource(new BedrockInferenceProfiles(), ['opus', 'sonnet', 'deepseek']);
  const query = (id: string, dimension: string, metric: string) => ({
    Id: id,
    MetricStat: {
      Metric: { Namespace: 'AWS/Bedrock', MetricName: metric, Dimensions: [{ Name: 'ModelId', Value: dimension }] },
      Period: 86400,
      Stat: 'Sum',
    },
    ReturnData: true,
  });

  it('takes the ARNs from the registry, looks the others up by name, and asks GetMetricData for both ModelId forms of each series in one call', async () => {
    // Bedrock lists erin's profile (she has no ARNs in the registry) and alice's.
    mockProfiles({ alice: { opus: [0, 0], sonnet: [0, 0] }, erin: { opus: [0, 0] } });
    mockMetrics({ alice: { opus: [2_000_000, 700_000], sonnet: [10, 20] }, erin: { opus: [10_000, 0] } });

    const usage = await usageSource().monthToDate(
      [
        { id: 'alice', inferenceProfiles: { opus: profileArn('alice', 'opus'), sonnet: profileArn('alice', 'sonnet') } },
        { id: 'erin' },
        { id: 'nobody' },
      ],
      NOW,
      'us-east-1',
    );

    expect(bedrock.commandCalls(ListInferenceProfilesCommand).map((c) => c.args[0].input)).toEqual([
      { typeEquals: 'APPLICATION', maxResults: 1000 },
      { typeEquals: 'APPLICATION', maxResults: 1000, nextToken: 'page-2' },
    ]);
    expect(await regionsOf(bedrock.calls())).toEqual(['us-east-1', 'us-east-1']);
    const forms = (q: number, tenant: string, alias: string, metric: string) => [
      query(`q${q}`, profileArn(tenant, alias), metric),
      query(`q${q + 1}`, `${tenant}${alias}`, metric),
    ];
    expect(cloudWatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input)).toEqual([
      {
        MetricDataQueries: [
          ...forms(0, 'alice', 'opus', 'InputTokenCount'),
          ...forms(2, 'alice', 'opus', 'OutputTokenCount'),
          ...forms(4, 'alice', 'sonnet', 'InputTokenCount'),
          ...forms(6, 'alice', 'sonnet', 'OutputTokenCount'),
          ...forms(8, 'erin', 'opus', 'InputTokenCount'),
          ...forms(10, 'erin', 'opus', 'OutputTokenCount'),
        ],
        StartTime: new Date('2026-11-01T00:00:00Z'),
        EndTime: NOW,
      },
    ]);
    // The metrics of the profiles' region, not the function's (eu-west-1).
    expect(await regionsOf(cloudWatch.calls())).toEqual(['us-east-1']);
    expect(usage).toEqual(
      new Map([
        [
          'alice',
          [
            { modelAlias: 'opus', inputTokens: 2_000_000, outputTokens: 700_000 },
            { modelAlias: 'sonnet', inputTokens: 10, outputTokens: 20 },
          ],
        ],
        ['erin', [{ modelAlias: 'opus', inputTokens: 10_000, outputTokens: 0 }]],
      ]),
    );
  });

  it("never lists profiles when the registry records every tenant's ARNs", async () => {
    mockMetrics({ alice: { opus: [1, 2] } });
    const usage = await usageSource().monthToDate([{ id: 'alice', inferenceProfiles: profileArns('alice') }], NOW, 'us-east-1');
    expect(bedrock.calls()).toHaveLength(0);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries).toHaveLength(3 * 2 * 2);
    expect(usage.get('alice')?.[0]).toEqual({ modelAlias: 'opus', inputTokens: 1, outputTokens: 2 });
  });

  it.each(['id', 'arn'] as const)(
    'counts the same usage when CloudWatch publishes ModelId as the profile %s (the other form has no data)',
    async (form) => {
      mockProfiles({ erin: { opus: [0, 0] } });
      mockMetrics({ alice: { opus: [2_000_000, 700_000], sonnet: [10, 20] }, erin: { opus: [10_000, 5] } }, form);
      const usage = await usageSource().monthToDate(
        [{ id: 'alice', inferenceProfiles: profileArns('alice') }, { id: 'erin' }],
        NOW,
        'us-east-1',
      );
      expect(usage).toEqual(
        new Map([
          [
            'alice',
            [
              { modelAlias: 'opus', inputTokens: 2_000_000, outputTokens: 700_000 },
              { modelAlias: 'sonnet', inputTokens: 10, outputTokens: 20 },
              { modelAlias: 'deepseek', inputTokens: 0, outputTokens: 0 },
            ],
          ],
          ['erin', [{ modelAlias: 'opus', inputTokens: 10_000, outputTokens: 5 }]],
        ]),
      );
    },
  );

  it('splits more than 500 queries over several calls, never separating the two forms of a series, and follows NextToken with the same queries', async () => {
    // 42 tenants × 3 models × 2 metrics × 2 forms = 504 queries.
    const tenants = Array.from({ length: 42 }, (_, i) => `t${i}`);
    mockProfiles(Object.fromEntries(tenants.map((t) => [t, { opus: [0, 0], sonnet: [0, 0], deepseek: [0, 0] }])) as Usage);
    let paged = false;
    cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      const queries = input.MetricDataQueries ?? [];
      // The first call answers in two pages; only the id form has data.
      const answer = (qs: typeof queries) =>
        qs.map((q) => ({ Id: q.Id, Values: q.MetricStat?.Metric?.Dimensions?.[0]?.Value?.startsWith('arn:') ? [] : [1] }));
      if (!paged && !input.NextToken) {
        paged = true;
        return { MetricDataResults: answer(queries.slice(0, 250)), NextToken: 'more' };
      }
      return { MetricDataResults: answer(input.NextToken ? queries.slice(250) : queries) };
    });
    const usage = await usageSource().monthToDate(
      tenants.map((id) => ({ id })),
      NOW,
      'us-east-1',
    );

    const calls = cloudWatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => [c.MetricDataQueries?.length, c.NextToken])).toEqual([
      [500, undefined],
      [500, 'more'],
      [4, undefined],
    ]);
    expect(calls[1]?.MetricDataQueries).toEqual(calls[0]?.MetricDataQueries);
    expect(calls[2]?.MetricDataQueries?.map((q) => q.Id)).toEqual(['q500', 'q501', 'q502', 'q503']);
    expect(calls[2]?.MetricDataQueries?.map((q) => q.MetricStat?.Metric?.Dimensions?.[0]?.Value)).toEqual([
      profileArn('t41', 'deepseek'),
      't41deepseek',
      profileArn('t41', 'deepseek'),
      't41deepseek',
    ]);
    expect(usage.size).toBe(42);
    expect(usage.get('t41')).toEqual([
      { modelAlias: 'opus', inputTokens: 1, outputTokens: 1 },
      { modelAlias: 'sonnet', inputTokens: 1, outputTokens: 1 },
      { modelAlias: 'deepseek', inputTokens: 1, outputTokens: 1 },
    ]);
  });
});

describe('pricing from MODEL_PRICING', () => {
  it('prices each model with its own input and output rates', () => {
    expect(MODEL_PRICING.map((m) => [m.alias, m.pricing.inputUsdPerMillionTokens, m.pricing.outputUsdPerMillionTokens])).toEqual([
      ['opus', 15, 75],
      ['sonnet', 3, 15],
      ['deepseek', 0.14, 0.28],
    ]);
    expect(priceUsage([{ modelAlias: 'opus', inputTokens: 2_000_000, outputTokens: 700_000 }], MODEL_PRICING)).toBeCloseTo(82.5, 10);
    expect(
      priceUsage(
        [
          { modelAlias: 'sonnet', inputTokens: 1_000_000, outputTokens: 500_000 },
          { modelAlias: 'deepseek', inputTokens: 1_000_000, outputTokens: 1_000_000 },
        ],
        MODEL_PRICING,
      ),
    ).toBeCloseTo(10.92, 10);
    expect(priceUsage([], MODEL_PRICING)).toBe(0);
    expect(() => priceUsage([{ modelAlias: 'gpt', inputTokens: 1, outputTokens: 1 }], MODEL_PRICING)).toThrow(
      'no price for model alias "gpt" in MODEL_PRICING',
    );
  });
});

describe('cost enforcer (real Git remote, dynalite, SDK mocks)', () => {
  let tables: TestTables;
  let remote: GitOpsRemote;
  let seedFiles: Array<{ path: string; content: string }>;

  beforeAll(() => {
    seedFiles = REGISTRY.flatMap((r) => [
      { path: `tenants/${r.id}.yaml`, content: serializeTenantRecord(r) },
      ...synthesizeTenantFiles(r, CONFIG),
    ]);
  });

  beforeEach(async () => {
    cloudWatch.reset();
    bedrock.reset();
    sns.reset();
    mockProfiles(NOVEMBER);
    mockMetrics(NOVEMBER);
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    tables = await startTestTables();
    remote = await startGitOpsRemote();
    remote.pushFiles(seedFiles, 'Seed the registry');
  });
  afterEach(async () => {
    await tables.close();
    await remote.close();
  });

  function handler(options: { suspendAtLimit?: boolean; now?: Date; logger?: Logger; url?: string } = {}) {
    const policy: CostPolicy = {
      defaultMonthlyBudgetUsd: 100,
      thresholdsPercent: [80, 100],
      suspendAtLimit: options.suspendAtLimit ?? true,
      pricing: MODEL_PRICING,
      platformConfig: CONFIG,
    };
    const now = options.now ?? NOW;
    const created = createCostEnforcerHandler({
      policy,
      repository: new IsomorphicGitRepository({
        url: options.url ?? remote.url,
        branch: 'main',
        author: { name: 'openclaw-cost-enforcer', email: 'c@example.com' },
        credentials: async () => GIT_CREDENTIALS,
        backoffBaseMs: 5,
        now: () => now,
      }),
      renderer: tenantManifestsRenderer,
      usage: new CloudWatchUsageSource(
        new BedrockInferenceProfiles(),
        MODEL_PRICING.map((m) => m.alias),
      ),
      ledger: new DynamoDbBudgetAlertLedger(tables.db, tables.tenantTable),
      notifier: new SnsAdminNotifier(new SNSClient({}), TOPIC),
      logger: options.logger ?? quietLogger(),
      now: () => now,
    });
    return (event: unknown = SCHEDULED_EVENT) => created(event, localLambdaContext('cost-enforcer'));
  }

  const alerts = () =>
    sns
      .commandCalls(PublishCommand)
      .map((c) => c.args[0].input)
      .filter((i) => i.MessageAttributes?.eventType?.StringValue === 'TenantBudgetThresholdCrossed')
      .map((i) => i.Subject)
      .sort();
  const suspensions = () =>
    sns
      .commandCalls(PublishCommand)
      .map((c) => c.args[0].input)
      .filter((i) => i.MessageAttributes?.eventType?.StringValue === 'TenantSuspended')
      .map((i) => i.Subject);
  const budgetItem = async (id: string, month = '2026-11') =>
    (await tables.db.send(new GetCommand({ TableName: tables.tenantTable, Key: budgetItemKey(id, month) }))).Item;
  const record = (id: string) => parseTenantRecordText(remote.show(`tenants/${id}.yaml`) ?? '', `tenants/${id}.yaml`);
  const replicas = (id: string) =>
    [...(remote.show(`deploy/tenants/${id}/manifests.yaml`) ?? '').matchAll(/^\s+replicas: (\d+)$/gm)].map((m) => Number(m[1]));

  it('alerts at 80 % and 100 % with the default and the registry budget, and suspends at 100 % in one GitOps commit', async () => {
    const before = remote.countCommits();
    expect(replicas('bob')).toEqual([1]);

    await expect(handler()()).resolves.toEqual({ month: '2026-11', tenantsChecked: 4, alertsSent: 5, suspended: ['bob'] });

    // alice 82.5 % of the $100 default; bob 105 % of his $10; carol 150 % (alerted, not re-suspended); erin nothing; dave ignored.
    expect(alerts()).toEqual([
      'Budget 100% reached: bob',
      'Budget 100% reached: carol',
      'Budget 80% reached: alice',
      'Budget 80% reached: bob',
      'Budget 80% reached: carol',
    ]);
    const bob100 = sns.commandCalls(PublishCommand).find((c) => c.args[0].input.Subject === 'Budget 100% reached: bob')?.args[0].input;
    expect(bob100).toEqual({
      TopicArn: TOPIC,
      Subject: 'Budget 100% reached: bob',
      Message: 'Tenant bob has spent $10.50 of its $10.00 budget for 2026-11 (100% threshold).',
      MessageAttributes: {
        eventType: { DataType: 'String', StringValue: 'TenantBudgetThresholdCrossed' },
        tenantId: { DataType: 'String', StringValue: 'bob' },
      },
    });
    expect(
      sns.commandCalls(PublishCommand).find((c) => c.args[0].input.Subject === 'Budget 80% reached: alice')?.args[0].input.Message,
    ).toBe('Tenant alice has spent $82.50 of its $100.00 budget for 2026-11 (80% threshold).');
    expect(suspensions()).toEqual(['Tenant suspended: bob']);

    // The ledger in dynalite: budget#<id>#<yyyy-mm>, one attribute per threshold sent.
    expect(await budgetItem('alice')).toEqual({ pk: 'budget#alice#2026-11', alerted_80: '2026-11-25T06:00:00Z' });
    expect(await budgetItem('bob')).toEqual({
      pk: 'budget#bob#2026-11',
      alerted_80: '2026-11-25T06:00:00Z',
      alerted_100: '2026-11-25T06:00:00Z',
    });
    expect(await budgetItem('erin')).toBeUndefined();
    expect(await budgetItem('dave')).toBeUndefined();

    // Git: one commit with bob's registry file and his re-synthesized folder, and nothing of carol's.
    expect(remote.countCommits()).toBe(before + 1);
    expect(remote.log()[0]).toBe('Suspend tenants over budget: bob');
    expect(remote.changedFiles()).toEqual(['M\tdeploy/tenants/bob/manifests.yaml', 'M\ttenants/bob.yaml']);
    expect(record('bob')).toEqual(suspendTenant(withProfiles(active('bob', 2, 10)), NOW, 'budget'));
    expect(record('bob')).toMatchObject({ status: 'suspended', suspendedAt: '2026-11-25T06:00:00Z', statusReason: 'budget' });
    expect(replicas('bob')).toEqual([0]);
    expect(remote.show('deploy/tenants/bob/manifests.yaml')).toBe(synthesizeTenantFiles(record('bob'), CONFIG)[0]?.content);
    expect(record('alice').status).toBe('active');
    expect(record('carol')).toEqual(REGISTRY[2]);

    // The tombstone was never even queried.
    const queried = cloudWatch
      .commandCalls(GetMetricDataCommand)
      .flatMap((c) => c.args[0].input.MetricDataQueries ?? [])
      .map((q) => q.MetricStat?.Metric?.Dimensions?.[0]?.Value);
    expect(queried.some((v) => v?.includes('dave'))).toBe(false);
    // alice and bob: every catalog model from the registry; carol and erin: the opus profile found by name. Input
    // and output each, both ModelId forms each.
    expect(queried).toHaveLength((3 + 3 + 1 + 1) * 2 * 2);
    // In the region of the platform config's models.bedrockRegion (read from the GitOps repository), not eu-west-1.
    expect(new Set(await regionsOf([...cloudWatch.calls(), ...bedrock.calls()]))).toEqual(new Set(['us-east-1']));
  });

  it('does not suspend when SUSPEND_AT_LIMIT is false (the alerts still go out)', async () => {
    const before = remote.countCommits();
    await expect(handler({ suspendAtLimit: false })()).resolves.toMatchObject({ alertsSent: 5, suspended: [] });
    expect(remote.countCommits()).toBe(before);
    expect(record('bob').status).toBe('active');
    expect(replicas('bob')).toEqual([1]);
    expect(suspensions()).toEqual([]);
  });

  it('sends nothing new and commits nothing on a second run the same day', async () => {
    await handler()();
    const commits = remote.countCommits();
    const published = sns.commandCalls(PublishCommand).length;
    await expect(handler({ now: new Date('2026-11-25T18:00:00Z') })()).resolves.toEqual({
      month: '2026-11',
      tenantsChecked: 4,
      alertsSent: 0,
      suspended: [],
    });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(published);
    expect(remote.countCommits()).toBe(commits);
  });

  it('starts afresh in a new month', async () => {
    await handler({ suspendAtLimit: false })();
    // December so far: alice has spent $82.50 again, nobody else anything.
    cloudWatch.reset();
    mockMetrics({ alice: { opus: [2_000_000, 700_000] } });
    sns.resetHistory();
    await expect(handler({ suspendAtLimit: false, now: NEXT_MONTH })()).resolves.toMatchObject({ month: '2026-12', alertsSent: 1 });
    expect(alerts()).toEqual(['Budget 80% reached: alice']);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input).toMatchObject({
      StartTime: new Date('2026-12-01T00:00:00Z'),
      EndTime: NEXT_MONTH,
    });
    expect(await budgetItem('alice', '2026-12')).toEqual({ pk: 'budget#alice#2026-12', alerted_80: '2026-12-02T06:00:00Z' });
    expect(await budgetItem('alice', '2026-11')).toEqual({ pk: 'budget#alice#2026-11', alerted_80: '2026-11-25T06:00:00Z' });
  });

  it('never double-sends when two runs overlap (conditional write first), and suspends once', async () => {
    const before = remote.countCommits();
    const [a, b] = await Promise.all([handler()(), handler()()]);
    expect((a.alertsSent ?? 0) + (b.alertsSent ?? 0)).toBe(5);
    expect(alerts()).toEqual([
      'Budget 100% reached: bob',
      'Budget 100% reached: carol',
      'Budget 80% reached: alice',
      'Budget 80% reached: bob',
      'Budget 80% reached: carol',
    ]);
    expect([...a.suspended, ...b.suspended]).toEqual(['bob']);
    expect(suspensions()).toEqual(['Tenant suspended: bob']);
    expect(remote.countCommits()).toBe(before + 1);
    expect(record('bob').status).toBe('suspended');
  });

  it('retries an alert that could not be sent on the next run, once', async () => {
    let failed = false;
    sns.on(PublishCommand).callsFake((input: { Subject?: string }) => {
      if (input.Subject === 'Budget 100% reached: bob' && !failed) {
        failed = true;
        throw Object.assign(new Error('throttled'), { name: 'ThrottledException' });
      }
      return { MessageId: 'm' };
    });
    await expect(handler()()).rejects.toThrow('budget alerts not sent (the next run retries them): bob 100%');
    expect(await budgetItem('bob')).toEqual({ pk: 'budget#bob#2026-11', alerted_80: '2026-11-25T06:00:00Z' });
    // The failure held up nothing else: every alert was attempted (bob's 100 % failed) and bob was suspended.
    expect(alerts()).toEqual([
      'Budget 100% reached: bob',
      'Budget 100% reached: carol',
      'Budget 80% reached: alice',
      'Budget 80% reached: bob',
      'Budget 80% reached: carol',
    ]);
    expect(record('bob').status).toBe('suspended');

    sns.resetHistory();
    await expect(handler()()).resolves.toMatchObject({ alertsSent: 1, suspended: [] });
    expect(alerts()).toEqual(['Budget 100% reached: bob']);
    sns.resetHistory();
    await expect(handler()()).resolves.toMatchObject({ alertsSent: 0 });
    expect(alerts()).toEqual([]);
  });

  it('does not lose an alert when a run died between its claim and the notice: a later run takes the expired claim over', async () => {
    // The dead run's claim, made just before it was killed (no alert sent, nothing recorded as sent).
    const ledger = new DynamoDbBudgetAlertLedger(tables.db, tables.tenantTable);
    expect(await ledger.claim('bob', '2026-11', 100, NOW)).toBe(true);

    // An overlapping run (within the lease) leaves it to the claim's holder.
    await expect(handler({ suspendAtLimit: false, now: new Date(NOW.getTime() + 60_000) })()).resolves.toMatchObject({ alertsSent: 4 });
    expect(alerts()).not.toContain('Budget 100% reached: bob');

    // Once the lease expired, the next run sends it, once.
    sns.resetHistory();
    const later = new Date(NOW.getTime() + BUDGET_ALERT_LEASE_MS + 60_000);
    await expect(handler({ suspendAtLimit: false, now: later })()).resolves.toMatchObject({ alertsSent: 1 });
    expect(alerts()).toEqual(['Budget 100% reached: bob']);
    expect(await budgetItem('bob')).toEqual({
      pk: 'budget#bob#2026-11',
      alerted_80: '2026-11-25T06:01:00Z',
      alerted_100: '2026-11-25T06:16:00Z',
    });
    sns.resetHistory();
    await expect(handler({ suspendAtLimit: false, now: new Date(later.getTime() + BUDGET_ALERT_LEASE_MS * 2) })()).resolves.toMatchObject({
      alertsSent: 0,
    });
  });

  it('fails the run when the Git remote is down at suspension, and suspends on the retry without repeating the alerts', async () => {
    let down = false;
    const flaky = await startGitOpsRemote(({ service, method }) =>
      down && service === 'git-receive-pack' && method === 'POST' ? 503 : undefined,
    );
    try {
      flaky.pushFiles(seedFiles, 'Seed the registry');
      const commits = flaky.countCommits();
      down = true;
      await expect(handler({ url: flaky.url })()).rejects.toThrow();
      expect(flaky.countCommits()).toBe(commits);
      expect(alerts()).toHaveLength(5);
      expect(suspensions()).toEqual([]);

      down = false;
      sns.resetHistory();
      await expect(handler({ url: flaky.url })()).resolves.toMatchObject({ alertsSent: 0, suspended: ['bob'] });
      expect(alerts()).toEqual([]);
      expect(suspensions()).toEqual(['Tenant suspended: bob']);
      expect(flaky.countCommits()).toBe(commits + 1);
    } finally {
      await flaky.close();
    }
  });

  it('runs only on its schedule', async () => {
    await expect(handler()({ source: 'aws.s3' })).rejects.toThrow(
      'cost-enforcer runs on its EventBridge schedule, not on events from "aws.s3"',
    );
    await expect(handler()(null)).rejects.toThrow('cost-enforcer runs on its EventBridge schedule');
    expect(sns.calls()).toHaveLength(0);
  });
});
