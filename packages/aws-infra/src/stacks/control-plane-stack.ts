import { ArnFormat, CfnOutput, Duration, Lazy, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  applicationProfileArnPattern,
  catalogModelArns,
  cognitoApiOrigin,
  containerOutputLogGroupName,
  FUNCTION_ENV_KEYS,
  FunctionEnvKey,
  PLATFORM_CONFIG_FUNCTIONS,
  PLATFORM_FUNCTIONS,
  PlatformConfig,
  PlatformFunction as PlatformFunctionName,
  TAG_TENANT,
  TAG_TENANT_NAMESPACE,
  TENANT_NAMESPACE_PREFIX,
  TENANT_SECRET_RECOVERY_WINDOW_DAYS,
} from '@openclaw-tenancy/shared';
import { Construct } from 'constructs';
import { acknowledge, nagResource } from '../compliance';
import { breakGlassRoleArn } from '../constructs/key-destruction-guard';
import { PlatformFunction } from '../constructs/platform-function';
import { PlatformTables } from '../constructs/platform-tables';
import { TenantJobQueue } from '../constructs/tenant-job-queue';
import { TenantSecretsKey } from '../constructs/tenant-secrets-key';
import { TenantUserPool } from '../constructs/tenant-user-pool';
import { UserPoolWebAcl } from '../constructs/user-pool-web-acl';
import { functionEnvironment, functionEnvironmentValues } from '../function-environment';
import { FunctionEntries, assertEntriesExist } from '@openclaw-tenancy/lambdas';
import { retentionFor } from '../log-retention';
import { secretArnByName, tenantSecretArnPattern } from '../tenant-resource-names';

export interface ControlPlaneStackProps extends StackProps {
  readonly config: PlatformConfig;
  readonly alertsTopic: sns.ITopic;
  /** The shared tenant role the provisioner associates with tenant service accounts. */
  readonly tenantRole: iam.IRole;
  readonly functionEntries: FunctionEntries;
}

interface FunctionSizing {
  readonly timeout: Duration;
  readonly memorySize: number;
}

/**
 * Cognito calls the triggers synchronously and gives up after 5 seconds, so
 * they get exactly that; the queue consumers clone and push the GitOps
 * repository, which takes longer and more memory.
 */
export const FUNCTION_SIZING: Readonly<Record<PlatformFunctionName, FunctionSizing>> = {
  'pre-signup': { timeout: Duration.seconds(5), memorySize: 512 },
  'post-confirmation': { timeout: Duration.seconds(5), memorySize: 512 },
  provisioner: { timeout: Duration.minutes(2), memorySize: 1024 },
  offboarder: { timeout: Duration.minutes(2), memorySize: 1024 },
  'cost-enforcer': { timeout: Duration.minutes(5), memorySize: 1024 },
  // A browser waits on it: Cognito answers in well under a second, a sign-out makes three calls.
  session: { timeout: Duration.seconds(10), memorySize: 512 },
};

/**
 * Layer 2 and the tenant lifecycle: the Cognito user pool with its triggers,
 * the tables and queues, and the five platform functions with least-privilege
 * roles. What a function may touch follows from the variables it is given: a
 * function told a queue URL may send to it, told the topic may publish to it.
 */
export class ControlPlaneStack extends Stack {
  readonly tables: PlatformTables;
  readonly provisioningQueue: TenantJobQueue;
  readonly offboardingQueue: TenantJobQueue;
  readonly functions: Readonly<Record<PlatformFunctionName, PlatformFunction>>;
  readonly userPool: TenantUserPool;
  readonly userPoolWebAcl: UserPoolWebAcl;
  /** The key of tenant secrets: here because its policy names the provisioner's role. */
  readonly tenantSecretsKey: TenantSecretsKey;

