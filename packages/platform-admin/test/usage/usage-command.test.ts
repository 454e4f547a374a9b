import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { EXAMPLE_PLATFORM_CONFIG } from '@openclaw-tenancy/tenant-manifests';
import { runLifecycleCommand } from '../../src/cli/lifecycle-cli';
import { EXIT_CODES } from '../../src/lifecycle/lifecycle-refusal';
import { USAGE_CSV_HEADER, monthPeriod } from '../../src/usage/usage-report';
import { AdminFixture, bedrockTokens, captureIo, cloudWatch, resetAwsMocks, startAdminFixture, tenant } from '../support/lifecycle-fixture';

jest.setTimeout(120_000);

const profile = (id: string) => `arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/${id}`;
let fx: AdminFixture;

beforeAll(async () => {
  fx = await startAdminFixture();
  await fx.seed([
    tenant('alice', 'owner-alice-0001', { inferenceProfiles: { opus: profile('aliceopus'), sonnet: profile('alicesonnet') } }),
    tenant('bob', 'owner-bob-00001', { inferenceProfiles: { deepseek: profile('bobdeepseek') } }),
    // Offboarded during the month: its tombstone keeps the ARNs, so its usage before still counts.
    tenant('carol', 'owner-carol-0001', {
      status: 'deleted',
      deletedAt: '2026-10-20T00:00:00Z',
      statusReason: 'offboarded',
      inferenceProfiles: { sonnet: profile('carolsonnet') },
    }),
  ]);
});
afterAll(async () => fx.close());
beforeEach(() => {
  resetAwsMocks();
  // opus $15/$75, sonnet $3/$15, deepseek $0.14/$0.28 per million tokens (the example catalog).
  bedrockTokens({
    [profile('aliceopus')]: { InputTokenCount: 200_000, OutputTokenCount: 40_000 },
    alicesonnet: { InputTokenCount: 1_000_000 },
    [profile('bobdeepseek')]: { InputTokenCount: 10_000_000, OutputTokenCount: 1_000_000 },
    [profile('carolsonnet')]: { InputTokenCount: 500_000, OutputTokenCount: 100_000 },
  });
});

async function usage(...args: string[]) {
  const io = captureIo();
  const code = await runLifecycleCommand('usage', [...args, '--config', EXAMPLE_PLATFORM_CONFIG], {
    baseDir: process.cwd(),
    stdout: io.stdout,
    stderr: io.stderr,
    portsFor: async () => fx.ports,
  });
  return { code, out: io.out(), err: io.err() };
}

describe('usage', () => {
  it('--json: tokens and cost per tenant and model for a past month, tombstones included, highest spend first', async () => {
    const r = await usage('--month', '2026-10', '--json');
    expect(r.code).toBe(EXIT_CODES.ok);
    const report = JSON.parse(r.out);
    expect(report.from).toBe('2026-10-01T00:00:00.000Z');
    expect(report.until).toBe('2026-10-31T23:59:59.999Z');
    expect(report.rows).toEqual([
      { tenantId: 'alice', status: 'active', modelAlias: 'opus', inputTokens: 200_000, outputTokens: 40_000, costUsd: 6 },
      { tenantId: 'alice', status: 'active', modelAlias: 'sonnet', inputTokens: 1_000_000, outputTokens: 0, costUsd: 3 },
      { tenantId: 'bob', status: 'active', modelAlias: 'deepseek', inputTokens: 10_000_000, outputTokens: 1_000_000, costUsd: 1.68 },
      { tenantId: 'carol', status: 'deleted', modelAlias: 'sonnet', inputTokens: 500_000, outputTokens: 100_000, costUsd: 3 },
    ]);
    expect(report.tenants.map((t: { tenantId: string; costUsd: number }) => [t.tenantId, t.costUsd])).toEqual([
      ['alice', 9],
      ['carol', 3],
      ['bob', 1.68],
    ]);
    expect(report.totalUsd).toBe(13.68);
    // The whole month asked of CloudWatch, in the profiles' region.
    const input = cloudWatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(input?.StartTime).toEqual(new Date('2026-10-01T00:00:00Z'));
    expect(input?.EndTime).toEqual(new Date('2026-10-31T23:59:59.999Z'));
    expect(r.err).toMatch(/reading Bedrock token counts of 3 tenants for 2026-10/);
  });

  it("compute showback per tenant: running pod-hours of its namespace × its tier's requests", async () => {
    bedrockTokens({}, { 'openclaw-alice': [1, 1, 1, 1, 1, 1], 'openclaw-carol': [1, 1] });
    const r = await usage('--month', '2026-10', '--json');
    expect(r.code).toBe(EXIT_CODES.ok);
    const compute = Object.fromEntries(
      JSON.parse(r.out).tenants.map((t: { tenantId: string; compute: unknown }) => [t.tenantId, t.compute]),
    );
    // standard tier: 250m and 1280Mi per gateway.
    expect(compute).toEqual({
      alice: { podHours: 6, cpuCoreHours: 1.5, memoryGiBHours: 7.5 },
      bob: { podHours: 0, cpuCoreHours: 0, memoryGiBHours: 0 },
      carol: { podHours: 2, cpuCoreHours: 0.5, memoryGiBHours: 2.5 },
    });
    const text = await usage('--month', '2026-10');
    expect(text.out).toMatch(/compute \(running pod-hours × the tier's gateway requests\)\nTENANT\s+POD-HOURS/);
    expect(text.out).toMatch(/alice\s+6\.00\s+1\.50\s+7\.50/);
  });

  it('--csv for one tenant; the current month runs until now', async () => {
    const r = await usage('--tenant', 'alice', '--csv');
    expect(r.code).toBe(EXIT_CODES.ok);
    expect(r.out).toBe(`${USAGE_CSV_HEADER}\n2026-11,alice,active,opus,200000,40000,6.00\n2026-11,alice,active,sonnet,1000000,0,3.00\n`);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input.EndTime).toEqual(new Date('2026-11-20T10:00:00Z'));
  });

  it('prints a table with the total', async () => {
    const r = await usage('--month', '2026-10');
    expect(r.out).toMatch(/^2026-10 \(2026-10-01T00:00:00.000Z – 2026-10-31T23:59:59.999Z\)\nTENANT\s+STATUS\s+MODEL/);
    expect(r.out).toMatch(/bob\s+active\s+deepseek\s+10000000\s+1000000\s+1\.68/);
    expect(r.out).toMatch(/total \$13\.68\n/);
  });

  it.each([
    [['--month', '2026-13'], EXIT_CODES.usage, /--month "2026-13" must be YYYY-MM/],
    [['--month', '2026-12'], EXIT_CODES.usage, /has not started yet/],
    [['--json', '--csv'], EXIT_CODES.usage, /--json or --csv, not both/],
    [['--tenant', 'nobody'], EXIT_CODES.refused, /no tenant "nobody"/],
    [['--tenant', 'Bad_Id'], EXIT_CODES.usage, /tenant id/i],
  ])('%j exits %i without reading usage', async (args, code, message) => {
    const r = await usage(...args);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toEqual([]);
  });

  it('monthPeriod: February of a leap year ends on the 29th', () => {
    expect(monthPeriod('2028-02', new Date('2029-01-01T00:00:00Z')).until.toISOString()).toBe('2028-02-29T23:59:59.999Z');
  });
});
