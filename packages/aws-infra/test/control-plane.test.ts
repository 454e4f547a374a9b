import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  containerOutputLogGroupName,
  FUNCTION_ENV,
  FUNCTION_ENV_KEYS,
  PLATFORM_FUNCTIONS,
  PlatformConfig,
  PlatformFunction,
} from '@openclaw-tenancy/shared';
import { ControlPlaneStack, PLATFORM_FUNCTION_BUNDLING, SOURCE_MAP_NODE_OPTIONS, TENANT_ID_ATTRIBUTE_NAME, TenantOutputLogs } from '../src';
import { FIXTURE_ENTRIES, SynthesizedPlatform, asArray, configWith, resourcesOf, synthesizePlatform, testApp } from './support/platform';

const env = { account: '111111111111', region: 'eu-west-1' };

/** The control plane alone (with a stand-in topic, tenant role and container output log group), for config variations. */
function controlPlaneTemplate(config: PlatformConfig): Template {
  const app = testApp();
  const deps = new Stack(app, 'Deps', { env });
  const alertsTopic = new sns.Topic(deps, 'Topic');
  const tenantRole = new iam.Role(deps, 'TenantRole', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com') });
  const tenantOutputLogs = new TenantOutputLogs(deps, 'TenantOutputLogs', {
    logGroup: new logs.LogGroup(deps, 'ContainerOutput', { logGroupName: containerOutputLogGroupName(config.cluster.name) }),
    breakGlassRoleArn: 'arn:aws:iam::111111111111:role/openclaw-break-glass',
  });
  return Template.fromStack(
    new ControlPlaneStack(app, 'ControlPlane', {
      env,
      config,
      alertsTopic,
      tenantRole,
      tenantOutputLogs,
      functionEntries: FIXTURE_ENTRIES,
    }),
  );
}

describe('control-plane stack', () => {
  let platform: SynthesizedPlatform;
  let template: Template;
  beforeAll(() => {
    platform = synthesizePlatform();
    template = platform.template(platform.stacks.controlPlane);
  });

  const functionOf = (fn: PlatformFunction) =>
    resourcesOf(template, 'AWS::Lambda::Function').find(([, f]) => f.Properties.FunctionName === `openclaw-${fn}`)!;
  const statementsOf = (fn: PlatformFunction): any[] => {
    const roleId = functionOf(fn)[1].Properties.Role['Fn::GetAtt'][0];
    return resourcesOf(template, 'AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  };

  describe('Cognito user pool', () => {
    test('users sign in with their e-mail, which is verified automatically', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
      });
    });

    test('passwords need at least 12 characters with upper case, lower case and digits', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        Policies: {
          PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true }),
        },
      });
    });

    test('MFA is optional with TOTP only when signup.mfa is optional', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'OPTIONAL', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
    });

    test('MFA is off when signup.mfa is off', () => {
      const t = controlPlaneTemplate(configWith((raw) => (raw.signup.mfa = 'off')));
      t.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'OFF', EnabledMfas: Match.absent() });
    });

    test("e-mails come from Cognito's sender by default, and synth warns about its daily limit", () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', { EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT' } });
      Annotations.fromStack(platform.stacks.controlPlane).hasWarning('*', Match.stringLikeRegexp('set signup.emailSender'));
    });

    test('with signup.emailSender, e-mails go through SES from that address (the domain identity, the configured region)', () => {
      const t = controlPlaneTemplate(
        configWith((raw) => (raw.signup.emailSender = { fromAddress: 'no-reply@ai.example.com', sesVerifiedDomain: 'ai.example.com' })),
      );
      t.hasResourceProperties('AWS::Cognito::UserPool', {
        EmailConfiguration: {
          EmailSendingAccount: 'DEVELOPER',
          From: 'no-reply@ai.example.com',
          SourceArn: 'arn:aws:ses:eu-west-1:111111111111:identity/ai.example.com',
        },
      });
      expect(() =>
        controlPlaneTemplate(
          configWith((raw) => (raw.signup.emailSender = { fromAddress: 'no-reply@other.example', sesVerifiedDomain: 'ai.example.com' })),
        ),
      ).toThrow(
        'signup.emailSender.fromAddress no-reply@other.example is not an address of signup.emailSender.sesVerifiedDomain ai.example.com',
      );
    });

    test('self sign-up follows signup.selfSignUpEnabled (on in the example)', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', { AdminCreateUserConfig: { AllowAdminCreateUserOnly: false } });
    });

    test('signup.selfSignUpEnabled: false really turns self sign-up off (no override)', () => {
      const t = controlPlaneTemplate(configWith((raw) => (raw.signup.selfSignUpEnabled = false)));
      t.hasResourceProperties('AWS::Cognito::UserPool', { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    });

    test('the tenant id is a custom attribute', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        Schema: Match.arrayWith([Match.objectLike({ Name: TENANT_ID_ATTRIBUTE_NAME, AttributeDataType: 'String' })]),
      });
    });

    test('the app client can read the tenant id and the e-mail but write neither (only the name)', () => {
      const [, client] = resourcesOf(template, 'AWS::Cognito::UserPoolClient')[0]!;
      expect(client.Properties.ReadAttributes).toEqual(expect.arrayContaining(['custom:tenant_id', 'email']));
      expect(client.Properties.WriteAttributes).toEqual(['name']);
    });

    test('fails if the e-mail is a required attribute (Cognito would then demand that the client may write it)', () => {
      const [, pool] = resourcesOf(template, 'AWS::Cognito::UserPool')[0]!;
      expect(pool.Properties.UsernameAttributes).toEqual(['email']);
      const email = (pool.Properties.Schema ?? []).find((a: { Name: string }) => a.Name === 'email');
      expect(email?.Required ?? false).toBe(false);
    });

    test('the offboarder may disable and globally sign out users of this pool, nothing else in Cognito', () => {
      const [, policy] = resourcesOf(template, 'AWS::IAM::Policy').find(([id]) => id.startsWith('IdentityRevokeAccessPolicy'))!;
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        {
          Sid: 'RevokeOffboardedOwner',
          Effect: 'Allow',
          Action: ['cognito-idp:AdminDisableUser', 'cognito-idp:AdminUserGlobalSignOut'],
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^IdentityUserPool/), 'Arn'] },
        },
      ]);
    });

    test('the app client has no secret, password + refresh flows only, revocation, 5-minute ID and access tokens (signup.sessionTokenMinutes) and 30-day refresh tokens', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        EnableTokenRevocation: true,
        IdTokenValidity: 5,
        AccessTokenValidity: 5,
        RefreshTokenValidity: 30 * 24 * 60,
        TokenValidityUnits: { IdToken: 'minutes', RefreshToken: 'minutes', AccessToken: 'minutes' },
        AllowedOAuthFlows: Match.absent(),
      });
    });

    test('PreSignUp and PostConfirmation are wired to the platform functions', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        LambdaConfig: {
          PreSignUp: { 'Fn::GetAtt': [functionOf('pre-signup')[0], 'Arn'] },
          PostConfirmation: { 'Fn::GetAtt': [functionOf('post-confirmation')[0], 'Arn'] },
        },
      });
    });

    test('the pool is retained and deletion-protected (it holds every user)', () => {
      const [, pool] = resourcesOf(template, 'AWS::Cognito::UserPool')[0]!;
      expect(pool.DeletionPolicy).toBe('Retain');
      expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
    });
  });

  describe('DynamoDB tables', () => {
    const tables = () => resourcesOf(template, 'AWS::DynamoDB::GlobalTable');

    test('on-demand, point-in-time recovery, encrypted with the control-plane CMK', () => {
      expect(tables()).toHaveLength(3);
      for (const [, t] of tables()) {
        expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
        expect(t.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
        expect(t.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
        expect(t.Properties.Replicas[0].SSESpecification.KMSMasterKeyId).toEqual({
          'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'],
        });
      }
    });

    test('key schemas: a single string partition key, pk (id for Powertools idempotency)', () => {
      const keys = tables().map(([, t]) => [t.Properties.KeySchema, t.Properties.AttributeDefinitions]);
      expect(keys).toEqual(
        expect.arrayContaining([
          [[{ AttributeName: 'pk', KeyType: 'HASH' }], [{ AttributeName: 'pk', AttributeType: 'S' }]],
          [[{ AttributeName: 'id', KeyType: 'HASH' }], [{ AttributeName: 'id', AttributeType: 'S' }]],
        ]),
      );
    });

    test('TTL: expiresAt on the sign-up guard table, expiration on the idempotency table', () => {
      const ttl = tables().map(([id, t]) => [id.replace(/[0-9A-F]{8}$/, ''), t.Properties.TimeToLiveSpecification]);
      expect(Object.fromEntries(ttl)).toEqual({
        TablesTenantTable: undefined,
        TablesSignupGuardTable: { AttributeName: 'expiresAt', Enabled: true },
        TablesIdempotencyTable: { AttributeName: 'expiration', Enabled: true },
      });
    });

    test('the tenant table is deletion-protected and retained', () => {
      const [, tenant] = tables().find(([id]) => id.startsWith('TablesTenantTable'))!;
      expect(tenant.DeletionPolicy).toBe('Retain');
      expect(tenant.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    });
  });

  describe('Lambda functions', () => {
    test.each(PLATFORM_FUNCTIONS)('%s runs Node.js 24 on arm64 from its bundled handler', (fn) => {
      expect(functionOf(fn)[1].Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
    });

    test.each(PLATFORM_FUNCTIONS)('%s gets exactly the variables FUNCTION_ENV_KEYS declares (plus the source-map flag)', (fn) => {
      const variables = functionOf(fn)[1].Properties.Environment.Variables;
      const expected = [...FUNCTION_ENV_KEYS[fn].map((k) => FUNCTION_ENV[k]), ...Object.keys(SOURCE_MAP_NODE_OPTIONS)].sort();
      expect(Object.keys(variables).sort()).toEqual(expected);
      expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
    });

    test.each(PLATFORM_FUNCTIONS)('%s logs to its own group with the configured retention', (fn) => {
      const [, f] = functionOf(fn);
      const groupId = f.Properties.LoggingConfig.LogGroup.Ref;
      expect((template.findResources('AWS::Logs::LogGroup') as any)[groupId].Properties).toEqual({
        LogGroupName: `/aws/lambda/openclaw-${fn}`,
        RetentionInDays: 90,
        Tags: expect.anything(),
      });
    });

    test("bundling: the lambdas package's options, minified with source maps, only unreachable credential providers external", () => {
      expect(PLATFORM_FUNCTION_BUNDLING).toMatchObject({
        minify: true,
        sourceMap: true,
        format: 'cjs',
        mainFields: ['module', 'main'],
        forceDockerBundling: false,
      });
      expect(PLATFORM_FUNCTION_BUNDLING.externalModules?.every((m) => /credential-provider|nested-clients/.test(m))).toBe(true);
    });

    test('Cognito triggers time out within the 5 seconds Cognito waits', () => {
      for (const fn of ['pre-signup', 'post-confirmation'] as const) expect(functionOf(fn)[1].Properties.Timeout).toBeLessThanOrEqual(5);
    });

    test('every function has an error alarm on the alerts topic', () => {
      for (const fn of PLATFORM_FUNCTIONS) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'Errors',
          Namespace: 'AWS/Lambda',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionOf(fn)[0] } }],
          AlarmActions: [Match.anyValue()],
        });
      }
    });
  });

  describe('tenant job queues', () => {
    const queues = () => resourcesOf(template, 'AWS::SQS::Queue');

    test('provisioning and offboarding queues each have a DLQ after 5 receives', () => {
      const withDlq = queues().filter(([, q]) => q.Properties.RedrivePolicy);
      expect(withDlq).toHaveLength(2);
      for (const [, q] of withDlq) expect(q.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
    });

    test('all four queues are encrypted and refuse non-TLS access', () => {
      for (const [, q] of queues()) expect(q.Properties.SqsManagedSseEnabled).toBe(true);
      expect(resourcesOf(template, 'AWS::SQS::QueuePolicy')).toHaveLength(4);
      for (const [, p] of resourcesOf(template, 'AWS::SQS::QueuePolicy')) {
        expect(p.Properties.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
      }
    });

    test('a message in a DLQ raises an alarm on the alerts topic', () => {
      const dlqs = queues().filter(([id]) => /DeadLetterQueue/.test(id));
      for (const [dlqId] of dlqs) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions: [Match.anyValue()],
        });
      }
    });

    test('the provisioner and offboarder consume their queue with partial batch failures', () => {
      for (const [fn, queue] of [
        ['provisioner', 'ProvisioningQueue'],
        ['offboarder', 'OffboardingQueue'],
      ] as const) {
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          FunctionName: { Ref: functionOf(fn)[0] },
          EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${queue}(?!DeadLetter)`), 'Arn'] },
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        });
      }
    });
  });

  test('the cost enforcer runs daily on an EventBridge schedule', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(15 6 * * ? *)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionOf('cost-enforcer')[0], 'Arn'] } })],
    });
  });

  describe('least privilege', () => {
    test('PostConfirmation may update user attributes of this pool only, through a policy attached after the pool exists', () => {
      const [, policy] = resourcesOf(template, 'AWS::IAM::Policy').find(([id]) => id.startsWith('IdentityRecordTenantIdPolicy'))!;
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        {
          Sid: 'RecordTenantIdOnUser',
          Effect: 'Allow',
          Action: 'cognito-idp:AdminUpdateUserAttributes',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^IdentityUserPool/), 'Arn'] },
        },
      ]);
      const [, fn] = functionOf('post-confirmation');
      expect(policy.Properties.Roles).toContainEqual({ Ref: fn.Properties.Role['Fn::GetAtt'][0] });
      expect(asArray(fn.DependsOn)).not.toContain(expect.stringMatching(/^IdentityRecordTenantIdPolicy/));
    });

    test('the provisioner may record a moved tenant id on users of this pool only, through a policy attached after the pool exists', () => {
      // The same policy as PostConfirmation's: one statement, attached to both roles.
      const [, policy] = resourcesOf(template, 'AWS::IAM::Policy').find(([id]) => id.startsWith('IdentityRecordTenantIdPolicy'))!;
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        {
          Sid: 'RecordTenantIdOnUser',
          Effect: 'Allow',
          Action: 'cognito-idp:AdminUpdateUserAttributes',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^IdentityUserPool/), 'Arn'] },
        },
      ]);
      expect(policy.Properties.Roles).toContainEqual({ Ref: functionOf('provisioner')[1].Properties.Role['Fn::GetAtt'][0] });
    });

    test('the provisioner creates inference profiles only as application profiles of the catalog models, with both tenant tags and no others', () => {
      const statements = statementsOf('provisioner');
      const appProfiles = 'arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/*';
      expect(statements.find((s) => s.Sid === 'CreateTenantInferenceProfiles')).toEqual({
        Sid: 'CreateTenantInferenceProfiles',
        Effect: 'Allow',
        Action: ['bedrock:CreateInferenceProfile', 'bedrock:TagResource'],
        Resource: [
          'arn:aws:bedrock:*::foundation-model/anthropic.claude-opus-4-6-v1',
          'arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-6',
          appProfiles,
          'arn:aws:bedrock:us-east-1:111111111111:inference-profile/us.anthropic.claude-opus-4-6-v1',
          'arn:aws:bedrock:us-east-1:111111111111:inference-profile/us.anthropic.claude-sonnet-4-6',
          'arn:aws:bedrock:us-east-1::foundation-model/deepseek.v3.2',
        ],
        Condition: {
          StringLike: { 'aws:RequestTag/tenant-namespace': 'openclaw-*' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenant', 'tenant-namespace'] },
          Null: { 'aws:RequestTag/tenant': 'false' },
        },
      });
      expect(statements.find((s) => s.Sid === 'ReadTenantInferenceProfileTags')).toEqual({
        Sid: 'ReadTenantInferenceProfileTags',
        Effect: 'Allow',
        Action: 'bedrock:ListTagsForResource',
        Resource: appProfiles,
      });
      expect(statements.find((s) => s.Sid === 'ListInferenceProfiles')).toMatchObject({
        Action: 'bedrock:ListInferenceProfiles',
        Resource: '*',
      });
      const bedrockActions = statements.flatMap((s) => asArray(s.Action)).filter((a: string) => a.startsWith('bedrock:'));
      expect(bedrockActions.sort()).toEqual([
        'bedrock:CreateInferenceProfile',
        'bedrock:ListInferenceProfiles',
        'bedrock:ListTagsForResource',
        'bedrock:TagResource',
      ]);
    });

    test('the offboarder deletes only application profiles carrying a tenant-namespace tag, and reads their tags', () => {
      const statements = statementsOf('offboarder');
      const appProfiles = 'arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/*';
      expect(statements.find((s) => s.Sid === 'DeleteTenantInferenceProfiles')).toEqual({
        Sid: 'DeleteTenantInferenceProfiles',
        Effect: 'Allow',
        Action: 'bedrock:DeleteInferenceProfile',
        Resource: appProfiles,
        Condition: { StringLike: { 'aws:ResourceTag/tenant-namespace': 'openclaw-*' } },
      });
      expect(statements.find((s) => s.Sid === 'ReadTenantInferenceProfileTags')).toEqual({
        Sid: 'ReadTenantInferenceProfileTags',
        Effect: 'Allow',
        Action: 'bedrock:ListTagsForResource',
        Resource: appProfiles,
      });
      const bedrockActions = statements.flatMap((s) => asArray(s.Action)).filter((a: string) => a.startsWith('bedrock:'));
      expect(bedrockActions.sort()).toEqual([
        'bedrock:DeleteInferenceProfile',
        'bedrock:ListInferenceProfiles',
        'bedrock:ListTagsForResource',
      ]);
    });

    test('the offboarder schedules only restorable deletions of tenant secrets, and removes only tenant associations', () => {
      const statements = statementsOf('offboarder');
      expect(statements.find((s) => s.Sid === 'ScheduleTenantSecretDeletion')).toEqual({
        Sid: 'ScheduleTenantSecretDeletion',
        Effect: 'Allow',
        Action: 'secretsmanager:DeleteSecret',
        Resource: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:openclaw/tenants/*',
        Condition: {
          StringLike: { 'secretsmanager:ResourceTag/tenant-namespace': 'openclaw-*' },
          Bool: { 'secretsmanager:ForceDeleteWithoutRecovery': 'false' },
          NumericGreaterThanEquals: { 'secretsmanager:RecoveryWindowInDays': '30' },
        },
      });
      expect(statements.filter((s) => asArray(s.Action).includes('secretsmanager:DeleteSecret'))).toHaveLength(1);
      expect(statements.find((s) => s.Sid === 'RemoveTenantAssociations')).toMatchObject({
        Action: 'eks:DeletePodIdentityAssociation',
        Condition: { StringLike: { 'aws:ResourceTag/tenant-namespace': 'openclaw-*' } },
      });
      expect(statements.filter((s) => asArray(s.Action).includes('eks:DeletePodIdentityAssociation'))).toHaveLength(1);
    });

    test('the cost enforcer only reads metrics and lists profiles (neither has resource-level permissions)', () => {
      const bedrockOrMetrics = statementsOf('cost-enforcer').filter((s) =>
        asArray(s.Action).some((a: string) => a.startsWith('bedrock:') || a.startsWith('cloudwatch:')),
      );
      expect(bedrockOrMetrics).toEqual([
        {
          Sid: 'ReadBedrockUsageMetrics',
          Effect: 'Allow',
          Action: ['bedrock:ListInferenceProfiles', 'cloudwatch:GetMetricData'],
          Resource: '*',
        },
      ]);
    });

    test('the provisioner may pass only the tenant role, and only to EKS Pod Identity', () => {
      expect(statementsOf('provisioner').find((s) => s.Sid === 'PassTenantRoleToPodIdentity')).toEqual({
        Sid: 'PassTenantRoleToPodIdentity',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'openclaw-cluster' }) },
        Condition: { StringEquals: { 'iam:PassedToService': 'pods.eks.amazonaws.com' } },
      });
    });

    test('the provisioner creates secrets only under openclaw/tenants/ and only with the tenant tags', () => {
      expect(statementsOf('provisioner').find((s) => s.Sid === 'CreateTaggedTenantSecrets')).toMatchObject({
        Action: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
        Resource: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:openclaw/tenants/*',
        Condition: {
          StringLike: { 'aws:RequestTag/tenant-namespace': 'openclaw-*' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenant', 'tenant-namespace'] },
        },
      });
    });

    test('the provisioner describes an existing association (to check its role) before adopting it', () => {
      expect(statementsOf('provisioner').find((s) => s.Sid === 'DescribeTenantAssociations')).toEqual({
        Sid: 'DescribeTenantAssociations',
        Effect: 'Allow',
        Action: 'eks:DescribePodIdentityAssociation',
        Resource: 'arn:aws:eks:eu-west-1:111111111111:podidentityassociation/openclaw/*',
      });
    });

    test('Pod Identity association actions are scoped to this cluster and its associations', () => {
      const eks = [...statementsOf('provisioner'), ...statementsOf('offboarder')].filter((s) =>
        asArray(s.Action).some((a: string) => a.startsWith('eks:')),
      );
      for (const s of eks) {
        for (const r of asArray(s.Resource)) {
          expect(r).toMatch(/^arn:aws:eks:eu-west-1:111111111111:(cluster\/openclaw|podidentityassociation\/openclaw\/\*)$/);
        }
      }
    });

    test('the Git credential is readable by name only by the functions that push to Git', () => {
      for (const fn of PLATFORM_FUNCTIONS) {
        const reads = statementsOf(fn).filter((s) => s.Sid === 'ReadGitCredentials');
        if (FUNCTION_ENV_KEYS[fn].includes('gitCredentialsSecret')) {
          expect(reads).toEqual([
            expect.objectContaining({
              Resource: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:openclaw/platform/gitops-credentials-??????',
            }),
          ]);
        } else {
          expect(reads).toEqual([]);
        }
      }
    });

    test('"*" resources appear only for actions without resource-level permissions', () => {
      const allowedOnStar = new Set([
        'cloudwatch:GetMetricData',
        'bedrock:ListInferenceProfiles',
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
      ]);
      for (const fn of PLATFORM_FUNCTIONS) {
        for (const s of statementsOf(fn).filter((st) => st.Effect === 'Allow' && st.Resource === '*')) {
          for (const action of asArray(s.Action)) expect(allowedOnStar).toContain(action);
        }
      }
    });

    test('functions told a queue URL may send to that queue; those told the topic may publish', () => {
      for (const fn of PLATFORM_FUNCTIONS) {
        const actions = statementsOf(fn).flatMap((s) => asArray(s.Action));
        expect(actions.includes('sqs:SendMessage')).toBe(FUNCTION_ENV_KEYS[fn].some((k) => k.endsWith('QueueUrl')));
        expect(actions.includes('sns:Publish')).toBe(FUNCTION_ENV_KEYS[fn].includes('alertsTopicArn'));
      }
    });

    test('PreSignUp only reads the tenant table', () => {
      const tenantTableActions = statementsOf('pre-signup')
        .filter((s) => JSON.stringify(s.Resource).includes('TablesTenantTable'))
        .flatMap((s) => asArray(s.Action));
      expect(tenantTableActions.length).toBeGreaterThan(0);
      expect(tenantTableActions.filter((a: string) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
    });
  });
});