  constructor(scope: Construct, id: string, props: ControlPlaneStackProps) {
    super(scope, id, props);
    const { config, alertsTopic } = props;
    assertEntriesExist(props.functionEntries);

    const dataKey = new kms.Key(this, 'DataKey', {
      description: 'Encryption of the control-plane tables',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.tables = new PlatformTables(this, 'Tables', { key: dataKey });
    this.tenantSecretsKey = new TenantSecretsKey(this, 'TenantSecretsKey', {
      tenantRole: props.tenantRole,
      breakGlassRoleArn: breakGlassRoleArn(config),
    });
    const queueVisibility = (fn: PlatformFunctionName) => Duration.seconds(FUNCTION_SIZING[fn].timeout.toSeconds() * 6);
    this.provisioningQueue = new TenantJobQueue(this, 'ProvisioningQueue', {
      alarmTopic: alertsTopic,
      visibilityTimeout: queueVisibility('provisioner'),
    });
    this.offboardingQueue = new TenantJobQueue(this, 'OffboardingQueue', {
      alarmTopic: alertsTopic,
      visibilityTimeout: queueVisibility('offboarder'),
    });

    const values = functionEnvironmentValues(config, {
      tenantTableName: this.tables.tenantTable.tableName,
      signupGuardTableName: this.tables.signupGuardTable.tableName,
      idempotencyTableName: this.tables.idempotencyTable.tableName,
      provisioningQueueUrl: this.provisioningQueue.queue.queueUrl,
      offboardingQueueUrl: this.offboardingQueue.queue.queueUrl,
      alertsTopicArn: alertsTopic.topicArn,
      tenantRoleArn: props.tenantRole.roleArn,
      // The pool comes after the functions (its triggers are two of them): resolved once it exists.
      identityIssuer: Lazy.string({ produce: () => `${cognitoApiOrigin(this.region)}/${this.userPool.userPool.userPoolId}` }),
      userPoolClientId: Lazy.string({ produce: () => this.userPool.client.userPoolClientId }),
      tenantSecretsKeyArn: this.tenantSecretsKey.key.keyArn,
    });
    const logRetention = retentionFor(config.observability.logRetentionDays);
    const functions = {} as Record<PlatformFunctionName, PlatformFunction>;
    for (const fn of PLATFORM_FUNCTIONS) {
      functions[fn] = new PlatformFunction(this, pascalCase(fn), {
        platformFunction: fn,
        entry: props.functionEntries[fn],
        environment: functionEnvironment(fn, values),
        logRetention,
        alarmTopic: alertsTopic,
        namePrefix: config.platformName,
        ...(PLATFORM_CONFIG_FUNCTIONS.includes(fn) ? { bundledPlatformConfig: config } : {}),
        ...FUNCTION_SIZING[fn],
      });
      this.grantDeclaredResources(fn, functions[fn], config, alertsTopic);
    }
    this.functions = functions;

    this.grantProvisioner(functions.provisioner, config, props.tenantRole);
    this.tenantSecretsKey.grantCreateTenantSecrets(functions.provisioner.function.role!);
    this.grantOffboarder(functions.offboarder, config);
    this.grantCostEnforcer(functions['cost-enforcer']);

    functions.provisioner.function.addEventSource(
      new lambdaEvents.SqsEventSource(this.provisioningQueue.queue, { batchSize: 5, reportBatchItemFailures: true, maxConcurrency: 2 }),
    );
    functions.offboarder.function.addEventSource(
      new lambdaEvents.SqsEventSource(this.offboardingQueue.queue, { batchSize: 5, reportBatchItemFailures: true, maxConcurrency: 2 }),
    );
    // Jobs only from the platform: sign-up (and the provisioner's re-queue) for provisioning, operators for offboarding.
    const roleArn = (fn: PlatformFunctionName) => functions[fn].function.role!.roleArn;
    const operators = [breakGlassRoleArn(config), ...config.cluster.adminPrincipalArns];
    this.provisioningQueue.admitOnly({
      producerArns: [roleArn('post-confirmation'), roleArn('provisioner')],
      consumerArns: [roleArn('provisioner')],
      operatorArns: operators,
    });
    this.offboardingQueue.admitOnly({ producerArns: [], consumerArns: [roleArn('offboarder')], operatorArns: operators });
    new events.Rule(this, 'CostEnforcerSchedule', {
      description: 'Daily tenant budget check',
      schedule: events.Schedule.cron({ minute: '15', hour: '6' }),
      targets: [new eventTargets.LambdaFunction(functions['cost-enforcer'].function, { retryAttempts: 2 })],
    });

    this.userPool = new TenantUserPool(this, 'Identity', {
      selfSignUpEnabled: config.signup.selfSignUpEnabled,
      mfa: config.signup.mfa,
      threatProtection: config.signup.threatProtection,
      refreshTokenRotation: config.signup.refreshTokenRotation,
      ...(config.signup.emailSender
        ? { emailSender: { ...config.signup.emailSender, sesRegion: config.signup.emailSender.sesRegion ?? config.aws.region } }
        : {}),
      preSignUp: functions['pre-signup'].function,
      postConfirmation: functions['post-confirmation'].function,
      userPoolName: `${config.platformName}-users`,
    });
    this.userPoolWebAcl = new UserPoolWebAcl(this, 'UserPoolWebAcl', {
      userPool: this.userPool.userPool,
      rateLimitPer5Minutes: config.signup.signInRateLimitPer5Minutes,
      logRetention: logRetention,
      namePrefix: config.platformName,
    });
    // A separate policy, attached after the pool exists: the pool depends on the trigger function, so a
    // statement naming the pool in the function's own default policy would be a circular dependency.
    const writeTenantId = new iam.Policy(this, 'PostConfirmationUserPoolAccess', {
      statements: [
        new iam.PolicyStatement({
          sid: 'RecordTenantIdOnUser',
          actions: ['cognito-idp:AdminUpdateUserAttributes'],
          resources: [this.userPool.userPool.userPoolArn],
        }),
      ],
    });
    writeTenantId.attachToRole(functions['post-confirmation'].function.role!);
    // The provisioner moves a claim whose id the GitOps registry gives to somebody else, and the user's attribute with it.
    const moveTenantId = new iam.Policy(this, 'ProvisionerUserPoolAccess', {
      statements: [
        new iam.PolicyStatement({
          sid: 'RecordMovedTenantIdOnUser',
          actions: ['cognito-idp:AdminUpdateUserAttributes'],
          resources: [this.userPool.userPool.userPoolArn],
        }),
      ],
    });
    moveTenantId.attachToRole(functions.provisioner.function.role!);
    // Offboarding ends the owner's access first: no sign-in, no refresh, every refresh token revoked.
    const revokeOwner = new iam.Policy(this, 'OffboarderUserPoolAccess', {
      statements: [
        new iam.PolicyStatement({
          sid: 'RevokeOffboardedOwner',
          actions: ['cognito-idp:AdminDisableUser', 'cognito-idp:AdminUserGlobalSignOut'],
          resources: [this.userPool.userPool.userPoolArn],
        }),
      ],
    });
    revokeOwner.attachToRole(functions.offboarder.function.role!);

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPool.userPoolId });
    new CfnOutput(this, 'AppClientId', { value: this.userPool.client.userPoolClientId });
  }

