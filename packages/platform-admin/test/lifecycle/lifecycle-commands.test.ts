import { AdminUpdateUserAttributesCommand, ListUsersCommand, type ListUsersCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import { ListPodIdentityAssociationsCommand } from '@aws-sdk/client-eks';
import { ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { parseTenantJob, tenantNames } from '@openclaw-tenancy/shared';
import { EXAMPLE_PLATFORM_CONFIG } from '@openclaw-tenancy/tenant-manifests';
import { runLifecycleCommand, type LifecycleCommand } from '../../src/cli/lifecycle-cli';
import { EXIT_CODES } from '../../src/lifecycle/lifecycle-refusal';
import {
  AdminFixture,
  DEPLOYMENT,
  bedrock,
  bedrockTokens,
  captureIo,
  cloudWatch,
  cognito,
  eks,
  resetAwsMocks,
  secretsManager,
  sqs,
  startAdminFixture,
  tenant,
} from '../support/lifecycle-fixture';

jest.setTimeout(120_000);

const JANE = { sub: '7d3c1a52-0a4e-4c5e-9a77-3f3f1e5c0001', email: 'jane@example.com', userName: 'jane-user' };
const OPUS_ARN = 'arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/janeopus01';
const SONNET_ARN = 'arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/janesonnet1';

let fx: AdminFixture;

beforeAll(async () => {
  fx = await startAdminFixture();
});
afterAll(async () => fx.close());
beforeEach(() => {
  resetAwsMocks();
  cognito.on(AdminUpdateUserAttributesCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
});

/** Answers ListUsers like Cognito: only users whose attribute equals the filter's value. */
function poolUsers(users: ReadonlyArray<{ sub: string; email: string; userName: string; status?: string; enabled?: boolean }>): void {
  cognito.on(ListUsersCommand).callsFake((input: ListUsersCommandInput) => {
    const m = /^(email|sub) = "(.*)"$/.exec(input.Filter ?? '');
    if (!m) throw new Error(`unexpected filter ${input.Filter}`);
    const matching = users.filter((u) => (m[1] === 'email' ? u.email : u.sub) === m[2]);
    return {
      Users: matching.map((u) => ({
        Username: u.userName,
        UserStatus: u.status ?? 'CONFIRMED',
        Enabled: u.enabled ?? true,
        Attributes: [
          { Name: 'sub', Value: u.sub },
          { Name: 'email', Value: u.email },
        ],
      })),
    };
  });
}

async function run(command: LifecycleCommand, ...args: string[]): Promise<{ code: number; out: string; err: string; json: () => any }> {
  const io = captureIo();
  const code = await runLifecycleCommand(command, [...args, '--config', EXAMPLE_PLATFORM_CONFIG], {
    baseDir: process.cwd(),
    stdout: io.stdout,
    stderr: io.stderr,
    portsFor: async () => fx.ports,
  });
  return { code, out: io.out(), err: io.err(), json: () => JSON.parse(io.out()) };
}

const sentMessages = () => sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);

describe('create', () => {
  it('claims with the PostConfirmation transaction, records the id on the user and sends the provisioning job', async () => {
    poolUsers([JANE]);
    const r = await run('create', '--email', 'jane@example.com', '--json');
    expect(r.code).toBe(EXIT_CODES.ok);
    expect(r.json()).toMatchObject({
      tenantId: 'jane',
      owner: JANE.sub,
      newlyClaimed: true,
      provisioningJobSent: true,
      admission: { kind: 'immediate' },
    });
    expect(r.err).toMatch(/claiming a tenant id/);

    // The claim is in the tenant table, as PostConfirmation leaves it.
    expect(await fx.ports.claims.findClaimByOwner(JANE.sub)).toEqual({ tenantId: 'jane', claimedAt: '2026-11-20T10:00:00Z' });
    expect((await fx.ports.progress.get('jane'))?.user).toEqual({ userPoolId: fx.config.identity?.userPoolId, userName: JANE.userName });
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand).map((c) => c.args[0].input)).toEqual([
      {
        UserPoolId: fx.config.identity?.userPoolId,
        Username: JANE.userName,
        UserAttributes: [{ Name: 'custom:tenant_id', Value: 'jane' }],
      },
    ]);
    const [message] = sentMessages();
    expect(message?.QueueUrl).toBe(DEPLOYMENT.provisioningQueueUrl);
    expect(parseTenantJob(message?.MessageBody ?? '').job).toEqual({
      type: 'provision',
      tenantId: 'jane',
      owner: JANE.sub,
      claimedAt: '2026-11-20T10:00:00Z',
    });

    // Again (by sub): the same claim, the job re-sent (the provisioner is idempotent), nothing claimed twice.
    const again = await run('create', '--user', JANE.sub, '--json');
    expect(again.code).toBe(EXIT_CODES.ok);
    expect(again.json()).toMatchObject({ tenantId: 'jane', newlyClaimed: false });
    expect(await fx.ports.claims.activeTenantCount()).toBe(1);
  });

  it('--dry-run names the id it would claim and writes nothing', async () => {
    const bob = { sub: '7d3c1a52-0a4e-4c5e-9a77-3f3f1e5c0002', email: 'bob.smith@example.com', userName: 'bob-user' };
    poolUsers([bob]);
    const r = await run('create', '--email', bob.email, '--dry-run');
    expect(r.code).toBe(EXIT_CODES.ok);
    expect(r.out).toMatch(/would claim bob-smith/);
    expect(await fx.ports.claims.findClaimByOwner(bob.sub)).toBeUndefined();
    expect(sentMessages()).toEqual([]);
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toEqual([]);
  });

  it.each([
    ['an unknown user', [], /no user with e-mail nobody@example.com/],
    [
      'an unconfirmed user',
      [{ sub: 'sub-unconfirmed-1', email: 'nobody@example.com', userName: 'u', status: 'UNCONFIRMED' }],
      /UNCONFIRMED, not CONFIRMED/,
    ],
    ['a disabled user', [{ sub: 'sub-disabled-01', email: 'nobody@example.com', userName: 'u', enabled: false }], /is disabled/],
  ])('refuses %s (exit 3) and changes nothing', async (_name, users, message) => {
    poolUsers(users);
    const r = await run('create', '--email', 'nobody@example.com');
    expect(r.code).toBe(EXIT_CODES.refused);
    expect(r.err).toMatch(message);
    expect(sentMessages()).toEqual([]);
    expect(await fx.ports.claims.activeTenantCount()).toBe(1);
  });

  it.each([
    [['--email', 'a@example.com', '--user', 'sub-0001'], /exactly one of --email/],
    [[], /exactly one of --email/],
    [['--email'], /--email needs a value/],
    [['--email', 'a@example.com', '--force'], /unknown option --force/],
  ])('bad usage %j exits 2 before any call', async (args, message) => {
    const r = await run('create', ...args);
    expect(r.code).toBe(EXIT_CODES.usage);
    expect(r.err).toMatch(message);
    expect(cognito.calls()).toEqual([]);
  });
});

