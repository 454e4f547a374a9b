// Measures the PostConfirmation handler (real adapters for DynamoDB and
// Cognito, an in-memory queue) against dynalite and cognito-local, each in its
// own process like the services they stand for. The first invocation (SDK
// clients resolving their configuration, first connections) is reported on
// its own; p50/p99 are over the invocations after it.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AdminCreateUserCommand, CognitoIdentityProviderClient, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { CognitoUserDirectory } from '../src/adapters/cognito-user-directory';
import { idempotencyPersistenceLayer } from '../src/adapters/dynamodb/table-schemas';
import { DynamoDbTenantClaims } from '../src/adapters/dynamodb/tenant-claims-table';
import { createPostConfirmationHandler } from '../src/handlers/post-confirmation';
import { documentClient } from '../src/wiring/aws-clients';
import { startCognitoLocal } from '../src/testing/cognito-local-process';
import { localLambdaContext, startLambdaInvokeServer } from '../src/testing/lambda-invoke-server';

const USERS = Number(process.env.BENCH_CONFIRMATIONS ?? 100);
const P99_GOAL_MS = Number(process.env.BENCH_P99_GOAL_MS ?? 300);
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

async function startDynamoDbProcess(): Promise<{ endpoint: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      require.resolve('tsx/cli'),
      path.join(__dirname, 'local-dynamodb-server.ts'),
      'tenants:tenantTable',
      'guard:signupGuardTable',
      'idempotency:idempotencyTable',
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { endpoint: string }).endpoint);
    });
    child.once('exit', (code) => reject(new Error(`local DynamoDB exited with ${code}`)));
  });
  return { endpoint, child };
}

async function main(): Promise<void> {
  const dynamo = await startDynamoDbProcess();
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'local', credentials });
  const lambdas = await startLambdaInvokeServer({ functions: {} });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cognito-'));
  const cognito = await startCognitoLocal({ workDir, lambdaEndpoint: lambdas.endpoint, triggers: {} });
  const idp = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region: 'local', credentials });
  try {
    const poolId =
      (
        await idp.send(
          new CreateUserPoolCommand({
            PoolName: 'bench',
            UsernameAttributes: ['email'],
            Schema: [{ Name: 'tenant_id', AttributeDataType: 'String', Mutable: true }],
          }),
        )
      ).UserPool?.Id ?? '';
    const handler = createPostConfirmationHandler({
      policy: { maxTenants: 100000, confirmationsPerDomainPerHour: 100000, tier: 'standard', runtime: 'runc' },
      claims: new DynamoDbTenantClaims(documentClient(client), { tenantTable: 'tenants', signupGuardTable: 'guard' }),
      users: new CognitoUserDirectory(idp),
      queue: { send: async () => undefined },
      idempotencyStore: idempotencyPersistenceLayer('idempotency', client),
      logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }),
      now: () => new Date(),
    });
    const samples: number[] = [];
    for (let i = 0; i <= USERS; i++) {
      const email = `user${i}@example.com`;
      const created = await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: email, MessageAction: 'SUPPRESS' }));
      const sub = created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value ?? '';
      const event = {
        version: '1',
        region: 'local',
        userPoolId: poolId,
        userName: created.User?.Username ?? email,
        triggerSource: 'PostConfirmation_ConfirmSignUp',
        callerContext: { awsSdkVersion: 'x', clientId: 'x' },
        request: { userAttributes: { sub, email } },
        response: {},
      };
      const start = process.hrtime.bigint();
      await handler(event, localLambdaContext('post-confirmation'));
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const first = samples.shift() ?? NaN;
    samples.sort((a, b) => a - b);
    const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)] ?? NaN;
    const p99 = at(0.99);
    console.log('');
    console.log(
      `| PostConfirmation | first invocation ms | p50 ms | p99 ms (goal ≤ ${P99_GOAL_MS}) | ratio | max ms | load average (1/5/15 min) |`,
    );
    console.log('|---|---:|---:|---:|---:|---:|---|');
    console.log(
      `| ${USERS} confirmations after the first | ${first.toFixed(0)} | ${at(0.5).toFixed(0)} | ${p99.toFixed(0)} | ${(p99 / P99_GOAL_MS).toFixed(2)}×${p99 > P99_GOAL_MS ? ' ⚠' : ''} | ${at(1).toFixed(0)} | ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} |`,
    );
  } finally {
    idp.destroy();
    client.destroy();
    await cognito.stop();
    await lambdas.close();
    dynamo.child.stdin?.end();
    await new Promise((resolve) => dynamo.child.once('exit', resolve));
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

void main();