  /** Access that follows from the variables in FUNCTION_ENV_KEYS. */
  private grantDeclaredResources(
    fn: PlatformFunctionName,
    platformFunction: PlatformFunction,
    config: PlatformConfig,
    alertsTopic: sns.ITopic,
  ): void {
    const keys = new Set<FunctionEnvKey>(FUNCTION_ENV_KEYS[fn]);
    const grantee = platformFunction.function;
    if (keys.has('tenantTable')) {
      // PreSignUp only reads the capacity counter; claims are written after confirmation.
      if (fn === 'pre-signup') this.tables.tenantTable.grantReadData(grantee);
      else this.tables.tenantTable.grantReadWriteData(grantee);
    }
    if (keys.has('signupGuardTable')) this.tables.signupGuardTable.grantReadWriteData(grantee);
    if (keys.has('idempotencyTable')) this.tables.idempotencyTable.grantReadWriteData(grantee);
    if (keys.has('provisioningQueueUrl')) this.provisioningQueue.queue.grantSendMessages(grantee);
    if (keys.has('offboardingQueueUrl')) this.offboardingQueue.queue.grantSendMessages(grantee);
    if (keys.has('alertsTopicArn')) alertsTopic.grantPublish(grantee);
    if (keys.has('gitCredentialsSecret')) {
      grantee.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadGitCredentials',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [secretArnByName(this, config.gitops.credentialsSecretName)],
        }),
      );
    }
    acknowledgeTableGrants(platformFunction, keys);
  }

  private grantProvisioner(platformFunction: PlatformFunction, config: PlatformConfig, tenantRole: iam.IRole): void {
    const fn = platformFunction.function;
    const requestTagsOfTenant = {
      StringLike: { [`aws:RequestTag/${TAG_TENANT_NAMESPACE}`]: `${TENANT_NAMESPACE_PREFIX}*` },
      'ForAllValues:StringEquals': { 'aws:TagKeys': [TAG_TENANT, TAG_TENANT_NAMESPACE] },
    };
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'CreateTaggedTenantSecrets',
        actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
        resources: [tenantSecretArnPattern(this)],
        conditions: requestTagsOfTenant,
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'InspectAndRestoreTenantSecrets',
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:RestoreSecret'],
        resources: [tenantSecretArnPattern(this)],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        // Only associations tagged as a tenant's; the tenant role's trust policy admits tenant gateway pods only.
        sid: 'AssociateTenantServiceAccounts',
        actions: ['eks:CreatePodIdentityAssociation'],
        resources: [this.clusterArn(config)],
        conditions: { ...requestTagsOfTenant, Null: { [`aws:RequestTag/${TAG_TENANT}`]: 'false' } },
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListTenantServiceAccountAssociations',
        actions: ['eks:ListPodIdentityAssociations'],
        resources: [this.clusterArn(config)],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        // An existing association is adopted only after its role was checked to be the tenant role.
        sid: 'DescribeTenantAssociations',
        actions: ['eks:DescribePodIdentityAssociation'],
        resources: [this.podIdentityAssociationArns(config)],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'TagTenantAssociations',
        actions: ['eks:TagResource'],
        resources: [this.podIdentityAssociationArns(config)],
        conditions: requestTagsOfTenant,
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PassTenantRoleToPodIdentity',
        actions: ['iam:PassRole'],
        resources: [tenantRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'pods.eks.amazonaws.com' } },
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'GetTenantRoleForAssociation',
        actions: ['iam:GetRole'],
        resources: [tenantRole.roleArn],
      }),
    );
    const ctx = { partition: this.partition, account: this.account, bedrockRegion: config.models.bedrockRegion };
    const models = catalogModelArns(
      config.models.catalog.map((m) => m.id),
      ctx,
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'CreateTenantInferenceProfiles',
        actions: ['bedrock:CreateInferenceProfile', 'bedrock:TagResource'],
        resources: [applicationProfileArnPattern(ctx), ...models.systemProfileArns, ...models.foundationModelArns],
        // Both tags present (the tenant role's ABAC matches tenant-namespace; cost allocation uses tenant), no other keys.
        conditions: { ...requestTagsOfTenant, Null: { [`aws:RequestTag/${TAG_TENANT}`]: 'false' } },
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        // A profile found by name is adopted only when its tenant-namespace tag is the tenant's (names can clash).
        sid: 'ReadTenantInferenceProfileTags',
        actions: ['bedrock:ListTagsForResource'],
        resources: [applicationProfileArnPattern(ctx)],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'ListInferenceProfiles', actions: ['bedrock:ListInferenceProfiles'], resources: ['*'] }),
    );
    acknowledgeTenantScopedResources(platformFunction, this, config, models.foundationModelArns);
  }

  private grantOffboarder(platformFunction: PlatformFunction, config: PlatformConfig): void {
    const fn = platformFunction.function;
    const ctx = { partition: this.partition, account: this.account, bedrockRegion: config.models.bedrockRegion };
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DescribeTenantSecrets',
        actions: ['secretsmanager:DescribeSecret'],
        resources: [tenantSecretArnPattern(this)],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        // Only a tenant's secret, and only as a restorable deletion: never forced, never a shorter window.
        sid: 'ScheduleTenantSecretDeletion',
        actions: ['secretsmanager:DeleteSecret'],
        resources: [tenantSecretArnPattern(this)],
        conditions: {
          StringLike: { [`secretsmanager:ResourceTag/${TAG_TENANT_NAMESPACE}`]: `${TENANT_NAMESPACE_PREFIX}*` },
          Bool: { 'secretsmanager:ForceDeleteWithoutRecovery': 'false' },
          NumericGreaterThanEquals: { 'secretsmanager:RecoveryWindowInDays': String(TENANT_SECRET_RECOVERY_WINDOW_DAYS) },
        },
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListTenantAssociations',
        actions: ['eks:ListPodIdentityAssociations'],
        resources: [this.clusterArn(config)],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        // Tenant associations only (the provisioner tags them); the add-ons' and controllers' stay out of reach.
        sid: 'RemoveTenantAssociations',
        actions: ['eks:DeletePodIdentityAssociation'],
        resources: [this.podIdentityAssociationArns(config)],
        conditions: { StringLike: { [`aws:ResourceTag/${TAG_TENANT_NAMESPACE}`]: `${TENANT_NAMESPACE_PREFIX}*` } },
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        // The offboarder deletes a profile only after its tenant-namespace tag named the tenant being offboarded.
        sid: 'ReadTenantInferenceProfileTags',
        actions: ['bedrock:ListTagsForResource'],
        resources: [applicationProfileArnPattern(ctx)],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DeleteTenantInferenceProfiles',
        actions: ['bedrock:DeleteInferenceProfile'],
        resources: [applicationProfileArnPattern(ctx)],
        conditions: { StringLike: { [`aws:ResourceTag/${TAG_TENANT_NAMESPACE}`]: `${TENANT_NAMESPACE_PREFIX}*` } },
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'ListInferenceProfiles', actions: ['bedrock:ListInferenceProfiles'], resources: ['*'] }),
    );
    const outputLogGroup = this.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: containerOutputLogGroupName(config.cluster.name),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        // Erasure of the tenant's container output: its streams are found by name and deleted; events stay unread.
        sid: 'EraseTenantContainerOutput',
        actions: ['logs:DescribeLogStreams', 'logs:DeleteLogStream'],
        resources: [outputLogGroup, `${outputLogGroup}:log-stream:*`],
      }),
    );
    acknowledge(
      platformFunction.function,
      `AwsSolutions-IAM5[Resource::${nagResource(this, outputLogGroup)}:log-stream:*]`,
      "Container output streams are named per node, pod and container at runtime; the offboarder deletes those of the offboarded tenant's namespace, in the container output log group only.",
    );
    acknowledgeTenantScopedResources(platformFunction, this, config, []);
  }

  /** Usage per tenant: profile names → ids (ListInferenceProfiles), then AWS/Bedrock token metrics per profile. */
  private grantCostEnforcer(platformFunction: PlatformFunction): void {
    const fn = platformFunction.function;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadBedrockUsageMetrics',
        actions: ['cloudwatch:GetMetricData', 'bedrock:ListInferenceProfiles'],
        resources: ['*'],
      }),
    );
    acknowledge(
      platformFunction.function,
      'AwsSolutions-IAM5[Resource::*]',
      'cloudwatch:GetMetricData (per-profile AWS/Bedrock token metrics) and bedrock:ListInferenceProfiles do not support resource-level permissions.',
    );
  }

  private clusterArn(config: PlatformConfig): string {
    return this.formatArn({ service: 'eks', resource: 'cluster', resourceName: config.cluster.name });
  }

  private podIdentityAssociationArns(config: PlatformConfig): string {
    return this.formatArn({ service: 'eks', resource: 'podidentityassociation', resourceName: `${config.cluster.name}/*` });
  }
}

