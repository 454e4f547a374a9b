/**
 * The gap between an operator's `tenants add` (Git only) and a self-service
 * sign-up (the claim table only): an operator adds `alice` with the real
 * `tenants` CLI in the real GitOps repository; alice@example.com then signs up
 * and confirms through cognito-local, whose PostConfirmation trigger (the real
 * handler) claims `alice` — it cannot know about Git in its 5 seconds. The
 * provisioner finds `tenants/alice.yaml` owned by the operator's owner, marks
 * `alice` taken, moves the claim to `alice-2`, updates the user's
 * `custom:tenant_id` in cognito-local and provisions `alice-2` in one commit,
 * leaving the operator's `alice` untouched.
 */
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreatePodIdentityAssociationCommand, EKSClient, ListPodIdentityAssociationsCommand } from '@aws-sdk/client-eks';
import { CreateSecretCommand, DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { TENANT_ID_ATTRIBUTE } from '@openclaw-tenancy/shared';
import { parseTenantRecordText } from '@openclaw-tenancy/tenant-manifests';
import { CognitoUserDirectory } from '../src/adapters/cognito-user-directory';
import { DynamoDbTenantClaims } from '../src/adapters/dynamodb/tenant-claims-table';
import { DynamoDbTenantProgress } from '../src/adapters/dynamodb/tenant-progress-table';
import { CAPACITY_ITEM_KEY, ownerItemKey, tenantItemKey } from '../src/adapters/dynamodb/table-keys';
import { EksPodIdentityAssociations } from '../src/adapters/eks-pod-identity';
import { IsomorphicGitRepository } from '../src/adapters/git/isomorphic-git-repository';
import { SecretsManagerTenantSecrets } from '../src/adapters/secrets-manager-tenant-secrets';
import { SnsAdminNotifier } from '../src/adapters/sns-admin-notifier';
import { SqsJobQueue } from '../src/adapters/sqs-job-queue';
import { tenantManifestsRenderer } from '../src/adapters/tenant-manifests-renderer';
import { createProvisionerHandler } from '../src/handlers/provisioner';
import { CognitoLocal } from '../src/testing/cognito-local-process';
import { InMemoryInferenceProfiles } from '../src/adapters/in-memory-inference-profiles';
import { localLambdaContext } from '../src/testing/lambda-invoke-server';
import { GIT_CREDENTIALS, GitOpsRemote, PLATFORM_CONFIG, startGitOpsRemote } from './support/gitops-remote';
import { TestTables, startTestTables } from './support/test-tables';
import { quietLogger } from './support/recording-ports';
import { SignUpTriggers, startSignUpTriggers } from './support/sign-up-triggers';

jest.setTimeout(60000);
const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/111111111111/provisioning';
const OPERATORS_OWNER = '0000000f-ffff-4bbb-8ccc-00000000000f';
const sqs = mockClient(SQSClient);
const sm = mockClient(SecretsManagerClient);
const eks = mockClient(EKSClient);
const sns = mockClient(SNSClient);

describe('an id an operator added in Git, claimed by a sign-up (cognito-local, real Git, dynalite)', () => {
  let tables: TestTables;
  let remote: GitOpsRemote;
  let triggers: SignUpTriggers;
  let cognito: CognitoLocal;
  let idp: CognitoIdentityProviderClient;

  beforeAll(async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
    sm.on(DescribeSecretCommand).rejects(Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' }));
    sm.on(CreateSecretCommand).resolves({});
    eks.on(ListPodIdentityAssociationsCommand).resolves({ associations: [] });
    eks.on(CreatePodIdentityAssociationCommand).resolves({});
    sns.on(PublishCommand).resolves({});
    tables = await startTestTables();
    remote = await startGitOpsRemote();
    triggers = await startSignUpTriggers(tables, QUEUE);
    ({ cognito, idp } = triggers);
  });

  afterAll(async () => {
    idp?.destroy();
    await triggers?.stop();
    await tables?.close();
    await remote?.close();
  });

  it("ends with tenant alice-2 for the user (claim, Cognito attribute, one commit) and the operator's alice untouched", async () => {
    // The operator's tenant, written by the real CLI (TenantRegistry) and pushed like an operator would.
    expect(remote.runTenantsCli(['add', 'alice', '--owner', OPERATORS_OWNER], 'Operator adds alice')).toContain('added alice (active)');
    const operatorsAlice = remote.show('tenants/alice.yaml');
    const operatorsFolder = remote.files('deploy/tenants/alice');
    const commitsBefore = remote.countCommits();

    // The user signs up and confirms; PostConfirmation claims "alice" (it only sees the table).
    const pool = await idp.send(
      new CreateUserPoolCommand({
        PoolName: 'e2e',
        UsernameAttributes: ['email'],
        Schema: [{ Name: 'tenant_id', AttributeDataType: 'String', Mutable: true }],
      }),
    );
    const poolId = pool.UserPool?.Id ?? '';
    const clientId =
      (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }))).UserPoolClient?.ClientId ?? '';
    const { UserSub } = await idp.send(
      new SignUpCommand({ ClientId: clientId, Username: 'alice@example.com', Password: 'Correct-horse-9' }),
    );
    await idp.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: 'alice@example.com',
        ConfirmationCode: cognito.confirmationCode(poolId, 'alice@example.com'),
      }),
    );
    const tenantIdOf = async () =>
      (await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice@example.com' }))).UserAttributes?.find(
        (a) => a.Name === TENANT_ID_ATTRIBUTE,
      )?.Value;
    expect(await tenantIdOf()).toBe('alice');
    const body = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody ?? '';
    expect(JSON.parse(body)).toMatchObject({ type: 'provision', tenantId: 'alice', owner: UserSub });

    // The provisioner takes the job from the queue.
    const inferenceProfiles = new InMemoryInferenceProfiles('111111111111');
    const provisioner = createProvisionerHandler({
      settings: {
        clusterName: 'openclaw',
        tenantRoleArn: 'arn:aws:iam::111111111111:role/openclaw-tenant',
        platformConfig: PLATFORM_CONFIG,
        workspaceBaseUrl: 'https://ai.example.com',
      },
      progress: new DynamoDbTenantProgress(tables.db, tables.tenantTable),
      secrets: new SecretsManagerTenantSecrets(new SecretsManagerClient({})),
      podIdentity: new EksPodIdentityAssociations(new EKSClient({})),
      inferenceProfiles,
      claims: new DynamoDbTenantClaims(tables.db, { tenantTable: tables.tenantTable }),
      users: new CognitoUserDirectory(idp),
      repository: new IsomorphicGitRepository({
        url: remote.url,
        branch: 'main',
        author: { name: 'openclaw-provisioner', email: 'p@example.com' },
        credentials: async () => GIT_CREDENTIALS,
        backoffBaseMs: 5,
      }),
      renderer: tenantManifestsRenderer,
      notifier: new SnsAdminNotifier(new SNSClient({}), 'arn:aws:sns:eu-west-1:111111111111:alerts'),
      queue: new SqsJobQueue(new SQSClient({}), QUEUE),
      idempotencyStore: tables.idempotencyStore(),
      logger: quietLogger(),
      now: () => new Date(),
    });
    const sqsEvent = { Records: [{ messageId: 'm-1', body, attributes: { ApproximateReceiveCount: '1' } }] };
    await expect(provisioner(sqsEvent, localLambdaContext('provisioner'))).resolves.toEqual({ batchItemFailures: [] });

    // Cognito: the user's tenant is alice-2.
    expect(await tenantIdOf()).toBe('alice-2');
    // Git: one commit, for alice-2, with its profiles; the operator's alice byte for byte as it was.
    expect(remote.countCommits()).toBe(commitsBefore + 1);
    expect(remote.log().slice(0, 2)).toEqual(['Provision tenant alice-2', 'Operator adds alice']);
    expect(remote.changedFiles()).toEqual(['A\tdeploy/tenants/alice-2/manifests.yaml', 'A\ttenants/alice-2.yaml']);
    expect(remote.show('tenants/alice.yaml')).toBe(operatorsAlice);
    expect(remote.files('deploy/tenants/alice')).toEqual(operatorsFolder);
    const profiles = Object.fromEntries(
      ['opus', 'sonnet', 'deepseek'].map((alias) => [alias, inferenceProfiles.arnFor('us-east-1', `openclaw-alice-2-${alias}`)]),
    );
    expect(parseTenantRecordText(remote.show('tenants/alice-2.yaml') ?? '', 'tenants/alice-2.yaml')).toMatchObject({
      id: 'alice-2',
      owner: UserSub,
      status: 'active',
      inferenceProfiles: profiles,
    });
    expect(remote.show('deploy/tenants/alice-2/manifests.yaml')).toContain(`amazon-bedrock/${profiles.opus}`);
    // The table: alice never offered again; the owner holds alice-2, which is provisioned; one unit of capacity.
    const item = async (key: { pk: string }) => (await tables.db.send(new GetCommand({ TableName: tables.tenantTable, Key: key }))).Item;
    expect(await item(tenantItemKey('alice'))).toMatchObject({ status: 'superseded', supersededBy: 'alice-2' });
    expect(await item(tenantItemKey('alice-2'))).toMatchObject({ status: 'provisioned', owner: UserSub });
    expect(await item(ownerItemKey(UserSub ?? ''))).toMatchObject({ tenantId: 'alice-2' });
    expect(await item(CAPACITY_ITEM_KEY)).toMatchObject({ count: 1 });
    // AWS resources were made for alice-2 only.
    expect(sm.commandCalls(CreateSecretCommand).map((c) => c.args[0].input.Name)).toEqual(['openclaw/tenants/alice-2/gateway']);
    expect(inferenceProfiles.calls.map((c) => c.op)).toEqual(['create', 'create', 'create']);
    expect([...inferenceProfiles.profiles.values()].every((p) => p.tags['tenant-namespace'] === 'openclaw-alice-2')).toBe(true);

    // A redelivery of the same message changes nothing.
    await expect(provisioner(sqsEvent, localLambdaContext('provisioner'))).resolves.toEqual({ batchItemFailures: [] });
    expect(remote.countCommits()).toBe(commitsBefore + 1);
    expect(await tenantIdOf()).toBe('alice-2');
  });
});
