import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import {
  BedrockClient,
  DeleteInferenceProfileCommand,
  ListInferenceProfilesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import {
  AdminDisableUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { DeletePodIdentityAssociationCommand, EKSClient, ListPodIdentityAssociationsCommand } from '@aws-sdk/client-eks';
import { DeleteSecretCommand, DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import * as fs from 'node:fs';
import { TENANT_SECRET_RECOVERY_WINDOW_DAYS, TenantRecord, newTenantRecord, tenantNames, tombstoneTenant } from '@openclaw-tenancy/shared';
import {
  EXAMPLE_PLATFORM_CONFIG,
  loadPlatformConfigText,
  parseTenantRecordText,
  serializeTenantRecord,
  synthesizeTenantFiles,
  synthesizeTenantObjects,
} from '@openclaw-tenancy/tenant-manifests';
import { BedrockInferenceProfiles } from '../src/adapters/bedrock-inference-profiles';
import { CognitoUserAccess } from '../src/adapters/cognito-user-directory';
import { DynamoDbTenantClaims } from '../src/adapters/dynamodb/tenant-claims-table';
import { DynamoDbTenantProgress } from '../src/adapters/dynamodb/tenant-progress-table';
import { CAPACITY_ITEM_KEY, tenantItemKey } from '../src/adapters/dynamodb/table-keys';
import { EksPodIdentityAssociations } from '../src/adapters/eks-pod-identity';
import { IsomorphicGitRepository } from '../src/adapters/git/isomorphic-git-repository';
import { SecretsManagerTenantSecrets } from '../src/adapters/secrets-manager-tenant-secrets';
import { SnsAdminNotifier } from '../src/adapters/sns-admin-notifier';
import { tenantManifestsRenderer } from '../src/adapters/tenant-manifests-renderer';
import { claimTenant } from '../src/domain/tenant-claim';
import { offboardTenant } from '../src/domain/offboarding';
import { createOffboarderHandler } from '../src/handlers/offboarder';
import { createPostConfirmationHandler } from '../src/handlers/post-confirmation';
import type { OffboardingStep } from '../src/ports/tenant-progress';
import { localLambdaContext } from '../src/testing/lambda-invoke-server';
import { GIT_CREDENTIALS, GitOpsRemote, PLATFORM_CONFIG, PLATFORM_CONFIG_PATH, startGitOpsRemote } from './support/gitops-remote';
import { TestTables, startTestTables } from './support/test-tables';
import { BedrockProfilesFake, fakeProfileArn, regionsOf } from './support/bedrock-profiles-mock';
import { RecordingQueue, RecordingUserDirectory, quietLogger } from './support/recording-ports';

// Real servers (Git, dynalite) on a shared 2-core machine: generous, not a performance assertion.
jest.setTimeout(30000);

const OWNER = '0000000a-aaaa-4bbb-8ccc-000000000001';
const NEWCOMER = '0000000c-cccc-4bbb-8ccc-000000000003';
const CLAIMED_AT = new Date('2026-10-01T09:00:00Z');
const NOW = new Date('2026-11-25T13:20:00Z');
const TOPIC = 'arn:aws:sns:eu-west-1:111111111111:alerts';
const CLUSTER = 'openclaw';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:openclaw/tenants/jane/gateway-AbCdEf';
const names = tenantNames('jane');
const CLAIM_POLICY = { maxTenants: 10, confirmationsPerDomainPerHour: 5, tier: 'standard', runtime: 'runc' } as const;
/** The commands offboarding may send: nothing that deletes data (no EFS, no volumes), nothing forced. */
const ALLOWED_COMMANDS = [
  'AdminDisableUserCommand',
  'AdminUserGlobalSignOutCommand',
  'ListPodIdentityAssociationsCommand',
  'DeletePodIdentityAssociationCommand',
  'ListInferenceProfilesCommand',
  'ListTagsForResourceCommand',
  'DeleteInferenceProfileCommand',
  'DescribeSecretCommand',
  'DeleteSecretCommand',
  'PublishCommand',
];
/** jane's profiles as the provisioner recorded them (deepseek's is already gone from Bedrock). */
const JANE_PROFILES = {
  opus: fakeProfileArn('openclaw-jane-opus'),
  sonnet: fakeProfileArn('openclaw-jane-sonnet'),
  deepseek: fakeProfileArn('openclaw-jane-deepseek'),
};
/** A profile of jane's from a model since dropped from the catalog: not in her record, found by its name. */
const JANE_DROPPED_MODEL = fakeProfileArn('openclaw-jane-haiku');
/** Tenant jane-2's profile: its name starts like jane's, its tag says it is not hers. */
const JANE_2_OPUS = fakeProfileArn('openclaw-jane-2-opus');

const sm = mockClient(SecretsManagerClient);
const eks = mockClient(EKSClient);
const sns = mockClient(SNSClient);
const bedrock = mockClient(BedrockClient);
const cognito = mockClient(CognitoIdentityProviderClient);
const USER_POOL = 'eu-west-1_pool';

const job = (tenantId = 'jane', reason = 'left-company') => JSON.stringify({ type: 'offboard', tenantId, reason });
const sqsEvent = (bodies: string[]) => ({
  Records: bodies.map((body, i) => ({ messageId: `m-${i}`, body, attributes: { ApproximateReceiveCount: '1' } })),
});

/** The kind of every document of a synthesized manifests file (each document's top-level `kind:` line). */
const kindsIn = (manifests: string): string[] => [...manifests.matchAll(/^kind: (\S+)$/gm)].map((m) => m[1] ?? '');
/** What an offboarded tenant's folder keeps: the objects that hold its data, nothing that runs or routes. */
const RETAINED_KINDS = ['Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'NetworkPolicy', 'PersistentVolumeClaim'];

describe('offboarder (real Git remote, dynalite, SDK mocks)', () => {
  let tables: TestTables;
  let remote: GitOpsRemote;
  /** The cloud side as the mocks see it: one association, one live secret. */
  let associations: string[];
  let secretDeletedAt: Date | undefined;
  let seedRecord: TenantRecord;
  let seedFiles: Array<{ path: string; content: string }>;
  let profiles: BedrockProfilesFake;

  beforeAll(() => {
    // What the provisioner committed for jane: the registry file and her synthesized folder.
    const config = loadPlatformConfigText(fs.readFileSync(EXAMPLE_PLATFORM_CONFIG, 'utf8'), PLATFORM_CONFIG_PATH);
    seedRecord = {
      ...newTenantRecord({ id: 'jane', owner: OWNER, tier: 'standard', runtime: 'runc', createdAt: CLAIMED_AT }),
      inferenceProfiles: JANE_PROFILES,
    };
    seedFiles = [{ path: names.registryFile, content: serializeTenantRecord(seedRecord) }, ...synthesizeTenantFiles(seedRecord, config)];
  });

  beforeEach(async () => {
    sm.reset();
    eks.reset();
    sns.reset();
    bedrock.reset();
    cognito.reset();
    cognito.on(AdminDisableUserCommand).resolves({});
    cognito.on(AdminUserGlobalSignOutCommand).resolves({});
    profiles = new BedrockProfilesFake(bedrock);
    const tagsOf = (id: string) => ({ tenant: id, 'tenant-namespace': `openclaw-${id}` });
    profiles.add('openclaw-jane-opus', tagsOf('jane'));
    profiles.add('openclaw-jane-sonnet', tagsOf('jane'));
    profiles.add('openclaw-jane-haiku', tagsOf('jane'));
    profiles.add('openclaw-jane-2-opus', tagsOf('jane-2'));
    associations = ['a-jane'];
    secretDeletedAt = undefined;
    eks
      .on(ListPodIdentityAssociationsCommand)
      .callsFake(() => ({ associations: associations.map((associationId) => ({ associationId, clusterName: CLUSTER })) }));
    eks.on(DeletePodIdentityAssociationCommand).callsFake((input: { associationId: string }) => {
      associations = associations.filter((a) => a !== input.associationId);
      return {};
    });
    sm.on(DescribeSecretCommand).callsFake(() => ({
      ARN: SECRET_ARN,
      Name: names.secretId('gateway'),
      ...(secretDeletedAt ? { DeletedDate: secretDeletedAt } : {}),
    }));
    sm.on(DeleteSecretCommand).callsFake(() => {
      secretDeletedAt ??= NOW;
      return { ARN: SECRET_ARN, DeletionDate: new Date(NOW.getTime() + TENANT_SECRET_RECOVERY_WINDOW_DAYS * 86_400_000) };
    });
    sns.on(PublishCommand).resolves({ MessageId: 'm' });

    tables = await startTestTables();
    remote = await startGitOpsRemote();
    remote.pushFiles(seedFiles, 'Provision tenant jane');
    // jane as the provisioner left her: claimed (capacity 1), every step done, provisioned.
    await claimTenant({ owner: OWNER, email: 'jane@example.com', user: { userPoolId: USER_POOL, userName: OWNER } }, CLAIM_POLICY, {
      claims: new DynamoDbTenantClaims(tables.db, tables),
      now: () => CLAIMED_AT,
    });
    const progress = new DynamoDbTenantProgress(tables.db, tables.tenantTable);
    for (const step of ['secrets', 'podIdentity', 'manifests', 'notified'] as const)
      await progress.markProvisioningStep('jane', step, '2026-10-01T09:01:00Z');
    await progress.markProvisioned('jane', '2026-10-01T09:01:00Z');
  });
  afterEach(async () => {
    await tables.close();
    await remote.close();
  });

  function handler(options: { crashAfter?: OffboardingStep; logger?: Logger; url?: string; idempotencyStore?: BasePersistenceLayer } = {}) {
    const progress = new DynamoDbTenantProgress(tables.db, tables.tenantTable);
    const created = createOffboarderHandler({
      settings: { clusterName: CLUSTER, platformConfig: PLATFORM_CONFIG },
      // A crash right after a step's work, before its progress is recorded.
      progress: {
        get: (id) => progress.get(id),
        markProvisioningStep: (id, step, at, details) => progress.markProvisioningStep(id, step, at, details),
        markProvisioned: (id, at) => progress.markProvisioned(id, at),
        markDeleted: (id, at) => progress.markDeleted(id, at),
        markOffboardingStep: async (id, step, at) => {
          if (step === options.crashAfter) throw new Error(`simulated crash after ${step}`);
          return progress.markOffboardingStep(id, step, at);
        },
      },
      userAccess: new CognitoUserAccess(new CognitoIdentityProviderClient({})),
      secrets: new SecretsManagerTenantSecrets(new SecretsManagerClient({})),
      podIdentity: new EksPodIdentityAssociations(new EKSClient({})),
      inferenceProfiles: new BedrockInferenceProfiles(),
      repository: new IsomorphicGitRepository({
        url: options.url ?? remote.url,
        branch: 'main',
        author: { name: 'openclaw-offboarder', email: 'o@example.com' },
        credentials: async () => GIT_CREDENTIALS,
        backoffBaseMs: 5,
        now: () => NOW,
      }),
      renderer: tenantManifestsRenderer,
      notifier: new SnsAdminNotifier(new SNSClient({}), TOPIC),
      idempotencyStore: options.idempotencyStore ?? tables.idempotencyStore(),
      logger: options.logger ?? quietLogger(),
      now: () => NOW,
    });
    return (event: unknown) => created(event, localLambdaContext('offboarder'));
  }

  const tenantItem = async (id = 'jane') =>
    (await tables.db.send(new GetCommand({ TableName: tables.tenantTable, Key: tenantItemKey(id) }))).Item;
  const capacity = async () =>
    (await tables.db.send(new GetCommand({ TableName: tables.tenantTable, Key: CAPACITY_ITEM_KEY }))).Item?.count;
  const commandsSent = () =>
    [...cognito.calls(), ...sm.calls(), ...eks.calls(), ...bedrock.calls(), ...sns.calls()].map(
      (c) => (c.args[0] as object).constructor.name,
    );
  const deletedProfiles = () => bedrock.commandCalls(DeleteInferenceProfileCommand).map((c) => c.args[0].input.inferenceProfileIdentifier);
  const failureOf = (logger: Logger) =>
    (jest.mocked(logger.error).mock.calls.find(([m]) => m === 'job failed; it returns to the queue')?.[1] as { error: Error } | undefined)
      ?.error;

  it('tombstones the registry entry and reduces the folder to the retained data in one commit, deletes the association, schedules the secret deletion, marks the tenant deleted', async () => {
    const before = remote.countCommits();
    const registryBefore = remote.show(names.registryFile);
    expect(remote.files(names.deployDir)).toEqual([`${names.deployDir}/manifests.yaml`]);
    const kindsBefore = kindsIn(remote.show(`${names.deployDir}/manifests.yaml`) ?? '');
    expect(kindsBefore).toEqual(expect.arrayContaining(['Deployment', 'HTTPRoute', 'SecurityPolicy', 'PersistentVolumeClaim']));

    await expect(handler()(sqsEvent([job()]))).resolves.toEqual({ batchItemFailures: [] });

    // Git: exactly one commit, touching exactly the registry file and the folder.
    expect(remote.countCommits()).toBe(before + 1);
    expect(remote.log()[0]).toBe('Offboard tenant jane (left-company)');
    expect(remote.changedFiles()).toEqual([`M\t${names.deployDir}/manifests.yaml`, `M\t${names.registryFile}`]);
    // The tombstone is shared's `tombstoneTenant` of what was there, written as the CLI writes it.
    const tombstone = parseTenantRecordText(remote.show(names.registryFile) ?? '', names.registryFile);
    // Its folder is what `npm run synth` writes for it: what holds the data stays, Argo CD prunes the rest.
    const [retained] = synthesizeTenantFiles(tombstone, PLATFORM_CONFIG);
    expect(remote.show(`${names.deployDir}/manifests.yaml`)).toBe(retained?.content);
    expect(kindsIn(retained?.content ?? '')).toEqual(RETAINED_KINDS);
    expect(tombstone).toEqual(tombstoneTenant(parseTenantRecordText(registryBefore ?? '', names.registryFile), NOW, 'left-company'));
    expect(tombstone).toMatchObject({
      id: 'jane',
      owner: OWNER,
      status: 'deleted',
      deletedAt: '2026-11-25T13:20:00Z',
      statusReason: 'left-company',
    });
    expect(remote.show(names.registryFile)).toBe(serializeTenantRecord(tombstone));

    // Cognito: the owner disabled (no sign-in, no refresh), then signed out everywhere (refresh tokens revoked), in that order.
    expect(cognito.calls().map((c) => [(c.args[0] as object).constructor.name, (c.args[0] as { input: object }).input])).toEqual([
      ['AdminDisableUserCommand', { UserPoolId: USER_POOL, Username: OWNER }],
      ['AdminUserGlobalSignOutCommand', { UserPoolId: USER_POOL, Username: OWNER }],
    ]);
    // EKS: the association of the tenant's service account, found and deleted.
    expect(eks.commandCalls(ListPodIdentityAssociationsCommand).map((c) => c.args[0].input)).toEqual([
      { clusterName: CLUSTER, namespace: 'openclaw-jane', serviceAccount: names.serviceAccount },
    ]);
    expect(eks.commandCalls(DeletePodIdentityAssociationCommand).map((c) => c.args[0].input)).toEqual([
      { clusterName: CLUSTER, associationId: 'a-jane' },
    ]);
    // Bedrock (models.bedrockRegion us-east-1): the profiles her record names and those named like hers, each only after its
    // tenant-namespace tag said it is hers; the one already gone is fine; jane-2's profile (same name prefix) is left alone.
    expect(bedrock.commandCalls(ListInferenceProfilesCommand)[0]?.args[0].input).toEqual({ typeEquals: 'APPLICATION', maxResults: 1000 });
    expect(new Set(bedrock.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input.resourceARN))).toEqual(
      new Set([...Object.values(JANE_PROFILES), JANE_DROPPED_MODEL, JANE_2_OPUS]),
    );
    expect(new Set(deletedProfiles())).toEqual(new Set([JANE_PROFILES.opus, JANE_PROFILES.sonnet, JANE_DROPPED_MODEL]));
    expect(deletedProfiles()).toHaveLength(3);
    expect([...profiles.profiles.values()].map((p) => p.arn)).toEqual([JANE_2_OPUS]);
    expect(new Set(await regionsOf(bedrock.calls()))).toEqual(new Set(['us-east-1']));
    // The tombstone keeps the registry's record of them.
    expect(tombstone.inferenceProfiles).toEqual(JANE_PROFILES);
    // Secrets Manager: deletion scheduled with the 30-day recovery window, never forced.
    expect(sm.commandCalls(DeleteSecretCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: names.secretId('gateway'), RecoveryWindowInDays: 30 },
    ]);
    expect(sm.commandCalls(DeleteSecretCommand)[0]?.args[0].input).not.toHaveProperty('ForceDeleteWithoutRecovery');

    // DynamoDB: deleted, every step recorded, the capacity unit freed.
    expect(await tenantItem()).toMatchObject({
      status: 'deleted',
      deletedAt: '2026-11-25T13:20:00Z',
      offboarding_userAccess: '2026-11-25T13:20:00Z',
      offboarding_registry: '2026-11-25T13:20:00Z',
      offboarding_podIdentity: '2026-11-25T13:20:00Z',
      offboarding_inferenceProfiles: '2026-11-25T13:20:00Z',
      offboarding_secrets: '2026-11-25T13:20:00Z',
      offboarding_notified: '2026-11-25T13:20:00Z',
    });
    expect(await capacity()).toBe(0);
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input)).toEqual([
      {
        TopicArn: TOPIC,
        Subject: 'Tenant offboarded: jane',
        Message: 'Tenant jane was offboarded; its id stays reserved and its data is retained and backed up.',
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: 'TenantOffboarded' },
          tenantId: { DataType: 'String', StringValue: 'jane' },
        },
      },
    ]);
  });

  it('never deletes tenant data: only the association, the scheduled secret deletion and the notice go to AWS, and the kept PVC is marked never to be pruned', async () => {
    await handler()(sqsEvent([job()]));
    expect(new Set(commandsSent())).toEqual(new Set(ALLOWED_COMMANDS));
    // The PVC (the EFS access point's data) stays in the folder and carries sync options that forbid pruning and
    // deletion even once an operator removes the folder (ADR 0004).
    const tombstone = parseTenantRecordText(remote.show(names.registryFile) ?? '', names.registryFile);
    expect(remote.show(`${names.deployDir}/manifests.yaml`)).toBe(synthesizeTenantFiles(tombstone, PLATFORM_CONFIG)[0]?.content);
    const claim = synthesizeTenantObjects(tombstone, PLATFORM_CONFIG).find((o) => o.kind === 'PersistentVolumeClaim') as
      { metadata: { name: string; annotations?: Record<string, string> } } | undefined;
    expect(claim?.metadata.name).toBe(names.persistentVolumeClaim);
    expect(claim?.metadata.annotations?.['argocd.argoproj.io/sync-options']).toBe('Delete=false,Prune=false');
  });

  it('keeps the id taken for ever: a later sign-up whose e-mail derives "jane" gets another id', async () => {
    await handler()(sqsEvent([job()]));
    const queue = new RecordingQueue();
    const users = new RecordingUserDirectory();
    const confirm = createPostConfirmationHandler({
      policy: CLAIM_POLICY,
      claims: new DynamoDbTenantClaims(tables.db, tables),
      users,
      queue,
      idempotencyStore: tables.idempotencyStore(),
      logger: quietLogger(),
      now: () => NOW,
    });
    const event = {
      version: '1',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_pool',
      userName: NEWCOMER,
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      callerContext: { awsSdkVersion: 'x', clientId: 'client' },
      // Another person whose address derives the same id (jane@example.com's mailbox itself stays hers for ever).
      request: { userAttributes: { sub: NEWCOMER, email: 'Jane@example.org', email_verified: 'true' } },
      response: {},
    };
    await confirm(event, localLambdaContext('post-confirmation'));
    expect(queue.sent.map((s) => s.job)).toEqual([
      { type: 'provision', tenantId: 'jane-2', owner: NEWCOMER, claimedAt: '2026-11-25T13:20:00Z' },
    ]);
    expect(users.updates.map((u) => u.tenantId)).toEqual(['jane-2']);
    expect(await tenantItem()).toMatchObject({ status: 'deleted', owner: OWNER });
    expect(parseTenantRecordText(remote.show(names.registryFile) ?? '', names.registryFile)).toMatchObject({
      owner: OWNER,
      status: 'deleted',
    });
  });

  it('is idempotent: a replay (even without the idempotency record) makes no commit, calls nothing destructive and does not free capacity twice', async () => {
    await handler()(sqsEvent([job()]));
    const commits = remote.countCommits();
    const callsBefore = commandsSent().length;

    // The idempotency record answers a replay within its hour; after it expired, the tenant item's steps answer.
    await expect(handler()(sqsEvent([job()]))).resolves.toEqual({ batchItemFailures: [] });
    await expect(handler({ idempotencyStore: await tables.emptyIdempotencyStore() })(sqsEvent([job(), job()]))).resolves.toEqual({
      batchItemFailures: [],
    });
    expect(remote.countCommits()).toBe(commits);
    expect(commandsSent()).toHaveLength(callsBefore);
    expect(await capacity()).toBe(0);

    // And with the progress lost entirely, the Git step finds its tombstone and commits nothing.
    const progress = new DynamoDbTenantProgress(tables.db, tables.tenantTable);
    const repository = new IsomorphicGitRepository({
      url: remote.url,
      branch: 'main',
      author: { name: 'o', email: 'o@example.com' },
      credentials: async () => GIT_CREDENTIALS,
    });
    const replay = await offboardTenant(
      { type: 'offboard', tenantId: 'jane', reason: 'left-company' },
      { clusterName: CLUSTER, platformConfig: PLATFORM_CONFIG },
      {
        progress: {
          get: async () => ({ tenantId: 'jane', owner: OWNER, status: 'provisioned', provisioning: {}, offboarding: {} }),
          markOffboardingStep: async () => undefined,
          markDeleted: (id, at) => progress.markDeleted(id, at),
          markProvisioningStep: async () => undefined,
          markProvisioned: async () => undefined,
        },
        userAccess: new CognitoUserAccess(new CognitoIdentityProviderClient({})),
        secrets: new SecretsManagerTenantSecrets(new SecretsManagerClient({})),
        podIdentity: new EksPodIdentityAssociations(new EKSClient({})),
        inferenceProfiles: new BedrockInferenceProfiles(),
        repository,
        renderer: tenantManifestsRenderer,
        notifier: { notify: async () => undefined },
        log: quietLogger(),
        now: () => new Date('2026-12-24T00:00:00Z'),
      },
    );
    expect(replay).toEqual({ commit: remote.head() });
    expect(remote.countCommits()).toBe(commits);
    // The tombstone keeps its first deletedAt.
    expect(parseTenantRecordText(remote.show(names.registryFile) ?? '', names.registryFile).deletedAt).toBe('2026-11-25T13:20:00Z');
    expect(eks.commandCalls(DeletePodIdentityAssociationCommand)).toHaveLength(1);
    expect(deletedProfiles()).toHaveLength(3);
    expect(sm.commandCalls(DeleteSecretCommand)).toHaveLength(1);
    expect(await capacity()).toBe(0);
  });

  it('fails the job before anything else changes when Cognito refuses to disable the owner', async () => {
    cognito
      .on(AdminDisableUserCommand)
      .rejects(Object.assign(new Error('not authorized to perform cognito-idp:AdminDisableUser'), { name: 'AccessDeniedException' }));
    const before = remote.countCommits();
    await expect(handler()(sqsEvent([job()]))).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
    expect(remote.countCommits()).toBe(before);
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(0);
    expect(eks.calls()).toHaveLength(0);
    expect(await tenantItem()).not.toHaveProperty('offboarding_userAccess');
  });

  it('treats an owner already deleted from the pool as revoked and carries on', async () => {
    cognito.on(AdminDisableUserCommand).rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
    await expect(handler()(sqsEvent([job()]))).resolves.toEqual({ batchItemFailures: [] });
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(0);
    expect(await tenantItem()).toMatchObject({ status: 'deleted', offboarding_userAccess: '2026-11-25T13:20:00Z' });
  });

  it.each(['userAccess', 'registry', 'podIdentity', 'inferenceProfiles', 'secrets', 'notified'] as const)(
    'converges after a crash after the %s step and a retry',
    async (step) => {
      const before = remote.countCommits();
      await expect(handler({ crashAfter: step })(sqsEvent([job()]))).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
      await expect(handler()(sqsEvent([job()]))).resolves.toEqual({ batchItemFailures: [] });

      expect(remote.countCommits()).toBe(before + 1);
      expect(remote.log()[0]).toBe('Offboard tenant jane (left-company)');
      expect(parseTenantRecordText(remote.show(names.registryFile) ?? '', names.registryFile)).toMatchObject({
        status: 'deleted',
        deletedAt: '2026-11-25T13:20:00Z',
      });
      expect(kindsIn(remote.show(`${names.deployDir}/manifests.yaml`) ?? '')).toEqual(RETAINED_KINDS);
      expect(eks.commandCalls(DeletePodIdentityAssociationCommand)).toHaveLength(1);
      expect(associations).toEqual([]);
      expect(deletedProfiles()).toHaveLength(3);
      expect([...profiles.profiles.values()].map((p) => p.arn)).toEqual([JANE_2_OPUS]);
      expect(sm.commandCalls(DeleteSecretCommand)).toHaveLength(1);
      expect(secretDeletedAt).toEqual(NOW);
      // The notice is at least once: only a crash between publishing and recording repeats it.
      expect(sns.commandCalls(PublishCommand)).toHaveLength(step === 'notified' ? 2 : 1);
      expect(await tenantItem()).toMatchObject({ status: 'deleted' });
      expect(await capacity()).toBe(0);
    },
  );

  it.each([
    ['down (every request fails)', () => 503],
    [
      'refusing the push',
      ({ service, method }: { service: string | undefined; method: string }) =>
        service === 'git-receive-pack' && method === 'POST' ? 503 : undefined,
    ],
  ])(
    'leaves everything but the revoked sign-in as it was when the Git remote is %s, reports the job failed, and succeeds on redelivery',
    async (_what, failure) => {
      let failing = true;
      const flaky = await startGitOpsRemote((request) => (failing ? failure(request) : undefined));
      try {
        flaky.pushFiles(seedFiles, 'Provision tenant jane');
        const commits = flaky.countCommits();
        const registry = flaky.show(names.registryFile);
        const logger = quietLogger();

        await expect(handler({ url: flaky.url, logger })(sqsEvent([job()]))).resolves.toEqual({
          batchItemFailures: [{ itemIdentifier: 'm-0' }],
        });
        expect(failureOf(logger)).toBeDefined();
        expect(flaky.countCommits()).toBe(commits);
        expect(flaky.show(names.registryFile)).toBe(registry);
        expect(flaky.files(names.deployDir)).toHaveLength(1);
        // Only the owner's sign-in is gone (the first step); nothing after the Git step ran: the tenant
        // keeps its AWS access and secret until the tombstone is in Git.
        expect(commandsSent()).toEqual(['AdminDisableUserCommand', 'AdminUserGlobalSignOutCommand']);
        const item = await tenantItem();
        expect(item).toMatchObject({ status: 'provisioned' });
        expect(Object.keys(item ?? {}).filter((k) => k.startsWith('offboarding_'))).toEqual(['offboarding_userAccess']);
        expect(await capacity()).toBe(1);

        failing = false;
        await expect(handler({ url: flaky.url })(sqsEvent([job()]))).resolves.toEqual({ batchItemFailures: [] });
        expect(flaky.countCommits()).toBe(commits + 1);
        expect(await tenantItem()).toMatchObject({ status: 'deleted' });
      } finally {
        await flaky.close();
      }
    },
  );

  it('fails clearly for a tenant that is neither in the registry nor claimed, touching nothing', async () => {
    const logger = quietLogger();
    const before = remote.countCommits();
    await expect(handler({ logger })(sqsEvent([job('ghost')]))).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
    expect(failureOf(logger)).toMatchObject({
      name: 'OffboardingRefusedError',
      message: 'tenant ghost is neither in the registry nor claimed; nothing to offboard',
    });
    expect(remote.countCommits()).toBe(before);
    expect(remote.show('tenants/ghost.yaml')).toBeUndefined();
    expect(commandsSent()).toEqual([]);
    expect(await tenantItem('ghost')).toBeUndefined();
    expect(await capacity()).toBe(1);
  });

  it('offboards a tenant an operator added with the CLI (no claim): tombstoned in Git and in the table, capacity untouched', async () => {
    const OPERATOR_OWNER = '0000000d-dddd-4bbb-8ccc-000000000004';
    remote.runTenantsCli(['add', 'ops', '--owner', OPERATOR_OWNER], 'Operator adds ops');
    await expect(handler()(sqsEvent([job('ops', 'offboarded')]))).resolves.toEqual({ batchItemFailures: [] });
    expect(remote.log()[0]).toBe('Offboard tenant ops (offboarded)');
    expect(parseTenantRecordText(remote.show('tenants/ops.yaml') ?? '', 'tenants/ops.yaml')).toMatchObject({
      owner: OPERATOR_OWNER,
      status: 'deleted',
    });
    expect(kindsIn(remote.show('deploy/tenants/ops/manifests.yaml') ?? '')).toEqual(RETAINED_KINDS);
    // A tombstone item now guards the id in the claim table too.
    expect(await tenantItem('ops')).toMatchObject({ status: 'deleted', tenantId: 'ops' });
    expect(await capacity()).toBe(1);
  });

  it('reports malformed and wrong-type messages as batch item failures', async () => {
    const result = await handler()(
      sqsEvent([
        '{',
        JSON.stringify({ type: 'offboard', tenantId: 'jane' }),
        JSON.stringify({ type: 'provision', tenantId: 'jane', owner: OWNER, claimedAt: '2026-10-01T09:00:00Z' }),
        job(),
      ]),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }, { itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }] });
    expect(remote.log()[0]).toBe('Offboard tenant jane (left-company)');
  });
});
