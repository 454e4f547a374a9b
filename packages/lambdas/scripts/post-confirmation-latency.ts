// Measures the PostConfirmation handler (real adapters for DynamoDB and
// Cognito, an in-memory queue) against dynalite and cognito-local.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AdminCreateUserCommand, CognitoIdentityProviderClient, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { CognitoUserDirectory } from '../src/adapters/cognito-user-directory';
import { DynamoDbTenantClaims } from '../src/adapters/dynamodb/tenant-claims-table';
import { createPostConfirmationHandler } from '../src/handlers/post-confirmation';
import { startCognitoLocal } from '../src/testing/cognito-local-process';
import { localLambdaContext, startLambdaInvokeServer } from '../src/testing/lambda-invoke-server';
import { startLocalDynamoDb } from '../src/testing/local-dynamodb';
import { documentClient } from '../src/wiring/aws-clients';

const USERS = 100;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

async function main(): Promise<void> {
  const dynamo = await startLocalDynamoDb();
  for (const [name, key] of [['tenants', 'pk'], ['guard', 'pk'], ['idempotency', 'id']] as const) await dynamo.createTable(name, key);
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'local', credentials });
  const lambdas = await startLambdaInvokeServer({ functions: {} });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cognito-'));
  const cognito = await startCognitoLocal({ workDir, lambdaEndpoint: lambdas.endpoint, triggers: {} });
  const idp = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region: 'local', credentials });
  try {
    const poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: 'bench', UsernameAttributes: ['email'], Schema: [{ Name: 'tenant_id', AttributeDataType: 'String', Mutable: true }] }))).UserPool?.Id ?? '';
    const handler = createPostConfirmationHandler({
      policy: { maxTenants: 100000, confirmationsPerDomainPerHour: 100000, tier: 'standard', runtime: 'runc' },
      claims: new DynamoDbTenantClaims(documentClient(client), { tenantTable: 'tenants', signupGuardTable: 'guard' }),
      users: new CognitoUserDirectory(idp),
      queue: { send: async () => undefined },
      idempotencyStore: new DynamoDBPersistenceLayer({ tableName: 'idempotency', awsSdkV3Client: client }),
      logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }),
      now: () => new Date(),
    });
    const samples: number[] = [];
    for (let i = 0; i < USERS; i++) {
      const email = `user${i}@example.com`;
      const created = await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: email, MessageAction: 'SUPPRESS' }));
      const sub = created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value ?? '';
      const event = { version: '1', region: 'local', userPoolId: poolId, userName: created.User?.Username ?? email, triggerSource: 'PostConfirmation_ConfirmSignUp', callerContext: { awsSdkVersion: 'x', clientId: 'x' }, request: { userAttributes: { sub, email } }, response: {} };
      const start = process.hrtime.bigint();
      await handler(event, localLambdaContext('post-confirmation'));
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)] ?? NaN;
    console.log(`  ${USERS} confirmations (first one includes warm-up): p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, max ${at(1).toFixed(1)} ms${at(0.99) > 300 ? '  OVER' : ''}`);
  } finally {
    idp.destroy();
    client.destroy();
    await cognito.stop();
    await lambdas.close();
    await dynamo.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

void main();
