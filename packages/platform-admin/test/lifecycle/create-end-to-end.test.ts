/**
 * `platform-admin create` against cognito-local (a real user pool), dynalite
 * and the real Git remote, then the job it sent handed to the platform's own
 * provisioner handler: the tenant ends provisioned in Git exactly as after a
 * sign-up. AWS services without a local stand-in are mocked at the SDK boundary.
 */
import '../support/aws-test-env';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CognitoUserAccess,
  CognitoUserDirectory,
  DynamoDbTenantClaims,
  DynamoDbTenantProgress,
  EksPodIdentityAssociations,
  InMemoryInferenceProfiles,
  SecretsManagerTenantSecrets,
  SnsAdminNotifier,
  SqsJobQueue,
  createFunctionLogger,
  createOffboarderHandler,
  createProvisionerHandler,
  documentClient,
  idempotencyPersistenceLayer,
  tenantManifestsRenderer,
} from '@openclaw-tenancy/lambdas';
import { CognitoLocal, localLambdaContext, startCognitoLocal } from '@openclaw-tenancy/lambdas/testing';
import { TENANT_ID_ATTRIBUTE } from '@openclaw-tenancy/shared';
import { EXAMPLE_PLATFORM_CONFIG } from '@openclaw-tenancy/tenant-manifests';
import { runLifecycleCommand } from '../../src/cli/lifecycle-cli';
import { EXIT_CODES } from '../../src/lifecycle/lifecycle-refusal';
import {
  AdminFixture,
  DEPLOYMENT,
  captureIo,
  cloudWatch,
  bedrock,
  cognito as cognitoMock,
  eks,
  secretsManager,
  startAdminFixture,
} from '../support/lifecycle-fixture';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { EKSClient } from '@aws-sdk/client-eks';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

jest.setTimeout(120_000);

const sqs = mockClient(SQSClient);
const sns = mockClient(SNSClient);

