/**
 * The real Lambda handlers of packages/lambdas, built with the adapters the
 * functions use in AWS where a local service speaks the same API (DynamoDB →
 * dynalite, Secrets Manager → the local secrets store, Cognito →
 * cognito-local, Git → the local remote over HTTP) and with local adapters
 * behind the same ports where it does not (SQS → in-process queues, EKS Pod
 * Identity → a recorded association, SNS → a log line). Settings come from
 * the same platform config the CDK app would read them from.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  AdminNotifier,
  ClaimResult,
  CognitoUserAccess,
  CognitoUserInvitations,
  CognitoUserDirectory,
  DynamoDbSignupGuardStore,
  DynamoDbTenantClaims,
  DynamoDbTenantProgress,
  GitCredentials,
  InMemoryInferenceProfiles,
  IsomorphicGitRepository,
  SecretsManagerTenantSecrets,
  TenantProgress,
  createFunctionLogger,
  createOffboarderHandler,
  createPostConfirmationHandler,
  createPreSignUpHandler,
  createProvisionerHandler,
  documentClient,
  idempotencyPersistenceLayer,
  inviteAndProvision,
  tenantManifestsRenderer,
  type UserToProvision,
} from '@openclaw-tenancy/lambdas';
import { InvocableHandler, localLambdaContext } from '@openclaw-tenancy/lambdas/testing';
import { PlatformConfig, publicOrigin } from '@openclaw-tenancy/shared';
import type { SQSEvent } from 'aws-lambda';
import { GITOPS_BRANCH } from '../gitops/local-gitops-repository';
import { LocalUserInvitations } from '../identity/local-user-invitations';
import type { LocalJobQueues } from '../local-aws/local-job-queue';
import { LocalPodIdentityAssociations } from '../local-aws/local-pod-identity';
import type { LocalPlatformTables } from '../local-aws/platform-tables';

export const PROVISIONING_QUEUE = 'provisioning';
export const OFFBOARDING_QUEUE = 'offboarding';
/** The tenant role's ARN as the CDK app would pass it; locally only recorded on the association. */
const LOCAL_TENANT_ROLE_ARN = (account: string) => `arn:aws:iam::${account}:role/openclaw-local-tenant`;

export interface LocalFunctionsDeps {
  readonly config: PlatformConfig;
  readonly tables: LocalPlatformTables;
  readonly cognitoEndpoint: string;
  readonly secretsManager: SecretsManagerClient;
  readonly gitUrl: string;
  /** Read when the Git server asks, as the provisioner reads it from Secrets Manager in AWS. */
  readonly gitCredentials: () => Promise<GitCredentials>;
  readonly queues: LocalJobQueues;
  readonly podIdentityFile: string;
  readonly notifier: AdminNotifier;
  /** Where an invited user's temporary password goes (Cognito would e-mail it). */
  readonly announceInvitation: (email: string, temporaryPassword: string) => void;
}

export interface LocalFunctions {
  /** The Cognito triggers, for the Lambda Invoke server. */
  readonly triggers: Readonly<Record<'pre-signup' | 'post-confirmation', InvocableHandler>>;
  /** The tenant table's progress items, which operators follow. */
  readonly progress: TenantProgress;
  /** An operator's invitation: the user created (PreSignUp first, as in Cognito), then claimed and provisioned. */
  invite(invitation: { email: string; name?: string }): Promise<ClaimResult & { readonly user: UserToProvision }>;
  /** Wires the queues to the provisioner and offboarder (the SQS event source mappings). */
  connectQueues(): void;
  close(): void;
}

