/**
 * cognito-local with the real PreSignUp and PostConfirmation handlers behind
 * a Lambda-invoke endpoint, on the test's DynamoDB tables; PostConfirmation
 * sends its jobs to `queueUrl` through an SQS client the test mocks.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CognitoUserDirectory } from '../../src/adapters/cognito-user-directory';
import { DynamoDbSignupGuardStore } from '../../src/adapters/dynamodb/signup-guard-table';
import { DynamoDbTenantClaims } from '../../src/adapters/dynamodb/tenant-claims-table';
import { SqsJobQueue } from '../../src/adapters/sqs-job-queue';
import { createPostConfirmationHandler } from '../../src/handlers/post-confirmation';
import { createPreSignUpHandler } from '../../src/handlers/pre-signup';
import { CognitoLocal, startCognitoLocal } from '../../src/testing/cognito-local-process';
import { InvocableHandler, LambdaInvokeServer, startLambdaInvokeServer } from '../../src/testing/lambda-invoke-server';
import type { TestTables } from './test-tables';
import { quietLogger } from './recording-ports';

export interface SignUpTriggers {
  readonly cognito: CognitoLocal;
  readonly idp: CognitoIdentityProviderClient;
  stop(): Promise<void>;
}

export async function startSignUpTriggers(tables: TestTables, queueUrl: string): Promise<SignUpTriggers> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cognito-local-'));
  // cognito-local needs the invoke endpoint to start, and the handlers need
  // cognito-local's endpoint: the functions are registered once both run.
  const functions: Record<string, InvocableHandler> = {};
  const lambdas: LambdaInvokeServer = await startLambdaInvokeServer({ functions });
  const cognito = await startCognitoLocal({
    workDir,
    lambdaEndpoint: lambdas.endpoint,
    triggers: { PreSignUp: 'pre-signup', PostConfirmation: 'post-confirmation' },
  });
  const idp = new CognitoIdentityProviderClient({
    endpoint: cognito.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const claims = new DynamoDbTenantClaims(tables.db, tables);
  Object.assign(functions, {
    'pre-signup': createPreSignUpHandler({
      policy: {
        allowedEmailDomains: ['example.com'],
        attemptsPerAddressPerHour: 5,
        attemptsPerHour: 1000,
        confirmationsPerDomainPerHour: 5,
        maxTenants: 100,
      },
      guard: new DynamoDbSignupGuardStore(tables.db, tables.signupGuardTable),
      claims,
      logger: quietLogger(),
      now: () => new Date(),
    }),
    'post-confirmation': createPostConfirmationHandler({
      policy: { maxTenants: 100, confirmationsPerDomainPerHour: 5, tier: 'standard', runtime: 'runc' },
      claims,
      users: new CognitoUserDirectory(idp),
      queue: new SqsJobQueue(new SQSClient({}), queueUrl),
      idempotencyStore: tables.idempotencyStore(),
      logger: quietLogger(),
      now: () => new Date(),
    }),
  });
  return {
    cognito,
    idp,
    async stop() {
      await cognito.stop();
      await lambdas.close();
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}