describe('suspend and resume', () => {
  beforeAll(async () => {
    await fx.seed([tenant('alice', 'owner-alice-0001'), tenant('carol', 'owner-carol-0001')]);
  });

  it('--dry-run lists the files the commit would change and commits nothing', async () => {
    const before = fx.log().length;
    const r = await run('suspend', 'alice', '--dry-run', '--json');
    expect(r.code).toBe(EXIT_CODES.ok);
    expect(r.json()).toMatchObject({ dryRun: true, from: 'active', to: 'suspended', changed: false });
    expect(r.json().paths).toEqual(expect.arrayContaining(['tenants/alice.yaml', 'deploy/tenants/alice/']));
    expect(fx.log().length).toBe(before);
  });

  it('suspends in one commit (registry suspended, workload at 0 replicas) and resumes', async () => {
    const before = fx.log().length;
    const r = await run('suspend', 'alice', '--reason', 'left-team');
    expect(r.code).toBe(EXIT_CODES.ok);
    expect(r.out).toMatch(/^suspended alice \(active → suspended\) in commit [0-9a-f]{40}/);
    expect(fx.log().length).toBe(before + 1);
    expect(fx.log()[0]).toBe('Suspend tenant alice');
    expect(fx.show('tenants/alice.yaml')).toMatch(
      /status: suspended[\s\S]*statusReason: left-team|statusReason: left-team[\s\S]*status: suspended/,
    );
    const manifests = fx.show(`${tenantNames('alice').deployDir}/manifests.yaml`) ?? '';
    expect(manifests).toMatch(/kind: Deployment[\s\S]*replicas: 0/);
    // carol is untouched.
    expect(fx.show('tenants/carol.yaml')).toMatch(/status: active/);

    const again = await run('suspend', 'alice');
    expect(again.code).toBe(EXIT_CODES.ok);
    expect(again.out).toMatch(/already suspended; nothing committed/);
    expect(fx.log().length).toBe(before + 1);

    const resumed = await run('resume', 'alice', '--json');
    expect(resumed.code).toBe(EXIT_CODES.ok);
    expect(resumed.json()).toMatchObject({ from: 'suspended', to: 'active', changed: true });
    expect(fx.show('tenants/alice.yaml')).toMatch(/status: active/);
    expect(fx.show(`${tenantNames('alice').deployDir}/manifests.yaml`)).toMatch(/replicas: 1/);
  });

  it.each([
    [['suspend', 'nobody'], EXIT_CODES.refused, /no tenant "nobody" in the registry/],
    [['suspend', 'alice', '--reason', 'Bad Reason'], EXIT_CODES.usage, /--reason "Bad Reason" must match/],
    [['suspend', 'Not_An_Id'], EXIT_CODES.usage, /tenant id/i],
    [['resume'], EXIT_CODES.usage, /exactly one tenant id/],
  ])('%j exits %i and commits nothing', async ([command, ...args], code, message) => {
    const before = fx.log().length;
    const r = await run(command as LifecycleCommand, ...args);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
    expect(fx.log().length).toBe(before);
  });
});

