import { CfnOutput, Duration, Lazy, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  cognitoApiOrigin,
  FUNCTION_ENV_KEYS,
  FunctionEnvKey,
  PLATFORM_CONFIG_FUNCTIONS,
  PLATFORM_FUNCTIONS,
  PlatformConfig,
  PlatformFunction as PlatformFunctionName,
} from '@openclaw-tenancy/shared';
import { Construct } from 'constructs';
import { breakGlassRoleArn } from '../constructs/key-destruction-guard';
import { GitCredentialsSecret } from '../constructs/git-credentials-secret';
import { PlatformFunction } from '../constructs/platform-function';
import { PlatformTables } from '../constructs/platform-tables';
import { TenantInferenceProfiles } from '../constructs/tenant-inference-profiles';
import { TenantJobQueue } from '../constructs/tenant-job-queue';
import { TenantOutputLogs } from '../constructs/tenant-output-logs';
import { TenantPodIdentityAssociations } from '../constructs/tenant-pod-identity-associations';
import { TenantSecrets } from '../constructs/tenant-secrets';
import { TenantSecretsKey } from '../constructs/tenant-secrets-key';
import { TenantUserPool } from '../constructs/tenant-user-pool';
import { UserPoolWebAcl } from '../constructs/user-pool-web-acl';
import { functionEnvironment, functionEnvironmentValues } from '../function-environment';
import { FunctionEntries, assertEntriesExist } from '@openclaw-tenancy/lambdas';
import { retentionFor } from '../log-retention';

export interface ControlPlaneStackProps extends StackProps {
  readonly config: PlatformConfig;
  readonly alertsTopic: sns.ITopic;
  /** The shared tenant role the provisioner associates with tenant service accounts. */
  readonly tenantRole: iam.IRole;
  /** The container output log group (of the cluster stack), whose tenant streams the offboarder erases. */
  readonly tenantOutputLogs: TenantOutputLogs;
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
  readonly tenantSecrets: TenantSecrets;
  readonly tenantAssociations: TenantPodIdentityAssociations;
  readonly inferenceProfiles: TenantInferenceProfiles;
  readonly gitCredentials: GitCredentialsSecret;

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
    this.tenantSecrets = new TenantSecrets(this, 'TenantSecrets');
    this.tenantAssociations = new TenantPodIdentityAssociations(this, 'TenantAssociations', {
      clusterName: config.cluster.name,
      tenantRole: props.tenantRole,
    });
    this.inferenceProfiles = new TenantInferenceProfiles(this, 'InferenceProfiles', {
      bedrockRegion: config.models.bedrockRegion,
      modelIds: config.models.catalog.map((m) => m.id),
    });
    this.gitCredentials = new GitCredentialsSecret(this, 'GitCredentials', { secretName: config.gitops.credentialsSecretName });
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
      this.grantDeclaredResources(fn, functions[fn], alertsTopic);
    }
    this.functions = functions;

    const provisioner = functions.provisioner.function;
    const offboarder = functions.offboarder.function;
    this.tenantSecrets.grantCreate(provisioner);
    this.tenantSecretsKey.grantCreateTenantSecrets(provisioner.role!);
    this.tenantAssociations.grantAssociate(provisioner);
    this.inferenceProfiles.grantCreate(provisioner);
    this.tenantSecrets.grantScheduleDeletion(offboarder);
    this.tenantAssociations.grantDisassociate(offboarder);
    this.inferenceProfiles.grantDelete(offboarder);
    props.tenantOutputLogs.grantEraseStreams(offboarder);
    this.inferenceProfiles.grantReadUsage(functions['cost-enforcer'].function);

    provisioner.addEventSource(
      new lambdaEvents.SqsEventSource(this.provisioningQueue.queue, { batchSize: 5, reportBatchItemFailures: true, maxConcurrency: 2 }),
    );
    offboarder.addEventSource(
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
      sessionTokenValidity: Duration.minutes(config.signup.sessionTokenMinutes),
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
    // Policies of their own, attached once the pool exists: the pool depends on its trigger functions, so a statement
    // naming the pool in a function's own default policy would be a circular dependency.
    this.userPool.grantRecordTenantId(functions['post-confirmation'].function);
    // The provisioner moves a claim whose id the GitOps registry gives to somebody else, and the user's attribute with it.
    this.userPool.grantRecordTenantId(provisioner);
    // Offboarding ends the owner's access first: no sign-in, no refresh, every refresh token revoked.
    this.userPool.grantRevokeAccess(offboarder);

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPool.userPoolId });
    new CfnOutput(this, 'AppClientId', { value: this.userPool.client.userPoolClientId });
  }

  /** Access that follows from the variables in FUNCTION_ENV_KEYS. */
  private grantDeclaredResources(fn: PlatformFunctionName, platformFunction: PlatformFunction, alertsTopic: sns.ITopic): void {
    const keys = new Set<FunctionEnvKey>(FUNCTION_ENV_KEYS[fn]);
    const grantee = platformFunction.function;
    if (keys.has('tenantTable')) {
      // PreSignUp only reads the capacity counter; claims are written after confirmation.
      if (fn === 'pre-signup') this.tables.grantReadData(grantee, 'tenantTable');
      else this.tables.grantReadWriteData(grantee, 'tenantTable');
    }
    if (keys.has('signupGuardTable')) this.tables.grantReadWriteData(grantee, 'signupGuardTable');
    if (keys.has('idempotencyTable')) this.tables.grantReadWriteData(grantee, 'idempotencyTable');
    if (keys.has('provisioningQueueUrl')) this.provisioningQueue.queue.grantSendMessages(grantee);
    if (keys.has('offboardingQueueUrl')) this.offboardingQueue.queue.grantSendMessages(grantee);
    if (keys.has('alertsTopicArn')) alertsTopic.grantPublish(grantee);
    if (keys.has('gitCredentialsSecret')) this.gitCredentials.grantRead(grantee);
  }
}

function pascalCase(name: string): string {
  return name
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}