function pascalCase(name: string): string {
  return name
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

function acknowledgeTableGrants(platformFunction: PlatformFunction, keys: ReadonlySet<FunctionEnvKey>): void {
  if (keys.has('tenantTable') || keys.has('signupGuardTable') || keys.has('idempotencyTable')) {
    acknowledge(
      platformFunction.function,
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      "Granted by TableV2 grants for the tables' own customer managed key only (the resource is that key).",
    );
    acknowledge(
      platformFunction.function,
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
      "Granted by TableV2 grants for the tables' own customer managed key only (the resource is that key).",
    );
  }
}

function acknowledgeTenantScopedResources(
  platformFunction: PlatformFunction,
  stack: Stack,
  config: PlatformConfig,
  foundationModelArns: readonly string[],
): void {
  const ctx = { partition: stack.partition, account: stack.account, bedrockRegion: config.models.bedrockRegion };
  acknowledge(
    platformFunction.function,
    'AwsSolutions-IAM5[Resource::*]',
    'bedrock:ListInferenceProfiles has no resource-level permissions.',
  );
  acknowledge(
    platformFunction.function,
    `AwsSolutions-IAM5[Resource::${nagResource(stack, tenantSecretArnPattern(stack))}]`,
    'Tenant secrets are created at runtime under openclaw/tenants/<tenant id>/; creation additionally requires the tenant and tenant-namespace request tags.',
  );
  acknowledge(
    platformFunction.function,
    `AwsSolutions-IAM5[Resource::${nagResource(stack, stack.formatArn({ service: 'eks', resource: 'podidentityassociation', resourceName: `${config.cluster.name}/*` }))}]`,
    'Pod Identity associations are created per tenant at runtime and get random ids; the pattern is limited to this cluster.',
  );
  acknowledge(
    platformFunction.function,
    `AwsSolutions-IAM5[Resource::${nagResource(stack, applicationProfileArnPattern(ctx))}]`,
    'Tenant application inference profiles are created at runtime with random ids; creation requires the tenant tags, deletion requires a tenant-namespace tag.',
  );
  for (const arn of foundationModelArns.filter((a) => a.includes(':bedrock:*::'))) {
    acknowledge(
      platformFunction.function,
      `AwsSolutions-IAM5[Resource::${nagResource(stack, arn)}]`,
      'Copying a cross-region system profile into an application profile is authorized on the model in every destination region; the model id is pinned.',
    );
  }
}
