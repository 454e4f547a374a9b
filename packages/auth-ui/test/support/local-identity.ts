/**
 * The identity side of the platform on this machine, as the browser tests
 * need it: cognito-local with the pool and app client the CDK identity stack
 * creates, its PreSignUp / PostConfirmation triggers wired to the REAL
 * handlers of packages/lambdas (dynalite tables, the Cognito user directory
 * adapter pointed at cognito-local) behind their local Lambda-invoke server,
 * and a recording provisioning queue standing in for SQS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CognitoUserDirectory,
  DynamoDbSignupGuardStore,
  DynamoDbTenantClaims,
  JobQueue,
  createFunctionLogger,
  createPostConfirmationHandler,
  createPreSignUpHandler,
  documentClient,
  idempotencyPersistenceLayer,
} from '@openclaw-tenancy/lambdas';
import { freeLoopbackPort, startCognitoLocal, startLambdaInvokeServer, startLocalDynamoDb } from '@openclaw-tenancy/lambdas/testing';
import type { TenantJob } from '@openclaw-tenancy/shared';
import { startResendShim } from './cognito-local-resend-shim';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface LocalIdentity {
  /** Where the UI sends Cognito calls (cognito-local behind the ResendConfirmationCode shim). */
  readonly endpoint: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly issuer: string;
  readonly jwksUri: string;
  /** Provisioning jobs PostConfirmation enqueued. */
  readonly jobs: TenantJob[];
  call<T = Record<string, unknown>>(action: string, body: Record<string, unknown>): Promise<T>;
  confirmationCode(email: string): string | undefined;
  /** Tenants counted as claimed in the tenant table (the capacity counter). */
  activeTenantCount(): Promise<number>;
  stop(): Promise<void>;
}

export async function startLocalIdentity(options: { allowedEmailDomains: readonly string[] }): Promise<LocalIdentity> {
  // Powertools loggers stay quiet; the SDK never looks for real credentials.
  process.env['POWERTOOLS_LOG_LEVEL'] ??= 'SILENT';
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'auth-ui-identity-'));
  const dynamo = await startLocalDynamoDb();
  const tables = await dynamo.createPlatformTables();
  const dynamoClient = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'local', credentials: LOCAL_CREDENTIALS });
  const db = documentClient(dynamoClient);
  const claims = new DynamoDbTenantClaims(db, tables);

  const jobs: TenantJob[] = [];
  const queue: JobQueue = { send: async (job) => void jobs.push(job) };
  const cognitoPort = await freeLoopbackPort();
  const cognitoClient = new CognitoIdentityProviderClient({
    region: 'local',
    credentials: LOCAL_CREDENTIALS,
    endpoint: `http://127.0.0.1:${cognitoPort}`,
  });
  const policy = {
    allowedEmailDomains: options.allowedEmailDomains,
    attemptsPerAddressPerHour: 50,
    attemptsPerHour: 1000,
    confirmationsPerDomainPerHour: 50,
    maxTenants: 100,
  };

  const preSignUp = createPreSignUpHandler({
    policy,
    guard: new DynamoDbSignupGuardStore(db, tables.signupGuardTable),
    claims,
    logger: createFunctionLogger('pre-signup'),
    now: () => new Date(),
  });
  const postConfirmation = createPostConfirmationHandler({
    policy: {
      maxTenants: policy.maxTenants,
      confirmationsPerDomainPerHour: policy.confirmationsPerDomainPerHour,
      tier: 'standard',
      runtime: 'runc',
    },
    claims,
    users: new CognitoUserDirectory(cognitoClient),
    queue,
    idempotencyStore: idempotencyPersistenceLayer(tables.idempotencyTable, dynamoClient),
    logger: createFunctionLogger('post-confirmation'),
    now: () => new Date(),
  });
  const lambdas = await startLambdaInvokeServer({ functions: { 'pre-signup': preSignUp, 'post-confirmation': postConfirmation } });
  const cognito = await startCognitoLocal({
    workDir,
    port: cognitoPort,
    lambdaEndpoint: lambdas.endpoint,
    triggers: { PreSignUp: 'pre-signup', PostConfirmation: 'post-confirmation' },
  });

  async function call<T>(action: string, body: Record<string, unknown>): Promise<T> {
    const res = await fetch(cognito.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${action}` },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as T & { __type?: string; message?: string };
    if (!res.ok) throw Object.assign(new Error(`${action}: ${json.__type} ${json.message}`), { type: json.__type });
    return json;
  }

  // The pool and client as the identity stack creates them: e-mail as username, the tenant attribute, no secret.
  const pool = await call<{ UserPool: { Id: string } }>('CreateUserPool', {
    PoolName: 'openclaw-local',
    UsernameAttributes: ['email'],
    AutoVerifiedAttributes: ['email'],
    Schema: [{ Name: 'tenant_id', AttributeDataType: 'String', Mutable: true }],
  });
  const userPoolId = pool.UserPool.Id;
  const client = await call<{ UserPoolClient: { ClientId: string } }>('CreateUserPoolClient', {
    UserPoolId: userPoolId,
    ClientName: 'auth-ui',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    EnableTokenRevocation: true,
  });
  const shim = await startResendShim(cognito.endpoint, () => userPoolId);
  const issuer = `${cognito.endpoint}/${userPoolId}`;

  return {
    endpoint: shim.endpoint,
    userPoolId,
    clientId: client.UserPoolClient.ClientId,
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    jobs,
    call,
    confirmationCode(email) {
      try {
        return cognito.confirmationCode(userPoolId, email);
      } catch {
        return undefined;
      }
    },
    activeTenantCount: () => claims.activeTenantCount(),
    async stop() {
      await shim.close();
      await cognito.stop();
      await lambdas.close();
      cognitoClient.destroy();
      dynamoClient.destroy();
      await dynamo.close();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
