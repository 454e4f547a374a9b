import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EKSClient } from '@aws-sdk/client-eks';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { containerOutputLogGroupName } from '@openclaw-tenancy/shared';
import { idempotencyPersistenceLayer } from '../adapters/dynamodb/table-schemas';
import { BedrockInferenceProfiles } from '../adapters/bedrock-inference-profiles';
import { CloudWatchTenantOutputLogs } from '../adapters/cloudwatch-tenant-output-logs';
import { CognitoUserAccess } from '../adapters/cognito-user-directory';
import { DynamoDbTenantProgress } from '../adapters/dynamodb/tenant-progress-table';
import { EksPodIdentityAssociations } from '../adapters/eks-pod-identity';
import { SecretsManagerTenantSecrets } from '../adapters/secrets-manager-tenant-secrets';
import { SnsAdminNotifier } from '../adapters/sns-admin-notifier';
import { tenantManifestsRenderer } from '../adapters/tenant-manifests-renderer';
import { readOffboarderConfig } from '../config/function-config';
import type { OffboarderHandlerDeps } from '../handlers/offboarder';
import { deployedPlatformConfig } from '../config/deployed-platform-config';
import { createFunctionLogger } from '../runtime/logger';
import { documentClient } from './aws-clients';
import { gitOpsRepositoryFromConfig } from './gitops-wiring';

export function offboarderDepsFromEnv(env: NodeJS.ProcessEnv = process.env): OffboarderHandlerDeps {
  const config = readOffboarderConfig(env);
  const dynamo = new DynamoDBClient({});
  const secretsManager = new SecretsManagerClient({});
  return {
    settings: { clusterName: config.clusterName, platformConfig: deployedPlatformConfig() },
    progress: new DynamoDbTenantProgress(documentClient(dynamo), config.tenantTable),
    // The pool and user come from the claim item (recorded by PostConfirmation), so no pool id in the environment.
    userAccess: new CognitoUserAccess(new CognitoIdentityProviderClient({})),
    secrets: new SecretsManagerTenantSecrets(secretsManager),
    tenantOutput: new CloudWatchTenantOutputLogs(new CloudWatchLogsClient({}), containerOutputLogGroupName(config.clusterName)),
    podIdentity: new EksPodIdentityAssociations(new EKSClient({})),
    inferenceProfiles: new BedrockInferenceProfiles(),
    repository: gitOpsRepositoryFromConfig(config.gitops, secretsManager),
    renderer: tenantManifestsRenderer,
    notifier: new SnsAdminNotifier(new SNSClient({}), config.alertsTopicArn),
    idempotencyStore: idempotencyPersistenceLayer(config.idempotencyTable, dynamo),
    logger: createFunctionLogger('offboarder'),
    now: () => new Date(),
  };
}