export function localFunctions(deps: LocalFunctionsDeps): LocalFunctions {
  const { config, tables } = deps;
  const region = config.aws.region;
  const db = documentClient(tables.client);
  const tableNames = tables.names;
  const claims = new DynamoDbTenantClaims(db, tableNames);
  const idempotencyStore = () => idempotencyPersistenceLayer(tableNames.idempotencyTable, tables.client);
  const cognito = new CognitoIdentityProviderClient({
    endpoint: deps.cognitoEndpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const repository = new IsomorphicGitRepository({
    url: deps.gitUrl,
    branch: GITOPS_BRANCH,
    author: { name: config.gitops.commitAuthorName, email: config.gitops.commitAuthorEmail },
    credentials: deps.gitCredentials,
  });
  const podIdentity = new LocalPodIdentityAssociations(deps.podIdentityFile);
  // No Bedrock locally: the lambdas' stand-in keeps the profiles in memory with deterministic ARNs, so a
  // restart recreates the same ones.
  const inferenceProfiles = new InMemoryInferenceProfiles(config.aws.account);
  const users = new CognitoUserDirectory(cognito);
  const secrets = new SecretsManagerTenantSecrets(deps.secretsManager);
  const progress = new DynamoDbTenantProgress(db, tableNames.tenantTable);
  const now = () => new Date();

  // Every table write comes from a function invocation, so a snapshot after each one keeps the tables durable.
  const persisted =
    (handler: InvocableHandler): InvocableHandler =>
    async (event, context) => {
      try {
        return await handler(event, context);
      } finally {
        await tables.snapshot();
      }
    };

  const preSignUp = createPreSignUpHandler({
    policy: {
      allowedEmailDomains: config.signup.allowedEmailDomains,
      confirmationsPerDomainPerHour: config.signup.confirmationsPerDomainPerHour,
      attemptsPerAddressPerHour: config.signup.attemptsPerAddressPerHour,
      attemptsPerHour: config.signup.attemptsPerHour,
      maxTenants: config.signup.maxTenants,
    },
    guard: new DynamoDbSignupGuardStore(db, tableNames.signupGuardTable),
    claims,
    logger: createFunctionLogger('pre-signup'),
    now,
  });
  const claimPolicy = {
    maxTenants: config.signup.maxTenants,
    confirmationsPerDomainPerHour: config.signup.confirmationsPerDomainPerHour,
    tier: config.tenantDefaults.tier,
    runtime: config.tenantDefaults.runtime,
  };
  const postConfirmation = createPostConfirmationHandler({
    policy: claimPolicy,
    claims,
    users,
    queue: deps.queues.queue(PROVISIONING_QUEUE),
    idempotencyStore: idempotencyStore(),
    logger: createFunctionLogger('post-confirmation'),
    now,
  });
  const provisioner = createProvisionerHandler({
    settings: {
      clusterName: config.cluster.name,
      tenantRoleArn: LOCAL_TENANT_ROLE_ARN(config.aws.account),
      platformConfig: config,
      workspaceBaseUrl: publicOrigin(config),
    },
    progress,
    secrets,
    podIdentity,
    inferenceProfiles,
    repository,
    renderer: tenantManifestsRenderer,
    notifier: deps.notifier,
    queue: deps.queues.queue(PROVISIONING_QUEUE),
    claims,
    users,
    idempotencyStore: idempotencyStore(),
    logger: createFunctionLogger('provisioner'),
    now,
  });
  const offboarder = createOffboarderHandler({
    settings: { clusterName: config.cluster.name, platformConfig: config },
    progress,
    // cognito-local implements AdminDisableUser but not AdminUserGlobalSignOut.
    userAccess: new CognitoUserAccess(cognito, { globalSignOut: false }),
    secrets,
    podIdentity,
    inferenceProfiles,
    repository,
    renderer: tenantManifestsRenderer,
    notifier: deps.notifier,
    idempotencyStore: idempotencyStore(),
    logger: createFunctionLogger('offboarder'),
    now,
  });

  return {
    triggers: { 'pre-signup': persisted(preSignUp), 'post-confirmation': persisted(postConfirmation) },
    progress,
    async invite(invitation) {
      const userPoolId = config.identity?.userPoolId ?? '';
      const invitations = new LocalUserInvitations({
        pool: new CognitoUserInvitations(cognito, userPoolId),
        userPoolId,
        appClientId: config.identity?.appClientId ?? '',
        region,
        preSignUp: persisted(preSignUp),
        announce: deps.announceInvitation,
      });
      try {
        return await inviteAndProvision(invitation, claimPolicy, {
          invitations,
          claims,
          users,
          queue: deps.queues.queue(PROVISIONING_QUEUE),
          now,
        });
      } finally {
        await tables.snapshot();
      }
    },
    connectQueues() {
      deps.queues.consume(PROVISIONING_QUEUE, async (event: SQSEvent) => {
        try {
          return await provisioner(event, localLambdaContext('provisioner'));
        } finally {
          await tables.snapshot();
        }
      });
      deps.queues.consume(OFFBOARDING_QUEUE, async (event: SQSEvent) => {
        try {
          return await offboarder(event, localLambdaContext('offboarder'));
        } finally {
          await tables.snapshot();
        }
      });
    },
    close() {
      cognito.destroy();
    },
  };
}
