/**
 * Sign-up → confirm → claim → enqueue through cognito-local, whose triggers
 * call the real pre-signup and post-confirmation handlers over the local
 * Lambda Invoke API; DynamoDB is dynalite, SQS is mocked at the SDK boundary.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { TENANT_ID_ATTRIBUTE } from '@openclaw-tenancy/shared';
import { CognitoUserDirectory } from '../src/adapters/cognito-user-directory';
import { DynamoDbSignupGuardStore } from '../src/adapters/dynamodb/signup-guard-table';
import { DynamoDbTenantClaims } from '../src/adapters/dynamodb/tenant-claims-table';
import { SqsJobQueue } from '../src/adapters/sqs-job-queue';
import { createPostConfirmationHandler } from '../src/handlers/post-confirmation';
import { createPreSignUpHandler } from '../src/handlers/pre-signup';
import { CognitoLocal, startCognitoLocal } from '../src/testing/cognito-local-process';
import { InvocableHandler, LambdaInvokeServer, startLambdaInvokeServer } from '../src/testing/lambda-invoke-server';
import { PlatformTables, startPlatformTables } from './support/platform-tables';
import { quietLogger } from './support/recording-ports';

jest.setTimeout(60000);
const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/111111111111/provisioning';
const sqs = mockClient(SQSClient);

describe('sign-up end to end with cognito-local', () => {
  let tables: PlatformTables;
  let lambdas: LambdaInvokeServer;
  let cognito: CognitoLocal;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let workDir: string;

  beforeAll(async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
    tables = await startPlatformTables();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cognito-local-'));
    // cognito-local needs the invoke endpoint to start, and the handlers need
    // cognito-local's endpoint: the functions are registered once both run.
    const functions: Record<string, InvocableHandler> = {};
    lambdas = await startLambdaInvokeServer({ functions });
    cognito = await startCognitoLocal({ workDir, lambdaEndpoint: lambdas.endpoint, triggers: { PreSignUp: 'pre-signup', PostConfirmation: 'post-confirmation' } });
    idp = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const claims = new DynamoDbTenantClaims(tables.db, tables);
    Object.assign(functions, {
        'pre-signup': createPreSignUpHandler({
          policy: { allowedEmailDomains: ['example.com'], attemptsPerAddressPerHour: 5, confirmationsPerDomainPerHour: 5, maxTenants: 100 },
          guard: new DynamoDbSignupGuardStore(tables.db, tables.signupGuardTable),
          claims,
          logger: quietLogger(),
          now: () => new Date(),
        }),
        'post-confirmation': createPostConfirmationHandler({
          policy: { maxTenants: 100, confirmationsPerDomainPerHour: 5, tier: 'standard', runtime: 'runc' },
          claims,
          users: new CognitoUserDirectory(idp),
          queue: new SqsJobQueue(new SQSClient({}), QUEUE),
          idempotencyStore: tables.idempotencyStore(),
          logger: quietLogger(),
          now: () => new Date(),
        }),
    });
    const pool = await idp.send(
      new CreateUserPoolCommand({ PoolName: 'e2e', UsernameAttributes: ['email'], Schema: [{ Name: 'tenant_id', AttributeDataType: 'String', Mutable: true }] }),
    );
    poolId = pool.UserPool?.Id ?? '';
    clientId = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }))).UserPoolClient?.ClientId ?? '';
  });

  afterAll(async () => {
    idp?.destroy();
    await cognito?.stop();
    await lambdas?.close();
    await tables?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  const tenantIdOf = async (email: string) =>
    (await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).UserAttributes?.find((a) => a.Name === TENANT_ID_ATTRIBUTE)?.Value;

  it('signs up, confirms, claims the tenant id on the user and enqueues provisioning', async () => {
    const { UserSub } = await idp.send(new SignUpCommand({ ClientId: clientId, Username: 'jane.doe@example.com', Password: 'Correct-horse-9' }));
    const code = cognito.confirmationCode(poolId, 'jane.doe@example.com');
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'jane.doe@example.com', ConfirmationCode: code }));

    expect(await tenantIdOf('jane.doe@example.com')).toBe('jane-doe');
    const sent = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.QueueUrl).toBe(QUEUE);
    expect(JSON.parse(sent[0]?.MessageBody ?? '{}')).toMatchObject({ type: 'provision', tenantId: 'jane-doe', owner: UserSub });
  });

  it('refuses a sign-up from a domain that is not allowed, with the message Cognito shows', async () => {
    await expect(idp.send(new SignUpCommand({ ClientId: clientId, Username: 'mallory@example.com.evil.com', Password: 'Correct-horse-9' }))).rejects.toThrow(
      /Sign-up is limited to company e-mail addresses\./,
    );
  });

  it('leaves the tenant untouched when the user resets the password', async () => {
    const before = sqs.commandCalls(SendMessageCommand).length;
    await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'jane.doe@example.com' }));
    const code = cognito.confirmationCode(poolId, 'jane.doe@example.com');
    await idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'jane.doe@example.com', ConfirmationCode: code, Password: 'Another-horse-10' }));
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(before);
    expect(await tenantIdOf('jane.doe@example.com')).toBe('jane-doe');
  });
});
