import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import {
  BedrockClient,
  CreateInferenceProfileCommand,
  ListInferenceProfilesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import {
  CreatePodIdentityAssociationCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { UserDirectory } from '../src/ports/user-directory';
import { tenantNames } from '@openclaw-tenancy/shared';
import { parseTenantRecordText } from '@openclaw-tenancy/tenant-manifests';
import { BedrockInferenceProfiles } from '../src/adapters/bedrock-inference-profiles';
import { DynamoDbTenantClaims } from '../src/adapters/dynamodb/tenant-claims-table';
import { DynamoDbTenantProgress } from '../src/adapters/dynamodb/tenant-progress-table';
import { ownerItemKey, tenantItemKey } from '../src/adapters/dynamodb/table-keys';
import { EksPodIdentityAssociations } from '../src/adapters/eks-pod-identity';
import { IsomorphicGitRepository } from '../src/adapters/git/isomorphic-git-repository';
import { SecretsManagerTenantSecrets } from '../src/adapters/secrets-manager-tenant-secrets';
import { SnsAdminNotifier } from '../src/adapters/sns-admin-notifier';
import { SqsJobQueue } from '../src/adapters/sqs-job-queue';
import { tenantManifestsRenderer } from '../src/adapters/tenant-manifests-renderer';
import { inferenceProfileRequestToken } from '../src/domain/bedrock-model-source';
import { claimTenant } from '../src/domain/tenant-claim';
import { createProvisionerHandler } from '../src/handlers/provisioner';
import { localLambdaContext } from '../src/testing/lambda-invoke-server';
import { GIT_CREDENTIALS, GitOpsRemote, PLATFORM_CONFIG, startGitOpsRemote } from './support/gitops-remote';
import { TestTables, startTestTables } from './support/test-tables';
import { ACCOUNT, BedrockProfilesFake, fakeProfileArn, regionsOf } from './support/bedrock-profiles-mock';
import { RecordingUserDirectory, quietLogger } from './support/recording-ports';

// Real servers (Git, dynalite) on a shared 2-core machine: generous, not a performance assertion.
jest.setTimeout(30000);

const OWNER = '0000000a-aaaa-4bbb-8ccc-000000000001';
const NOW = new Date('2026-11-25T13:20:00Z');
const ROLE = 'arn:aws:iam::111111111111:role/openclaw-tenant';
const TOPIC = 'arn:aws:sns:eu-west-1:111111111111:alerts';
const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/111111111111/provisioning';

const sm = mockClient(SecretsManagerClient);
const eks = mockClient(EKSClient);
const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);
const bedrock = mockClient(BedrockClient);
const POOL = 'eu-west-1_pool';
/** The catalog of config/platform.example.yaml, whose models.bedrockRegion is us-east-1. */
const CATALOG = [
  { alias: 'opus', copyFrom: `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.anthropic.claude-opus-4-6-v1` },
  { alias: 'sonnet', copyFrom: `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.anthropic.claude-sonnet-4-6` },
  { alias: 'deepseek', copyFrom: 'arn:aws:bedrock:us-east-1::foundation-model/deepseek.v3.2' },
];
const profileArns = (tenantId: string) =>
  Object.fromEntries(CATALOG.map((m) => [m.alias, fakeProfileArn(`openclaw-${tenantId}-${m.alias}`)]));

function sqsEvent(bodies: string[]) {
  return { Records: bodies.map((body, i) => ({ messageId: `m-${i}`, body, attributes: { ApproximateReceiveCount: '1' } })) };
}

describe('provisioner (real Git remote, dynalite, SDK mocks)', () => {
  let tables: TestTables;
  let remote: GitOpsRemote;
  let job: string;
  let profiles: BedrockProfilesFake;
  let users: RecordingUserDirectory;

  beforeEach(async () => {
    sm.reset();
    eks.reset();
    sns.reset();
    sqs.reset();
    bedrock.reset();
    profiles = new BedrockProfilesFake(bedrock);
    users = new RecordingUserDirectory();
    sm.on(DescribeSecretCommand).rejects(Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' }));
    sm.on(CreateSecretCommand).resolves({});
    eks.on(ListPodIdentityAssociationsCommand).resolves({ associations: [] });
    eks.on(CreatePodIdentityAssociationCommand).resolves({});
    sns.on(PublishCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({});
    tables = await startTestTables();
    remote = await startGitOpsRemote();
    const claim = await claimTenant(
      { owner: OWNER, email: 'jane@example.com', user: { userPoolId: POOL, userName: OWNER } },
      { maxTenants: 10, confirmationsPerDomainPerHour: 5, tier: 'standard', runtime: 'runc' },
      { claims: new DynamoDbTenantClaims(tables.db, tables), now: () => NOW },
    );
    job = JSON.stringify({ type: 'provision', tenantId: claim.tenantId, owner: OWNER, claimedAt: claim.claimedAt });
  });
  afterEach(async () => {
    await tables.close();
    await remote.close();
  });

  function handler(
    options: {
      failOn?: 'secrets' | 'podIdentity' | 'manifests' | 'notified';
      now?: Date;
      logger?: Logger;
      url?: string;
      users?: UserDirectory;
      idempotencyStore?: BasePersistenceLayer;
    } = {},
  ) {
    const progress = new DynamoDbTenantProgress(tables.db, tables.tenantTable);
    const crashAfter = options.failOn;
    const created = createProvisionerHandler({
      settings: {
        clusterName: 'openclaw',
        tenantRoleArn: ROLE,
        platformConfig: PLATFORM_CONFIG,
        workspaceBaseUrl: 'https://ai.example.com',
      },
      // A crash right after a step's work, before its progress is recorded.
      progress: {
        get: (id) => progress.get(id),
        markProvisioned: (id, at) => progress.markProvisioned(id, at),
        markOffboardingStep: (id, step, at) => progress.markOffboardingStep(id, step, at),
        markDeleted: (id, at) => progress.markDeleted(id, at),
        markProvisioningStep: async (id, step, at, details) => {
          if (step === crashAfter) throw new Error(`simulated crash after ${step}`);
          return progress.markProvisioningStep(id, step, at, details);
        },
      },
      secrets: new SecretsManagerTenantSecrets(new SecretsManagerClient({})),
      podIdentity: new EksPodIdentityAssociations(new EKSClient({})),
      inferenceProfiles: new BedrockInferenceProfiles(),
      claims: new DynamoDbTenantClaims(tables.db, { tenantTable: tables.tenantTable }),
      users: options.users ?? users,
      repository: new IsomorphicGitRepository({
        url: options.url ?? remote.url,
        branch: 'main',
        author: { name: 'openclaw-provisioner', email: 'p@example.com' },
        credentials: async () => GIT_CREDENTIALS,
        backoffBaseMs: 5,
      }),
      renderer: tenantManifestsRenderer,
      notifier: new SnsAdminNotifier(new SNSClient({}), TOPIC),
      queue: new SqsJobQueue(new SQSClient({}), QUEUE),
      idempotencyStore: options.idempotencyStore ?? tables.idempotencyStore(),
      logger: options.logger ?? quietLogger(),
      now: () => options.now ?? NOW,
    });
    return (event: unknown) => created(event, localLambdaContext('provisioner'));
  }

  it('creates the tagged secret and the Pod Identity association, commits registry + manifests once, marks and notifies', async () => {
    const names = tenantNames('jane');
    const before = remote.countCommits();
    await expect(handler()(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [] });

    const create = sm.commandCalls(CreateSecretCommand)[0]?.args[0].input;
    expect(create).toMatchObject({
      Name: names.secretId('gateway'),
      Tags: [
        { Key: 'tenant', Value: 'jane' },
        { Key: 'tenant-namespace', Value: 'openclaw-jane' },
      ],
    });
    expect(Object.keys(JSON.parse(create?.SecretString ?? '{}'))).toEqual(['operatorPassword']);
    expect(eks.commandCalls(CreatePodIdentityAssociationCommand)[0]?.args[0].input).toEqual({
      clusterName: 'openclaw',
      namespace: 'openclaw-jane',
      serviceAccount: names.serviceAccount,
      roleArn: ROLE,
      tags: { tenant: 'jane', 'tenant-namespace': 'openclaw-jane' },
    });

    // Bedrock: one application inference profile per catalog model, in models.bedrockRegion (us-east-1, not the
    // function's eu-west-1), copied from the catalog's system profile or foundation model, tagged, with a stable token.
    expect(bedrock.commandCalls(ListInferenceProfilesCommand).map((c) => c.args[0].input)).toEqual([
      { typeEquals: 'APPLICATION', maxResults: 1000 },
    ]);
    expect(bedrock.commandCalls(CreateInferenceProfileCommand).map((c) => c.args[0].input)).toEqual(
      CATALOG.map((m) => ({
        inferenceProfileName: `openclaw-jane-${m.alias}`,
        clientRequestToken: inferenceProfileRequestToken('jane', m.alias),
        modelSource: { copyFrom: m.copyFrom },
        tags: [
          { key: 'tenant', value: 'jane' },
          { key: 'tenant-namespace', value: 'openclaw-jane' },
        ],
      })),
    );
    expect(new Set(await regionsOf(bedrock.calls()))).toEqual(new Set(['us-east-1']));
    expect(inferenceProfileRequestToken('jane', 'opus')).toMatch(/^[0-9a-f]{64}$/);
    expect(inferenceProfileRequestToken('jane', 'opus')).not.toBe(inferenceProfileRequestToken('jane', 'sonnet'));
    expect(inferenceProfileRequestToken('jane', 'opus')).not.toBe(inferenceProfileRequestToken('jane-2', 'opus'));

    // Git: one commit; the registry records the profiles, and the synthesized OpenClaw config invokes through them.
    expect(remote.countCommits()).toBe(before + 1);
    expect(remote.log()[0]).toBe('Provision tenant jane');
    expect(remote.changedFiles()).toEqual([`A\t${names.deployDir}/manifests.yaml`, `A\t${names.registryFile}`]);
    const record = parseTenantRecordText(remote.show(names.registryFile) ?? '', names.registryFile);
    expect(record).toMatchObject({
      id: 'jane',
      owner: OWNER,
      status: 'active',
      createdAt: '2026-11-25T13:20:00Z',
      inferenceProfiles: profileArns('jane'),
    });
    expect(remote.files(names.deployDir).length).toBeGreaterThan(0);
    const manifests = remote.show(`${names.deployDir}/manifests.yaml`) ?? '';
    expect(manifests).toContain('namespace: openclaw-jane');
    for (const arn of Object.values(profileArns('jane'))) expect(manifests).toContain(`amazon-bedrock/${arn}`);
    expect(manifests).not.toContain('amazon-bedrock/us.anthropic');

    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish).toMatchObject({ TopicArn: TOPIC, Subject: 'New tenant created: jane' });
    expect(publish?.Message).toContain('https://ai.example.com/t/jane/');
    const item = (await tables.db.send(new GetCommand({ TableName: tables.tenantTable, Key: tenantItemKey('jane') }))).Item;
    expect(item).toMatchObject({ status: 'provisioned' });
    expect(item?.manifestsCommit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('changes nothing on a replay of the same job, whether the idempotency record or the recorded steps answer it', async () => {
    await handler()(sqsEvent([job]));
    const commits = remote.countCommits();
    await expect(handler()(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [] });
    await expect(handler({ idempotencyStore: await tables.emptyIdempotencyStore() })(sqsEvent([job]))).resolves.toEqual({
      batchItemFailures: [],
    });
    expect(remote.countCommits()).toBe(commits);
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(1);
    expect(eks.commandCalls(CreatePodIdentityAssociationCommand)).toHaveLength(1);
    expect(bedrock.commandCalls(CreateInferenceProfileCommand)).toHaveLength(3);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it.each(['secrets', 'podIdentity', 'manifests', 'notified'] as const)(
    'ends in the same state after a crash after the %s step and a retry',
    async (step) => {
      const before = remote.countCommits();
      await expect(handler({ failOn: step })(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
      // Redelivery: the resource made before the crash now exists.
      if (sm.commandCalls(CreateSecretCommand).length > 0)
        sm.on(DescribeSecretCommand).resolves({
          Name: 'x',
          Tags: [
            { Key: 'tenant', Value: 'jane' },
            { Key: 'tenant-namespace', Value: 'openclaw-jane' },
          ],
        });
      if (eks.commandCalls(CreatePodIdentityAssociationCommand).length > 0) {
        eks.on(ListPodIdentityAssociationsCommand).resolves({ associations: [{ associationId: 'a-1' }] });
        eks.on(DescribePodIdentityAssociationCommand).resolves({ association: { associationId: 'a-1', roleArn: ROLE } });
      }
      await expect(handler()(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [] });
      expect(remote.countCommits()).toBe(before + 1);
      expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(1);
      expect(sm.commandCalls(TagResourceCommand)).toHaveLength(0);
      expect(eks.commandCalls(CreatePodIdentityAssociationCommand)).toHaveLength(1);
      expect(bedrock.commandCalls(CreateInferenceProfileCommand)).toHaveLength(3);
      expect(profiles.profiles.size).toBe(3);
      expect(parseTenantRecordText(remote.show('tenants/jane.yaml') ?? '', 'tenants/jane.yaml').inferenceProfiles).toEqual(
        profileArns('jane'),
      );
      // Publishing is at-least-once: only a crash between publish and record repeats it.
      expect(sns.commandCalls(PublishCommand)).toHaveLength(step === 'notified' ? 2 : 1);
      expect((await tables.db.send(new GetCommand({ TableName: tables.tenantTable, Key: tenantItemKey('jane') }))).Item).toMatchObject({
        status: 'provisioned',
      });
    },
  );

  it('creates only the missing profiles after a crash in the middle of the profile step, and commits once', async () => {
    profiles.failCreateOnce.add('openclaw-jane-sonnet');
    const before = remote.countCommits();
    await expect(handler()(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
    // opus was made, sonnet failed, deepseek never tried; nothing reached Git.
    expect(bedrock.commandCalls(CreateInferenceProfileCommand).map((c) => c.args[0].input.inferenceProfileName)).toEqual([
      'openclaw-jane-opus',
      'openclaw-jane-sonnet',
    ]);
    expect(remote.countCommits()).toBe(before);

    await expect(handler()(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [] });
    expect(bedrock.commandCalls(CreateInferenceProfileCommand).map((c) => c.args[0].input.inferenceProfileName)).toEqual([
      'openclaw-jane-opus',
      'openclaw-jane-sonnet',
      'openclaw-jane-sonnet',
      'openclaw-jane-deepseek',
    ]);
    // The profile found by name is adopted only after its namespace tag was checked.
    expect(bedrock.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input)).toEqual([
      { resourceARN: fakeProfileArn('openclaw-jane-opus') },
    ]);
    expect([...profiles.profiles.values()].map((p) => p.name).sort()).toEqual([
      'openclaw-jane-deepseek',
      'openclaw-jane-opus',
      'openclaw-jane-sonnet',
    ]);
    expect(remote.countCommits()).toBe(before + 1);
    expect(parseTenantRecordText(remote.show('tenants/jane.yaml') ?? '', 'tenants/jane.yaml').inferenceProfiles).toEqual(
      profileArns('jane'),
    );
  });

  it('adopts its profiles when the push failed after they were made: no second profile, one commit', async () => {
    let refusing = true;
    const flaky = await startGitOpsRemote(({ service, method }) =>
      refusing && service === 'git-receive-pack' && method === 'POST' ? 503 : undefined,
    );
    try {
      const before = flaky.countCommits();
      await expect(handler({ url: flaky.url })(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
      expect(bedrock.commandCalls(CreateInferenceProfileCommand)).toHaveLength(3);
      expect(flaky.countCommits()).toBe(before);
      refusing = false;
      await expect(handler({ url: flaky.url })(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [] });
      expect(bedrock.commandCalls(CreateInferenceProfileCommand)).toHaveLength(3);
      expect(profiles.profiles.size).toBe(3);
      expect(flaky.countCommits()).toBe(before + 1);
      expect(parseTenantRecordText(flaky.show('tenants/jane.yaml') ?? '', 'tenants/jane.yaml').inferenceProfiles).toEqual(
        profileArns('jane'),
      );
    } finally {
      await flaky.close();
    }
  });

  it('adopts a profile another delivery of the same job created at the same moment (ConflictException)', async () => {
    // Bedrock answers the create with a conflict because the twin delivery made it just before.
    bedrock.on(CreateInferenceProfileCommand, { inferenceProfileName: 'openclaw-jane-opus' }).callsFake(() => {
      profiles.add('openclaw-jane-opus', { tenant: 'jane', 'tenant-namespace': 'openclaw-jane' });
      throw Object.assign(new Error('exists'), { name: 'ConflictException' });
    });
    await expect(handler()(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [] });
    expect(profiles.profiles.size).toBe(3);
    expect(parseTenantRecordText(remote.show('tenants/jane.yaml') ?? '', 'tenants/jane.yaml').inferenceProfiles).toEqual(
      profileArns('jane'),
    );
  });

  it("never adopts a profile of its name tagged with another tenant's namespace: the job fails, nothing is committed", async () => {
    // Names are `openclaw-<id>-<alias>`, so they clash when aliases contain "-" (tenant "jane" + alias "x-opus" and
    // tenant "jane-x" + alias "opus" are both `openclaw-jane-x-opus`). Whatever the cause, a profile of jane's
    // name tagged for another namespace is never adopted.
    profiles.add('openclaw-jane-opus', { tenant: 'jane-x', 'tenant-namespace': 'openclaw-jane-x' });
    const logger = quietLogger();
    const before = remote.countCommits();
    await expect(handler({ logger })(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
    const failure = jest.mocked(logger.error).mock.calls.find(([m]) => m === 'job failed; it returns to the queue')?.[1] as {
      error: Error;
    };
    expect(failure.error).toMatchObject({ name: 'InferenceProfileNameTakenError' });
    expect(failure.error.message).toContain('is tagged tenant-namespace=openclaw-jane-x; it is never adopted for another tenant');
    expect(bedrock.commandCalls(CreateInferenceProfileCommand)).toHaveLength(0);
    expect(remote.countCommits()).toBe(before);
  });

  it('restores and re-tags a secret scheduled for deletion, leaving its value alone', async () => {
    sm.on(DescribeSecretCommand).resolves({ Name: 'x', DeletedDate: new Date(), Tags: [] });
    sm.on(RestoreSecretCommand).resolves({});
    sm.on(TagResourceCommand).resolves({});
    await handler()(sqsEvent([job]));
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
    expect(sm.commandCalls(RestoreSecretCommand)[0]?.args[0].input).toEqual({ SecretId: tenantNames('jane').secretId('gateway') });
    expect(sm.commandCalls(TagResourceCommand)[0]?.args[0].input.Tags).toEqual([
      { Key: 'tenant', Value: 'jane' },
      { Key: 'tenant-namespace', Value: 'openclaw-jane' },
    ]);
  });

  it('reports the job as failed when the Git remote is down, with nothing written remotely, and succeeds on redelivery', async () => {
    const before = remote.countCommits();
    const down = await startGitOpsRemote(({ service, method }) => (service === 'git-receive-pack' && method === 'POST' ? 503 : undefined));
    await down.close();
    const url = remote.url;
    // Point at a closed port: clone fails.
    Object.defineProperty(remote, 'url', { value: down.url });
    await expect(handler()(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
    Object.defineProperty(remote, 'url', { value: url });
    expect(remote.countCommits()).toBe(before);
    await expect(handler()(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [] });
    expect(remote.countCommits()).toBe(before + 1);
  });

  it('never adopts an association of the service account that hands out another role, and writes nothing to Git', async () => {
    const before = remote.countCommits();
    eks.on(ListPodIdentityAssociationsCommand).resolves({ associations: [{ associationId: 'a-9' }] });
    eks
      .on(DescribePodIdentityAssociationCommand)
      .resolves({ association: { associationId: 'a-9', roleArn: 'arn:aws:iam::111111111111:role/admin' } });
    const logger = quietLogger();
    await expect(handler({ logger })(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
    const errors = (logger.error as jest.Mock).mock.calls.map(([, fields]) => String((fields as { error?: Error }).error?.message));
    expect(errors).toEqual([
      expect.stringMatching(
        /^Pod Identity association a-9 of openclaw-jane\/\S+ hands out arn:aws:iam::111111111111:role\/admin, not the tenant role /,
      ),
    ]);
    expect(eks.commandCalls(CreatePodIdentityAssociationCommand)).toHaveLength(0);
    expect(remote.countCommits()).toBe(before);
  });

  it('reports malformed bodies as batch item failures and still processes the good record', async () => {
    const bad = [
      'not json',
      JSON.stringify({ type: 'provision', tenantId: 'Bad_Id', owner: OWNER, claimedAt: 'x' }),
      JSON.stringify({ type: 'offboard', tenantId: 'jane', reason: 'x' }),
    ];
    const result = await handler()(sqsEvent([...bad, job]));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }, { itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }] });
    expect(remote.log()[0]).toBe('Provision tenant jane');
    await expect(handler()({ notSqs: true })).rejects.toThrow('the event is not an SQS batch (no Records array)');
  });

  it('logs at most five issues of a hostile body, without echoing it', async () => {
    const logger = quietLogger();
    const hostile = JSON.stringify({
      type: 'provision',
      ...Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}-${'x'.repeat(300)}`, 'v'])),
    });
    await expect(handler({ logger })(sqsEvent([hostile]))).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
    const [message, fields] = (logger.error as jest.Mock).mock.calls.find(([m]) => m === 'rejected a malformed job message')!;
    expect(message).toBe('rejected a malformed job message');
    expect(fields.issues).toHaveLength(5);
    expect(fields.moreIssues).toBeGreaterThan(190);
    expect(JSON.stringify(fields).length).toBeLessThan(2000);
  });

  it('puts a deferred tenant back on the queue until its admission window', async () => {
    await tables.db.send(
      new UpdateCommand({
        TableName: tables.tenantTable,
        Key: tenantItemKey('jane'),
        UpdateExpression: 'SET admission = :r, admitAt = :at',
        ExpressionAttributeValues: { ':r': 'reserved', ':at': '2026-11-25T16:00:00.000Z' },
      }),
    );
    const before = remote.countCommits();
    await expect(handler()(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [] });
    expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({ QueueUrl: QUEUE, MessageBody: job, DelaySeconds: 900 });
    expect(remote.countCommits()).toBe(before);
    await handler({ now: new Date('2026-11-25T16:00:01Z') })(sqsEvent([job]));
    expect(remote.countCommits()).toBe(before + 1);
  });

  describe('a registry entry that already exists in Git', () => {
    const OTHER_OWNER = '0000000b-bbbb-4bbb-8ccc-000000000002';
    const THIRD_OWNER = '0000000c-cccc-4bbb-8ccc-000000000003';
    const item = async (key: { pk: string }) => (await tables.db.send(new GetCommand({ TableName: tables.tenantTable, Key: key }))).Item;
    const record = (id: string) => parseTenantRecordText(remote.show(`tenants/${id}.yaml`) ?? '', `tenants/${id}.yaml`);

    it.each([
      ['belongs to another owner (an operator ran `tenants add`)', false],
      ['is a tombstone of another owner (`tenants add`, then `tenants remove`)', true],
    ])(
      '%s: the id is marked taken, the claim moves to the next candidate, the user attribute follows, one commit for it',
      async (_what, removed) => {
        remote.runTenantsCli(['add', 'jane', '--owner', OTHER_OWNER], 'Operator adds jane by hand');
        if (removed) remote.runTenantsCli(['remove', 'jane', '--reason', 'left'], 'Operator removes jane');
        const registryBefore = remote.show('tenants/jane.yaml');
        const commits = remote.countCommits();

        // Provisioned 40 minutes after the claim.
        await expect(handler({ now: new Date('2026-11-25T14:00:00Z') })(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [] });

        // Git: exactly one commit, for jane-2; jane's file untouched, no folder for jane.
        expect(remote.countCommits()).toBe(commits + 1);
        expect(remote.log()[0]).toBe('Provision tenant jane-2');
        expect(remote.changedFiles()).toEqual(['A\tdeploy/tenants/jane-2/manifests.yaml', 'A\ttenants/jane-2.yaml']);
        expect(remote.show('tenants/jane.yaml')).toBe(registryBefore);
        expect(record('jane-2')).toMatchObject({
          id: 'jane-2',
          owner: OWNER,
          status: 'active',
          createdAt: '2026-11-25T13:20:00Z',
          inferenceProfiles: profileArns('jane-2'),
        });
        // The table: jane superseded (never offered again), the owner and the capacity unit moved to jane-2.
        expect(await item(tenantItemKey('jane'))).toMatchObject({
          status: 'superseded',
          supersededBy: 'jane-2',
          supersededAt: '2026-11-25T14:00:00Z',
          owner: OWNER,
        });
        expect(await item(tenantItemKey('jane-2'))).toMatchObject({
          status: 'provisioned',
          owner: OWNER,
          replaces: 'jane',
          idBase: 'jane',
          userPoolId: POOL,
          userName: OWNER,
          claimedAt: '2026-11-25T13:20:00Z',
        });
        expect(await item(ownerItemKey(OWNER))).toMatchObject({ tenantId: 'jane-2' });
        expect(await item({ pk: 'meta#capacity' })).toMatchObject({ count: 1 });
        // Cognito: the user's custom:tenant_id now names jane-2.
        expect(users.updates).toEqual([{ userPoolId: POOL, userName: OWNER, tenantId: 'jane-2' }]);
        // AWS resources exist for jane-2 only.
        expect(sm.commandCalls(CreateSecretCommand).map((c) => c.args[0].input.Name)).toEqual([tenantNames('jane-2').secretId('gateway')]);
        expect(eks.commandCalls(CreatePodIdentityAssociationCommand).map((c) => c.args[0].input.namespace)).toEqual(['openclaw-jane-2']);
        expect(bedrock.commandCalls(CreateInferenceProfileCommand).map((c) => c.args[0].input.inferenceProfileName)).toEqual([
          'openclaw-jane-2-opus',
          'openclaw-jane-2-sonnet',
          'openclaw-jane-2-deepseek',
        ]);
        expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject).toBe('New tenant created: jane-2');

        // A replay of the original job (a redelivery, after its idempotency record expired) follows the claim and changes nothing.
        await expect(handler({ idempotencyStore: await tables.emptyIdempotencyStore() })(sqsEvent([job]))).resolves.toEqual({
          batchItemFailures: [],
        });
        expect(remote.countCommits()).toBe(commits + 1);
        expect(users.updates).toHaveLength(1);
        expect(bedrock.commandCalls(CreateInferenceProfileCommand)).toHaveLength(3);
      },
    );

    it('skips every candidate the registry gives away (jane and jane-2 added by an operator) and marks each taken', async () => {
      remote.runTenantsCli(['add', 'jane', '--owner', OTHER_OWNER], 'Operator adds jane');
      remote.runTenantsCli(['add', 'jane-2', '--owner', THIRD_OWNER], 'Operator adds jane-2');
      const commits = remote.countCommits();
      await expect(handler()(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [] });
      expect(remote.log().slice(0, 1)).toEqual(['Provision tenant jane-3']);
      expect(remote.countCommits()).toBe(commits + 1);
      expect(await item(tenantItemKey('jane'))).toMatchObject({ status: 'superseded', supersededBy: 'jane-2' });
      expect(await item(tenantItemKey('jane-2'))).toMatchObject({ status: 'superseded', supersededBy: 'jane-3' });
      expect(await item(ownerItemKey(OWNER))).toMatchObject({ tenantId: 'jane-3' });
      // The attribute is written once the claim stops moving.
      expect(users.updates.map((u) => u.tenantId)).toEqual(['jane-3']);
      expect(record('jane-2').owner).toBe(THIRD_OWNER);
    });

    it('converges when the attribute update fails after the claim moved: the retry follows the claim, one commit', async () => {
      remote.runTenantsCli(['add', 'jane', '--owner', OTHER_OWNER], 'Operator adds jane');
      const commits = remote.countCommits();
      const failing: UserDirectory = {
        recordTenantId: async () => {
          throw Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' });
        },
      };
      await expect(handler({ users: failing })(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
      expect(await item(tenantItemKey('jane'))).toMatchObject({ status: 'superseded', supersededBy: 'jane-2' });
      expect(remote.countCommits()).toBe(commits);

      await expect(handler()(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [] });
      expect(users.updates).toEqual([{ userPoolId: POOL, userName: OWNER, tenantId: 'jane-2' }]);
      expect(remote.countCommits()).toBe(commits + 1);
      expect(remote.log()[0]).toBe('Provision tenant jane-2');
    });

    it.each([
      [
        'is a tombstone of the same owner (an operator removed this very tenant)',
        OWNER,
        true,
        'tenant jane is a tombstone in the registry; it is never re-provisioned',
      ],
      [
        'belongs to another owner but the claim predates the recorded Cognito user',
        OTHER_OWNER,
        false,
        'tenants/jane.yaml in the GitOps repository already belongs to another owner; refusing to overwrite it',
      ],
    ])(
      'is refused when it %s: the job fails (towards the DLQ), nothing is created, moved or committed',
      async (what, owner, removed, message) => {
        if (what.includes('predates')) {
          // A claim made before PostConfirmation recorded the user with it.
          await tables.db.send(
            new UpdateCommand({
              TableName: tables.tenantTable,
              Key: tenantItemKey('jane'),
              UpdateExpression: 'REMOVE userPoolId, userName, idBase',
            }),
          );
        }
        remote.runTenantsCli(['add', 'jane', '--owner', owner], 'Operator adds jane by hand');
        if (removed) remote.runTenantsCli(['remove', 'jane', '--reason', 'left'], 'Operator removes jane');
        const registryBefore = remote.show('tenants/jane.yaml');
        const commits = remote.countCommits();
        const logger = quietLogger();

        // Every redelivery fails the same way until SQS moves the message to the dead-letter queue.
        for (let receive = 1; receive <= 2; receive++) {
          await expect(handler({ logger })(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
        }
        const failure = jest.mocked(logger.error).mock.calls.find(([m]) => m === 'job failed; it returns to the queue');
        expect((failure?.[1] as { error: Error }).error.message).toContain(message);
        expect((failure?.[1] as { error: Error }).error.name).toBe('ProvisioningRefusedError');

        expect(remote.countCommits()).toBe(commits);
        expect(remote.show('tenants/jane.yaml')).toBe(registryBefore);
        // Refused before any AWS resource was made for the wrong owner.
        expect(sm.calls()).toHaveLength(0);
        expect(eks.calls()).toHaveLength(0);
        expect(bedrock.calls()).toHaveLength(0);
        expect(sns.calls()).toHaveLength(0);
        expect(users.updates).toEqual([]);
        const claim = await item(tenantItemKey('jane'));
        expect(claim).toMatchObject({ status: 'claimed', owner: OWNER });
        expect(Object.keys(claim ?? {}).filter((k) => k.startsWith('provisioning_'))).toEqual([]);
        expect(await item(ownerItemKey(OWNER))).toMatchObject({ tenantId: 'jane' });
        expect(await item(tenantItemKey('jane-2'))).toBeUndefined();
      },
    );

    it('is kept as it is when it already belongs to the same owner, gaining only the profiles: one commit, the tenant is provisioned', async () => {
      const cliOutput = remote.runTenantsCli(['add', 'jane', '--owner', OWNER, '--budget', '250'], 'Operator adds jane by hand');
      expect(cliOutput).toContain('added jane (active)');
      const commits = remote.countCommits();
      const operators = record('jane');

      await expect(handler()(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [] });

      expect(remote.countCommits()).toBe(commits + 1);
      // The operator's record (its createdAt, its budget override) is not replaced by the claim's; the profiles are added.
      expect(record('jane')).toEqual({ ...operators, inferenceProfiles: profileArns('jane') });
      expect(record('jane')).toMatchObject({ owner: OWNER, monthlyBudgetUsd: 250 });
      expect(await item(tenantItemKey('jane'))).toMatchObject({ status: 'provisioned', manifestsCommit: remote.head() });
      expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(1);
      expect(eks.commandCalls(CreatePodIdentityAssociationCommand)).toHaveLength(1);
      expect(users.updates).toEqual([]);
    });
  });
});