describe('offboard', () => {
  it('sends the job the offboarder parses to the offboarding queue', async () => {
    const r = await run('offboard', 'carol', '--reason', 'left-company', '--json');
    expect(r.code).toBe(EXIT_CODES.ok);
    const [message] = sentMessages();
    expect(message?.QueueUrl).toBe(DEPLOYMENT.offboardingQueueUrl);
    expect(parseTenantJob(message?.MessageBody ?? '').job).toEqual({ type: 'offboard', tenantId: 'carol', reason: 'left-company' });
    expect(r.json()).toEqual({ dryRun: false, jobSent: true, job: { type: 'offboard', tenantId: 'carol', reason: 'left-company' } });
  });

  it('--dry-run sends nothing', async () => {
    const r = await run('offboard', 'carol', '--dry-run');
    expect(r.code).toBe(EXIT_CODES.ok);
    expect(r.out).toMatch(/would send \{"type":"offboard","tenantId":"carol","reason":"offboarded"\}/);
    expect(sentMessages()).toEqual([]);
  });

  it('a claimed tenant not yet in Git can be offboarded (the offboarder tombstones it from the claim)', async () => {
    const r = await run('offboard', 'jane');
    expect(r.code).toBe(EXIT_CODES.ok);
    expect(sentMessages()).toHaveLength(1);
  });

  it('refuses an unknown or already offboarded tenant (exit 3) and sends nothing', async () => {
    await fx.seed([
      tenant('dave', 'owner-dave-0001', { status: 'deleted', deletedAt: '2026-11-10T00:00:00Z', statusReason: 'offboarded' }),
    ]);
    expect((await run('offboard', 'nobody')).code).toBe(EXIT_CODES.refused);
    const gone = await run('offboard', 'dave');
    expect(gone.code).toBe(EXIT_CODES.refused);
    expect(gone.err).toMatch(/already offboarded/);
    expect((await run('offboard', 'carol', '--reason', 'UPPER')).code).toBe(EXIT_CODES.usage);
    expect(sentMessages()).toEqual([]);
  });
});