describe('create and offboard end to end (cognito-local, dynalite, real Git, the real provisioner and offboarder)', () => {
  let workDir: string;
  let cognito: CognitoLocal;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let fx: AdminFixture;
  const profiles = new InMemoryInferenceProfiles('111111111111');

  beforeAll(async () => {
    // The pool is cognito-local here, not the SDK mock the shared fixture installs.
    cognitoMock.restore();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-admin-cognito-'));
    // No triggers: the operator creates tenants for users who already exist.
    cognito = await startCognitoLocal({ workDir, lambdaEndpoint: 'http://127.0.0.1:9', triggers: {} });
    idp = new CognitoIdentityProviderClient({
      endpoint: cognito.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const pool = await idp.send(
      new CreateUserPoolCommand({
        PoolName: 'admin-e2e',
        UsernameAttributes: ['email'],
        Schema: [{ Name: 'tenant_id', AttributeDataType: 'String', Mutable: true }],
      }),
    );
    poolId = pool.UserPool?.Id ?? '';
    fx = await startAdminFixture({ cognito: { client: idp, userPoolId: poolId } });
  });
  afterAll(async () => {
    idp?.destroy();
    await cognito?.stop();
    await fx?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    for (const m of [secretsManager, eks, cloudWatch, bedrock, sqs, sns]) m.reset();
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    bedrock.on(ListInferenceProfilesCommand).resolves({ inferenceProfileSummaries: [] });
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  });

  async function createUser(email: string, confirmed: boolean): Promise<void> {
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: email,
        UserAttributes: [{ Name: 'email', Value: email }],
        MessageAction: 'SUPPRESS',
        TemporaryPassword: 'Temp-pass-9x',
      }),
    );
    if (confirmed)
      await idp.send(
        new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: email, Password: 'Correct-horse-9', Permanent: true }),
      );
  }
  const tenantIdOf = async (email: string) =>
    (await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).UserAttributes?.find(
      (a) => a.Name === TENANT_ID_ATTRIBUTE,
    )?.Value;

  async function run(command: 'create' | 'invite', ...args: string[]) {
    const io = captureIo();
    const code = await runLifecycleCommand(command, [...args, '--config', EXAMPLE_PLATFORM_CONFIG, '--json'], {
      baseDir: process.cwd(),
      stdout: io.stdout,
      stderr: io.stderr,
      portsFor: async () => fx.ports,
    });
    return { code, out: io.out(), err: io.err() };
  }
  const create = (...args: string[]) => run('create', ...args);
  const invite = (...args: string[]) => run('invite', ...args);

  it('claims for a confirmed user of the pool, records custom:tenant_id, and the provisioner provisions the job it sent', async () => {
    await createUser('maria.lopez@example.com', true);
    const r = await create('--email', 'maria.lopez@example.com');
    expect(r.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(r.out)).toMatchObject({ tenantId: 'maria-lopez', newlyClaimed: true, provisioningJobSent: true });
    expect(await tenantIdOf('maria.lopez@example.com')).toBe('maria-lopez');

    // The job, handed to the platform's provisioner as SQS would deliver it.
    const [sent] = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(sent?.QueueUrl).toBe(DEPLOYMENT.provisioningQueueUrl);
    secretsManager.on(DescribeSecretCommand).rejects(Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' }));
    secretsManager.on(CreateSecretCommand).resolves({});
    eks.on(ListPodIdentityAssociationsCommand).resolves({ associations: [] });
    eks.on(CreatePodIdentityAssociationCommand).resolves({});
    sns.on(PublishCommand).resolves({});
    const db = documentClient(fx.dynamoClient);
    await fx.dynamo.createTable('idempotency-e2e', 'idempotencyTable');
    const provisioner = createProvisionerHandler({
      settings: {
        clusterName: 'openclaw',
        tenantRoleArn: 'arn:aws:iam::111111111111:role/openclaw-tenant',
        platformConfig: fx.config,
        workspaceBaseUrl: 'https://ai.example.com',
      },
      progress: new DynamoDbTenantProgress(db, DEPLOYMENT.tenantTable),
      secrets: new SecretsManagerTenantSecrets(new SecretsManagerClient({})),
      podIdentity: new EksPodIdentityAssociations(new EKSClient({})),
      inferenceProfiles: profiles,
      claims: new DynamoDbTenantClaims(db, { tenantTable: DEPLOYMENT.tenantTable }),
      users: new CognitoUserDirectory(idp),
      repository: fx.repository,
      renderer: tenantManifestsRenderer,
      notifier: new SnsAdminNotifier(new SNSClient({}), 'arn:aws:sns:eu-west-1:111111111111:alerts'),
      queue: new SqsJobQueue(new SQSClient({}), DEPLOYMENT.provisioningQueueUrl),
      idempotencyStore: idempotencyPersistenceLayer('idempotency-e2e', fx.dynamoClient),
      logger: createFunctionLogger('provisioner'),
      now: () => new Date('2026-11-20T10:00:05Z'),
    });
    const event = { Records: [{ messageId: 'm-1', body: sent?.MessageBody ?? '', attributes: { ApproximateReceiveCount: '1' } }] };
    await expect(provisioner(event, localLambdaContext('provisioner'))).resolves.toEqual({ batchItemFailures: [] });

    expect(fx.log()[0]).toBe('Provision tenant maria-lopez');
    expect(fx.show('tenants/maria-lopez.yaml')).toMatch(/status: active/);
    expect(fx.show('deploy/tenants/maria-lopez/manifests.yaml')).toMatch(/kind: Deployment/);
    expect((await fx.ports.progress.get('maria-lopez'))?.status).toBe('provisioned');

    // `show` now reports every provisioning step done.
    const io = captureIo();
    secretsManager.on(DescribeSecretCommand).resolves({ Name: 'openclaw/tenants/maria-lopez/gateway' });
    expect(
      await runLifecycleCommand('show', ['maria-lopez', '--config', EXAMPLE_PLATFORM_CONFIG, '--json'], {
        baseDir: process.cwd(),
        stdout: io.stdout,
        stderr: io.stderr,
        portsFor: async () => fx.ports,
      }),
    ).toBe(EXIT_CODES.ok);
    expect(JSON.parse(io.out())).toMatchObject({
      provisioningPending: [],
      registry: { id: 'maria-lopez', status: 'active' },
      claim: { status: 'provisioned' },
    });
  });

  it("offboard: the job the CLI sends, handed to the platform's offboarder, disables the owner in the pool and tombstones the tenant in Git", async () => {
    const io = captureIo();
    expect(
      await runLifecycleCommand('offboard', ['maria-lopez', '--reason', 'left-company', '--config', EXAMPLE_PLATFORM_CONFIG], {
        baseDir: process.cwd(),
        stdout: io.stdout,
        stderr: io.stderr,
        portsFor: async () => fx.ports,
      }),
    ).toBe(EXIT_CODES.ok);
    const [sent] = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(sent?.QueueUrl).toBe(DEPLOYMENT.offboardingQueueUrl);

    secretsManager.on(DescribeSecretCommand).resolves({ Name: 'openclaw/tenants/maria-lopez/gateway' });
    secretsManager.on(DeleteSecretCommand).resolves({});
    eks
      .on(ListPodIdentityAssociationsCommand)
      .resolves({ associations: [{ associationId: 'a-1', namespace: 'openclaw-maria-lopez', serviceAccount: 'openclaw-gateway' }] });
    eks.on(DeletePodIdentityAssociationCommand).resolves({});
    sns.on(PublishCommand).resolves({});
    await fx.dynamo.createTable('idempotency-offboard', 'idempotencyTable');
    const offboarder = createOffboarderHandler({
      settings: { clusterName: 'openclaw', platformConfig: fx.config },
      progress: new DynamoDbTenantProgress(documentClient(fx.dynamoClient), DEPLOYMENT.tenantTable),
      // cognito-local has no AdminUserGlobalSignOut; AWS signs the user out too.
      userAccess: new CognitoUserAccess(idp, { globalSignOut: false }),
      secrets: new SecretsManagerTenantSecrets(new SecretsManagerClient({})),
      podIdentity: new EksPodIdentityAssociations(new EKSClient({})),
      inferenceProfiles: profiles,
      repository: fx.repository,
      renderer: tenantManifestsRenderer,
      notifier: new SnsAdminNotifier(new SNSClient({}), 'arn:aws:sns:eu-west-1:111111111111:alerts'),
      idempotencyStore: idempotencyPersistenceLayer('idempotency-offboard', fx.dynamoClient),
      logger: createFunctionLogger('offboarder'),
      now: () => new Date('2026-11-21T10:00:00Z'),
    });
    const event = { Records: [{ messageId: 'm-2', body: sent?.MessageBody ?? '', attributes: { ApproximateReceiveCount: '1' } }] };
    await expect(offboarder(event, localLambdaContext('offboarder'))).resolves.toEqual({ batchItemFailures: [] });

    expect((await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'maria.lopez@example.com' }))).Enabled).toBe(false);
    expect(fx.log()[0]).toMatch(/^Offboard tenant maria-lopez \(left-company\)/);
    expect(fx.show('tenants/maria-lopez.yaml')).toMatch(/status: deleted/);
    // The folder keeps the data only: Argo CD prunes the gateway, its route and its edge policy.
    const retained = fx.show('deploy/tenants/maria-lopez/manifests.yaml') ?? '';
    expect(retained).toMatch(/kind: PersistentVolumeClaim/);
    expect(retained).not.toMatch(/kind: (Deployment|HTTPRoute|SecurityPolicy)/);
    expect((await fx.ports.progress.get('maria-lopez'))?.status).toBe('deleted');

    // A second offboard is refused: nothing is sent.
    sqs.reset();
    const again = captureIo();
    expect(
      await runLifecycleCommand('offboard', ['maria-lopez', '--config', EXAMPLE_PLATFORM_CONFIG], {
        baseDir: process.cwd(),
        stdout: again.stdout,
        stderr: again.stderr,
        portsFor: async () => fx.ports,
      }),
    ).toBe(EXIT_CODES.refused);
    expect(sqs.commandCalls(SendMessageCommand)).toEqual([]);
  });

  it('creates the workspace of a user an administrator created who has not chosen a password yet (FORCE_CHANGE_PASSWORD)', async () => {
    await createUser('temp.user@example.com', false);
    const r = await create('--email', 'temp.user@example.com');
    expect(r.code).toBe(EXIT_CODES.ok);
    expect(await tenantIdOf('temp.user@example.com')).toBe('temp-user');
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
  });

  it('invites: the user created with a temporary password, its workspace claimed and the provisioning job sent; a second invitation and bad input change nothing', async () => {
    const dry = await invite('--email', 'raj.patel@example.com', '--dry-run');
    expect(dry.code).toBe(EXIT_CODES.ok);
    await expect(idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'raj.patel@example.com' }))).rejects.toThrow();

    const r = await invite('--email', 'raj.patel@example.com', '--name', 'Raj Patel');
    expect(r.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(r.out)).toMatchObject({ email: 'raj.patel@example.com', tenantId: 'raj-patel', provisioningJobSent: true });
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'raj.patel@example.com' }));
    expect(user.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    const attr = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
    expect([attr('email'), attr('email_verified'), attr('name'), attr(TENANT_ID_ATTRIBUTE)]).toEqual([
      'raj.patel@example.com',
      'true',
      'Raj Patel',
      'raj-patel',
    ]);
    const [sent] = sqs.commandCalls(SendMessageCommand).map((c) => JSON.parse(c.args[0].input.MessageBody ?? '{}'));
    expect(sent).toMatchObject({ type: 'provision', tenantId: 'raj-patel', owner: attr('sub') });
    expect((await fx.ports.progress.get('raj-patel'))?.status).toBe('claimed');

    sqs.resetHistory();
    const again = await invite('--email', 'raj.patel@example.com');
    expect(again.code).toBe(EXIT_CODES.refused);
    expect(again.err).toMatch(/already has an account; give it a workspace with: platform-admin create --email raj\.patel@example\.com/);
    const bad = await invite('--email', 'not-an-address');
    expect(bad.code).toBe(EXIT_CODES.usage);
    expect(sqs.commandCalls(SendMessageCommand)).toEqual([]);
  });

  it('finds the user by sub too; the offboarded (disabled) owner is refused', async () => {
    await createUser('sam.sub@example.com', true);
    const subOf = async (email: string) =>
      (await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).UserAttributes?.find((a) => a.Name === 'sub')
        ?.Value ?? '';
    const sam = await subOf('sam.sub@example.com');
    const r = await create('--user', sam, '--dry-run');
    expect(r.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(r.out)).toMatchObject({ dryRun: true, tenantId: 'sam-sub', newlyClaimed: true, owner: sam });
    const maria = await create('--user', await subOf('maria.lopez@example.com'));
    expect(maria.code).toBe(EXIT_CODES.refused);
    expect(maria.err).toMatch(/is disabled/);
  });
});
