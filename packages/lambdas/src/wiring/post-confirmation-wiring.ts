import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { idempotencyPersistenceLayer } from '../adapters/dynamodb/table-schemas';
import { CognitoUserDirectory } from '../adapters/cognito-user-directory';
import { DynamoDbTenantClaims } from '../adapters/dynamodb/tenant-claims-table';
import { SqsJobQueue } from '../adapters/sqs-job-queue';
import { readPostConfirmationConfig } from '../config/function-config';
import type { PostConfirmationHandlerDeps } from '../handlers/post-confirmation';
import { createFunctionLogger } from '../runtime/logger';
import { documentClient } from './aws-clients';

export function postConfirmationDepsFromEnv(env: NodeJS.ProcessEnv = process.env): PostConfirmationHandlerDeps {
  const config = readPostConfirmationConfig(env);
  const dynamo = new DynamoDBClient({});
  return {
    policy: {
      maxTenants: config.maxTenants,
      confirmationsPerDomainPerHour: config.confirmationsPerDomainPerHour,
      tier: config.defaultTenantTier,
      runtime: config.defaultRuntimeTier,
    },
    claims: new DynamoDbTenantClaims(documentClient(dynamo), config),
    users: new CognitoUserDirectory(new CognitoIdentityProviderClient({})),
    queue: new SqsJobQueue(new SQSClient({}), config.provisioningQueueUrl),
    idempotencyStore: idempotencyPersistenceLayer(config.idempotencyTable, dynamo),
    logger: createFunctionLogger('post-confirmation'),
    now: () => new Date(),
  };
}
