/**
 * Sign-up → confirm → claim → enqueue through cognito-local, whose triggers
 * call the real pre-signup and post-confirmation handlers over the local
 * Lambda Invoke API; DynamoDB is dynalite, SQS is mocked at the SDK boundary.
 */
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
import { CognitoLocal } from '../src/testing/cognito-local-process';
import { TestTables, startTestTables } from './support/test-tables';
import { SignUpTriggers, startSignUpTriggers } from './support/sign-up-triggers';

jest.setTimeout(60000);
const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/111111111111/provisioning';
const sqs = mockClient(SQSClient);

describe('sign-up end to end with cognito-local', () => {
  let tables: TestTables;
  let triggers: SignUpTriggers;
  let cognito: CognitoLocal;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  beforeAll(async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
    tables = await startTestTables();
    triggers = await startSignUpTriggers(tables, QUEUE);
    ({ cognito, idp } = triggers);
    const pool = await idp.send(
      new CreateUserPoolCommand({
        PoolName: 'e2e',
        UsernameAttributes: ['email'],
        Schema: [{ Name: 'tenant_id', AttributeDataType: 'String', Mutable: true }],
      }),
    );
    poolId = pool.UserPool?.Id ?? '';
    clientId = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }))).UserPoolClient?.ClientId ?? '';
  });

  afterAll(async () => {
    idp?.destroy();
    await triggers?.stop();
    await tables?.close();
  });

  const tenantIdOf = async (email: string) =>
    (await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).UserAttributes?.find(
      (a) => a.Name === TENANT_ID_ATTRIBUTE,
    )?.Value;

  it('signs up, confirms, claims the tenant id on the user and enqueues provisioning', async () => {
    const { UserSub } = await idp.send(
      new SignUpCommand({ ClientId: clientId, Username: 'jane.doe@example.com', Password: 'Correct-horse-9' }),
    );
    const code = cognito.confirmationCode(poolId, 'jane.doe@example.com');
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'jane.doe@example.com', ConfirmationCode: code }));

    expect(await tenantIdOf('jane.doe@example.com')).toBe('jane-doe');
    const sent = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.QueueUrl).toBe(QUEUE);
    expect(JSON.parse(sent[0]?.MessageBody ?? '{}')).toMatchObject({ type: 'provision', tenantId: 'jane-doe', owner: UserSub });
  });

  it('refuses a sign-up from a domain that is not allowed, with the message Cognito shows', async () => {
    await expect(
      idp.send(new SignUpCommand({ ClientId: clientId, Username: 'mallory@example.com.evil.com', Password: 'Correct-horse-9' })),
    ).rejects.toThrow(/Sign-up is limited to company e-mail addresses\./);
  });

  it('leaves the tenant untouched when the user resets the password', async () => {
    const before = sqs.commandCalls(SendMessageCommand).length;
    await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'jane.doe@example.com' }));
    const code = cognito.confirmationCode(poolId, 'jane.doe@example.com');
    await idp.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: 'jane.doe@example.com',
        ConfirmationCode: code,
        Password: 'Another-horse-10',
      }),
    );
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(before);
    expect(await tenantIdOf('jane.doe@example.com')).toBe('jane-doe');
  });
});
