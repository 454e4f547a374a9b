import { CreatePodIdentityAssociationCommand, EKSClient, ListPodIdentityAssociationsCommand } from '@aws-sdk/client-eks';
import { CreateSecretCommand, DescribeSecretCommand, RestoreSecretCommand, SecretsManagerClient, TagResourceCommand } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Logger } from '@aws-lambda-powertools/logger';
import { tenantNames } from '@openclaw-tenancy/shared';
import { parseTenantRecordText } from '@openclaw-tenancy/tenant-manifests';
import { DynamoDbTenantClaims } from '../src/adapters/dynamodb/tenant-claims-table';
import { DynamoDbTenantProgress } from '../src/adapters/dynamodb/tenant-progress-table';
import { tenantItemKey } from '../src/adapters/dynamodb/table-keys';
import { EksPodIdentityAssociations } from '../src/adapters/eks-pod-identity';
import { IsomorphicGitRepository } from '../src/adapters/git/isomorphic-git-repository';
import { SecretsManagerTenantSecrets } from '../src/adapters/secrets-manager-tenant-secrets';
import { SnsAdminNotifier } from '../src/adapters/sns-admin-notifier';
import { SqsJobQueue } from '../src/adapters/sqs-job-queue';
import { tenantManifestsRenderer } from '../src/adapters/tenant-manifests-renderer';
import { claimTenant } from '../src/domain/tenant-claim';
import { createProvisionerHandler } from '../src/handlers/provisioner';
import { localLambdaContext } from '../src/testing/lambda-invoke-server';
import { GIT_CREDENTIALS, GitOpsRemote, PLATFORM_CONFIG_PATH, startGitOpsRemote } from './support/gitops-remote';
import { PlatformTables, startPlatformTables } from './support/platform-tables';
import { quietLogger } from './support/recording-ports';

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

function sqsEvent(bodies: string[]) {
  return { Records: bodies.map((body, i) => ({ messageId: `m-${i}`, body, attributes: { ApproximateReceiveCount: '1' } })) };
}