describe('list and show', () => {
  beforeAll(async () => {
    await fx.seed([tenant('erin', 'owner-erin-0001', { inferenceProfiles: { opus: OPUS_ARN, sonnet: SONNET_ARN }, monthlyBudgetUsd: 50 })]);
  });

  it('list: status, lifecycle, owner, created and month-to-date spend from the cost enforcer usage source', async () => {
    // The example catalog prices opus at $15/$75 and sonnet at $3/$15 per million tokens.
    bedrockTokens({ [OPUS_ARN]: { InputTokenCount: 1_000_000, OutputTokenCount: 100_000 }, janesonnet1: { InputTokenCount: 2_000_000 } });
    const r = await run('list', '--json');
    expect(r.code).toBe(EXIT_CODES.ok);
    const erin = r.json().tenants.find((t: { id: string }) => t.id === 'erin');
    // 15 + 7.5 for opus (ARN form) + 6 for sonnet (id form of the dimension).
    expect(erin).toEqual({
      id: 'erin',
      status: 'active',
      tier: 'standard',
      owner: 'owner-erin-0001',
      createdAt: '2026-11-01T09:00:00Z',
      lastActivity: null,
      monthToDateUsd: 28.5,
      monthlyBudgetUsd: 50,
    });
    expect(r.json().tenants.map((t: { id: string }) => t.id)).toEqual(['alice', 'carol', 'dave', 'erin', 'jane']);
    // jane is claimed (create above) but not provisioned: listed from the tenant table.
    expect(r.json().tenants.find((t: { id: string }) => t.id === 'jane')).toEqual({
      id: 'jane',
      status: 'provisioning',
      lifecycle: 'claimed',
      tier: 'standard',
      owner: JANE.sub,
      createdAt: '2026-11-20T10:00:00Z',
      lastActivity: null,
      monthToDateUsd: 0,
      monthlyBudgetUsd: 100,
    });
    expect(r.json().tenants.find((t: { id: string }) => t.id === 'dave').monthToDateUsd).toBeNull();
    // The month so far: from the first of the month (UTC) until now.
    const input = cloudWatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(input?.StartTime).toEqual(new Date('2026-11-01T00:00:00Z'));
    expect(input?.EndTime).toEqual(new Date('2026-11-20T10:00:00Z'));

    const text = await run('list', '--status', 'active');
    expect(text.out).toMatch(/^ID\s+STATUS\s+LIFECYCLE/);
    expect(text.out).toMatch(/erin\s+active\s+-\s+standard\s+owner-erin-0001\s+2026-11-01T09:00:00Z\s+-\s+\$28\.50 \/ \$50/);
    expect(text.out).not.toMatch(/dave/);
    expect(text.out).not.toMatch(/jane/);
    expect((await run('list', '--status', 'provisioning', '--json')).json().tenants.map((t: { id: string }) => t.id)).toEqual(['jane']);
    expect((await run('list', '--status', 'gone')).code).toBe(EXIT_CODES.usage);
  });

  it('show: claim and pending provisioning steps, and what AWS holds (exact names, never a prefix match)', async () => {
    secretsManager.on(DescribeSecretCommand, { SecretId: tenantNames('jane').secretId('gateway') }).resolves({ Name: 'x' });
    eks.on(ListPodIdentityAssociationsCommand).resolves({ associations: [] });
    bedrock.on(ListInferenceProfilesCommand).resolves({
      inferenceProfileSummaries: [
        {
          inferenceProfileName: 'openclaw-jane-opus',
          inferenceProfileArn: 'arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/j1',
        } as never,
        // Another tenant whose id starts with "jane-": not jane's.
        {
          inferenceProfileName: 'openclaw-jane-2-opus',
          inferenceProfileArn: 'arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/j2',
        } as never,
      ],
    });
    const r = await run('show', 'jane', '--json');
    expect(r.code).toBe(EXIT_CODES.ok);
    const details = r.json();
    expect(details.registry).toBeUndefined();
    expect(details.claim).toMatchObject({ tenantId: 'jane', status: 'claimed', owner: JANE.sub });
    expect(details.provisioningPending).toEqual(['secrets', 'podIdentity', 'manifests', 'notified']);
    expect(details.resources).toEqual({
      secret: 'present',
      inferenceProfiles: { 'openclaw-jane-opus': 'arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/j1' },
    });
    expect(eks.commandCalls(ListPodIdentityAssociationsCommand)[0]?.args[0].input).toEqual({
      clusterName: 'openclaw',
      namespace: 'openclaw-jane',
      serviceAccount: tenantNames('jane').serviceAccount,
    });

    const text = await run('show', 'jane');
    expect(text.out).toMatch(/registry: +absent/);
    expect(text.out).toMatch(/provisioning: +pending: secrets, podIdentity, manifests, notified/);
    expect(text.out).toMatch(/pod identity: +absent/);
    expect((await run('show', 'nobody')).code).toBe(EXIT_CODES.refused);
  });
});
