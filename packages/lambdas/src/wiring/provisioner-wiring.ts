import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EKSClient } from '@aws-sdk/client-eks';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { idempotencyPersistenceLayer } from '../adapters/dynamodb/table-schemas';
import { BedrockInferenceProfiles } from '../adapters/bedrock-inference-profiles';
import { CognitoUserDirectory } from '../adapters/cognito-user-directory';
import { DynamoDbTenantClaims } from '../adapters/dynamodb/tenant-claims-table';
import { DynamoDbTenantProgress } from '../adapters/dynamodb/tenant-progress-table';
import { EksPodIdentityAssociations } from '../adapters/eks-pod-identity';
import { SecretsManagerTenantSecrets } from '../adapters/secrets-manager-tenant-secrets';
import { SnsAdminNotifier } from '../adapters/sns-admin-notifier';
import { SqsJobQueue } from '../adapters/sqs-job-queue';
import { tenantManifestsRenderer } from '../adapters/tenant-manifests-renderer';
import { readProvisionerConfig } from '../config/function-config';
import type { ProvisionerHandlerDeps } from '../handlers/provisioner';
import { deployedPlatformConfig } from '../config/deployed-platform-config';
import { createFunctionLogger } from '../runtime/logger';
import { documentClient } from './aws-clients';
import { gitOpsRepositoryFromConfig } from './gitops-wiring';

export function provisionerDepsFromEnv(env: NodeJS.ProcessEnv = process.env): ProvisionerHandlerDeps {
  const config = readProvisionerConfig(env);
  const dynamo = new DynamoDBClient({});
  const secretsManager = new SecretsManagerClient({});
  const db = documentClient(dynamo);
  return {
    settings: {
      clusterName: config.clusterName,
      tenantRoleArn: config.tenantRoleArn,
      platformConfig: deployedPlatformConfig(),
      workspaceBaseUrl: config.workspaceBaseUrl,
    },
    progress: new DynamoDbTenantProgress(db, config.tenantTable),
    // Replacement claims only: they take no domain slot, so no sign-up guard table.
    claims: new DynamoDbTenantClaims(db, { tenantTable: config.tenantTable }),
    users: new CognitoUserDirectory(new CognitoIdentityProviderClient({})),
    // In `models.bedrockRegion` of the platform config, one client per region, its SDK loaded on first use.
    inferenceProfiles: new BedrockInferenceProfiles(),
    secrets: new SecretsManagerTenantSecrets(secretsManager, { encryptionKeyArn: config.tenantSecretsKeyArn }),
    podIdentity: new EksPodIdentityAssociations(new EKSClient({})),
    repository: gitOpsRepositoryFromConfig(config.gitops, secretsManager),
    renderer: tenantManifestsRenderer,
    notifier: new SnsAdminNotifier(new SNSClient({}), config.alertsTopicArn),
    queue: new SqsJobQueue(new SQSClient({}), config.provisioningQueueUrl),
    idempotencyStore: idempotencyPersistenceLayer(config.idempotencyTable, dynamo),
    logger: createFunctionLogger('provisioner'),
    now: () => new Date(),
  };
}