describe('provisioner (real Git remote, dynalite, SDK mocks)', () => {
  let tables: PlatformTables;
  let remote: GitOpsRemote;
  let job: string;

  beforeEach(async () => {
    sm.reset();
    eks.reset();
    sns.reset();
    sqs.reset();
    sm.on(DescribeSecretCommand).rejects(Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' }));
    sm.on(CreateSecretCommand).resolves({});
    eks.on(ListPodIdentityAssociationsCommand).resolves({ associations: [] });
    eks.on(CreatePodIdentityAssociationCommand).resolves({});
    sns.on(PublishCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({});
    tables = await startPlatformTables();
    remote = await startGitOpsRemote();
    const claim = await claimTenant({ owner: OWNER, email: 'jane@example.com' }, { maxTenants: 10, confirmationsPerDomainPerHour: 5, tier: 'standard', runtime: 'runc' }, { claims: new DynamoDbTenantClaims(tables.db, tables), now: () => NOW });
    job = JSON.stringify({ type: 'provision', tenantId: claim.tenantId, owner: OWNER, claimedAt: claim.claimedAt });
  });
  afterEach(async () => {
    await tables.close();
    await remote.close();
  });

  function handler(options: { failOn?: 'secrets' | 'podIdentity' | 'manifests' | 'notified'; now?: Date; logger?: Logger } = {}) {
    const progress = new DynamoDbTenantProgress(tables.db, tables.tenantTable);
    const crashAfter = options.failOn;
    const created = createProvisionerHandler({
      settings: { clusterName: 'openclaw', tenantRoleArn: ROLE, platformConfigPath: PLATFORM_CONFIG_PATH, workspaceBaseUrl: 'https://ai.example.com' },
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
      repository: new IsomorphicGitRepository({ url: remote.url, branch: 'main', author: { name: 'openclaw-provisioner', email: 'p@example.com' }, credentials: async () => GIT_CREDENTIALS, backoffBaseMs: 5 }),
      renderer: tenantManifestsRenderer,
      notifier: new SnsAdminNotifier(new SNSClient({}), TOPIC),
      queue: new SqsJobQueue(new SQSClient({}), QUEUE),
      idempotencyStore: tables.idempotencyStore(),
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
    expect(create).toMatchObject({ Name: names.secretId('gateway'), Tags: [{ Key: 'tenant', Value: 'jane' }, { Key: 'tenant-namespace', Value: 'openclaw-jane' }] });
    expect(Object.keys(JSON.parse(create?.SecretString ?? '{}'))).toEqual(['operatorPassword']);
    expect(eks.commandCalls(CreatePodIdentityAssociationCommand)[0]?.args[0].input).toEqual({
      clusterName: 'openclaw',
      namespace: 'openclaw-jane',
      serviceAccount: names.serviceAccount,
      roleArn: ROLE,
      tags: { tenant: 'jane', 'tenant-namespace': 'openclaw-jane' },
    });

    expect(remote.countCommits()).toBe(before + 1);
    expect(remote.log()[0]).toBe('Provision tenant jane');
    const record = parseTenantRecordText(remote.show(names.registryFile) ?? '', names.registryFile);
    expect(record).toMatchObject({ id: 'jane', owner: OWNER, status: 'active', createdAt: '2026-11-25T13:20:00Z' });
    expect(remote.files(names.deployDir).length).toBeGreaterThan(0);
    expect(remote.show(`${names.deployDir}/manifests.yaml`)).toContain('namespace: openclaw-jane');

    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish).toMatchObject({ TopicArn: TOPIC, Subject: 'New tenant created: jane' });
    expect(publish?.Message).toContain('https://ai.example.com/t/jane/');
    const item = (await tables.db.send(new GetCommand({ TableName: tables.tenantTable, Key: tenantItemKey('jane') }))).Item;
    expect(item).toMatchObject({ status: 'provisioned' });
    expect(item?.manifestsCommit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('changes nothing on a replay of the same job', async () => {
    await handler()(sqsEvent([job]));
    const commits = remote.countCommits();
    await expect(handler()(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [] });
    expect(remote.countCommits()).toBe(commits);
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(1);
    expect(eks.commandCalls(CreatePodIdentityAssociationCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it.each(['secrets', 'podIdentity', 'manifests', 'notified'] as const)('ends in the same state after a crash after the %s step and a retry', async (step) => {
    const before = remote.countCommits();
    await expect(handler({ failOn: step })(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
    // Redelivery: the resource made before the crash now exists.
    if (sm.commandCalls(CreateSecretCommand).length > 0) sm.on(DescribeSecretCommand).resolves({ Name: 'x', Tags: [{ Key: 'tenant', Value: 'jane' }, { Key: 'tenant-namespace', Value: 'openclaw-jane' }] });
    if (eks.commandCalls(CreatePodIdentityAssociationCommand).length > 0) eks.on(ListPodIdentityAssociationsCommand).resolves({ associations: [{ associationId: 'a-1' }] });
    await expect(handler()(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [] });
    expect(remote.countCommits()).toBe(before + 1);
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(1);
    expect(sm.commandCalls(TagResourceCommand)).toHaveLength(0);
    expect(eks.commandCalls(CreatePodIdentityAssociationCommand)).toHaveLength(1);
    // Publishing is at-least-once: only a crash between publish and record repeats it.
    expect(sns.commandCalls(PublishCommand)).toHaveLength(step === 'notified' ? 2 : 1);
    expect((await tables.db.send(new GetCommand({ TableName: tables.tenantTable, Key: tenantItemKey('jane') }))).Item).toMatchObject({ status: 'provisioned' });
  });

  it('restores and re-tags a secret scheduled for deletion, leaving its value alone', async () => {
    sm.on(DescribeSecretCommand).resolves({ Name: 'x', DeletedDate: new Date(), Tags: [] });
    sm.on(RestoreSecretCommand).resolves({});
    sm.on(TagResourceCommand).resolves({});
    await handler()(sqsEvent([job]));
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
    expect(sm.commandCalls(RestoreSecretCommand)[0]?.args[0].input).toEqual({ SecretId: tenantNames('jane').secretId('gateway') });
    expect(sm.commandCalls(TagResourceCommand)[0]?.args[0].input.Tags).toEqual([{ Key: 'tenant', Value: 'jane' }, { Key: 'tenant-namespace', Value: 'openclaw-jane' }]);
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

  it('reports malformed bodies as batch item failures and still processes the good record', async () => {
    const bad = ['not json', JSON.stringify({ type: 'provision', tenantId: 'Bad_Id', owner: OWNER, claimedAt: 'x' }), JSON.stringify({ type: 'offboard', tenantId: 'jane', reason: 'x' })];
    const result = await handler()(sqsEvent([...bad, job]));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }, { itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }] });
    expect(remote.log()[0]).toBe('Provision tenant jane');
    await expect(handler()({ notSqs: true })).rejects.toThrow('the event is not an SQS batch (no Records array)');
  });

  it('puts a deferred tenant back on the queue until its admission window', async () => {
    await tables.db.send(
      new UpdateCommand({ TableName: tables.tenantTable, Key: tenantItemKey('jane'), UpdateExpression: 'SET admission = :r, admitAt = :at', ExpressionAttributeValues: { ':r': 'reserved', ':at': '2026-11-25T16:00:00.000Z' } }),
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
    const tenantItem = async () => (await tables.db.send(new GetCommand({ TableName: tables.tenantTable, Key: tenantItemKey('jane') }))).Item;

    it.each([
      ['belongs to another owner (an operator ran `tenants add`)', OTHER_OWNER, false, 'tenants/jane.yaml in the GitOps repository already belongs to another owner; refusing to overwrite it'],
      ['is a tombstone of another owner (`tenants add`, then `tenants remove`)', OTHER_OWNER, true, 'already belongs to another owner'],
      ['is a tombstone, even of the same owner', OWNER, true, 'tenant jane is a tombstone in the registry; it is never re-provisioned'],
    ])('is refused when it %s: the job fails (towards the DLQ), nothing is created or committed', async (_what, owner, removed, message) => {
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
      expect(((failure?.[1] as { error: Error }).error).message).toContain(message);
      expect(((failure?.[1] as { error: Error }).error).name).toBe('ProvisioningRefusedError');

      expect(remote.countCommits()).toBe(commits);
      expect(remote.show('tenants/jane.yaml')).toBe(registryBefore);
      expect(parseTenantRecordText(registryBefore ?? '', 'tenants/jane.yaml')).toMatchObject({ owner, status: removed ? 'deleted' : 'active' });
      // Refused before any AWS resource was made for the wrong owner.
      expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
      expect(sm.commandCalls(DescribeSecretCommand)).toHaveLength(0);
      expect(eks.calls()).toHaveLength(0);
      expect(sns.calls()).toHaveLength(0);
      const item = await tenantItem();
      expect(item).toMatchObject({ status: 'claimed', owner: OWNER });
      expect(Object.keys(item ?? {}).filter((k) => k.startsWith('provisioning_'))).toEqual([]);
    });

    it('is kept as it is when it already belongs to the same owner: no commit, the tenant is provisioned', async () => {
      const cliOutput = remote.runTenantsCli(['add', 'jane', '--owner', OWNER, '--budget', '250'], 'Operator adds jane by hand');
      expect(cliOutput).toContain('added jane (active)');
      const commits = remote.countCommits();
      const registry = remote.show('tenants/jane.yaml');

      await expect(handler()(sqsEvent([job]))).resolves.toEqual({ batchItemFailures: [] });

      expect(remote.countCommits()).toBe(commits);
      // The operator's record (its createdAt, its budget override) is not replaced by the claim's.
      expect(remote.show('tenants/jane.yaml')).toBe(registry);
      expect(parseTenantRecordText(registry ?? '', 'tenants/jane.yaml')).toMatchObject({ owner: OWNER, monthlyBudgetUsd: 250 });
      expect(await tenantItem()).toMatchObject({ status: 'provisioned', manifestsCommit: remote.head() });
      expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(1);
      expect(eks.commandCalls(CreatePodIdentityAssociationCommand)).toHaveLength(1);
    });
  });
});
