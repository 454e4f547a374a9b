/**
 * The lifecycle ports of a deployed platform: the lambdas' own adapters
 * (claims, progress, queues, Git, CloudWatch usage), built the way their
 * wiring builds them, with the operator's AWS credentials.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EKSClient } from '@aws-sdk/client-eks';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  BedrockInferenceProfiles,
  CloudWatchUsageSource,
  CognitoUserDirectory,
  CognitoUserInvitations,
  DynamoDbTenantClaims,
  DynamoDbTenantProgress,
  gitOpsRepositoryFromConfig,
  SqsJobQueue,
  documentClient,
  tenantManifestsRenderer,
  type GitOpsRepository,
} from '@openclaw-tenancy/lambdas';
import type { PlatformConfig } from '@openclaw-tenancy/shared';
import { AwsTenantResources } from './aws-tenant-resources';
import { ContainerInsightsComputeUsage } from '../usage/compute-usage';
import { CognitoUserLookup } from './cognito-user-lookup';
import { DynamoDbClaimedTenantIds } from './dynamodb-claim-scan';
import type { LifecyclePorts } from './lifecycle-ports';
import { PlatformDeployment, discoverDeployment } from './platform-deployment';

export interface LifecyclePortOptions {
  /**
   * The GitOps repository.
   * @default - the provisioner's: `gitops.repoUrl` and branch, its credential from Secrets Manager `gitops.credentialsSecretName`
   */
  readonly repository?: GitOpsRepository;
  /**
   * The DynamoDB client of the tenant tables.
   * @default - a client in `aws.region`
   */
  readonly dynamoDb?: DynamoDBClient;
  /**
   * The Cognito client of the user pool.
   * @default - a client in `aws.region`
   */
  readonly cognito?: CognitoIdentityProviderClient;
}

/** The GitOps repository the config names, with the platform's Git credential from Secrets Manager (as the functions use it). */
export function platformGitOpsRepository(config: PlatformConfig, secretsManager: SecretsManagerClient): GitOpsRepository {
  return gitOpsRepositoryFromConfig(
    {
      repoUrl: config.gitops.repoUrl,
      branch: config.gitops.branch,
      credentialsSecret: config.gitops.credentialsSecretName,
      authorName: config.gitops.commitAuthorName,
      authorEmail: config.gitops.commitAuthorEmail,
    },
    secretsManager,
  );
}

const NO_USER_POOL = 'identity.userPoolId is not set in the platform config (the identity stack output UserPoolId)';

export function lifecyclePortsFor(
  config: PlatformConfig,
  deployment: PlatformDeployment,
  options: LifecyclePortOptions = {},
): LifecyclePorts {
  const region = config.aws.region;
  const dynamo = options.dynamoDb ?? new DynamoDBClient({ region });
  const db = documentClient(dynamo);
  const secretsManager = new SecretsManagerClient({ region });
  const sqs = new SQSClient({ region });
  const cognito = options.cognito ?? new CognitoIdentityProviderClient({ region });
  const bedrockProfiles = new BedrockInferenceProfiles();
  const userPoolId = config.identity?.userPoolId;
  return {
    config,
    claims: new DynamoDbTenantClaims(db, { tenantTable: deployment.tenantTable, signupGuardTable: deployment.signupGuardTable }),
    progress: new DynamoDbTenantProgress(db, deployment.tenantTable),
    claimedTenantIds: new DynamoDbClaimedTenantIds(db, deployment.tenantTable),
    users: new CognitoUserDirectory(cognito),
    invitations: userPoolId ? new CognitoUserInvitations(cognito, userPoolId) : { invite: () => Promise.reject(new Error(NO_USER_POOL)) },
    userLookup: userPoolId
      ? new CognitoUserLookup(cognito, userPoolId)
      : { byEmail: () => Promise.reject(new Error(NO_USER_POOL)), bySub: () => Promise.reject(new Error(NO_USER_POOL)) },
    provisioningQueue: new SqsJobQueue(sqs, deployment.provisioningQueueUrl),
    offboardingQueue: new SqsJobQueue(sqs, deployment.offboardingQueueUrl),
    repository: options.repository ?? platformGitOpsRepository(config, secretsManager),
    renderer: tenantManifestsRenderer,
    usage: new CloudWatchUsageSource(
      bedrockProfiles,
      config.models.catalog.map((m) => m.alias),
      (r) => new CloudWatchClient({ region: r }),
    ),
    // Container Insights metrics are in the cluster's region.
    compute: new ContainerInsightsComputeUsage(new CloudWatchClient({ region })),
    resources: new AwsTenantResources({ secretsManager, eks: new EKSClient({ region }) }, bedrockProfiles, {
      clusterName: config.cluster.name,
      bedrockRegion: config.models.bedrockRegion,
      modelAliases: config.models.catalog.map((m) => m.alias),
    }),
    now: () => new Date(),
  };
}

/** Discovers the deployment the config names, then builds its ports. */
export async function deployedLifecyclePorts(config: PlatformConfig, options: LifecyclePortOptions = {}): Promise<LifecyclePorts> {
  const region = config.aws.region;
  const deployment = await discoverDeployment(config, { lambda: new LambdaClient({ region }), sqs: new SQSClient({ region }) });
  return lifecyclePortsFor(config, deployment, options);
}
