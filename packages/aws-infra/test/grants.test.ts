import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import {
  GitCredentialsSecret,
  PlatformTables,
  TenantInferenceProfiles,
  TenantOutputLogs,
  TenantPodIdentityAssociations,
  TenantSecrets,
  TenantUserPool,
} from '../src';
import { asArray, resourcesOf, testApp } from './support/platform';

const env = { account: '111111111111', region: 'eu-west-1' };
const BREAK_GLASS = 'arn:aws:iam::111111111111:role/openclaw-break-glass';
const TENANT_SECRETS = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:openclaw/tenants/*';
const CLUSTER = 'arn:aws:eks:eu-west-1:111111111111:cluster/openclaw';
const ASSOCIATIONS = 'arn:aws:eks:eu-west-1:111111111111:podidentityassociation/openclaw/*';
const APPLICATION_PROFILES = 'arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/*';
const OUTPUT_LOG_GROUP = 'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/containerinsights/openclaw/application';
/** Both tenant tags on the request, no other tag keys. */
const TENANT_REQUEST_TAGS = {
  StringLike: { 'aws:RequestTag/tenant-namespace': 'openclaw-*' },
  'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenant', 'tenant-namespace'] },
};

/** A stack with the app's feature flags, a role to grant to and one that is granted nothing. */
function fixture() {
  const stack = new Stack(testApp(), 'Grants', { env });
  const role = (id: string) => new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { stack, grantee: role('Grantee'), other: role('Other') };
}

/** Every statement of every policy attached to `role`, the default policy and policies of their own alike. */
function statementsOf(template: Template, role: iam.Role): any[] {
  const roleId = Stack.of(role).getLogicalId(role.node.defaultChild as iam.CfnRole);
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

const bySid = (statements: any[], sid: string) => statements.find((s) => s.Sid === sid);
const actionsOf = (statements: any[]) => statements.flatMap((s) => asArray(s.Action)).sort();

/** The cdk-nag rule ids acknowledged on `scope` itself. */
function acknowledgedOn(scope: IConstruct): string[] {
  return scope.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.keys(m.data as Record<string, string>))
    .map((id) => id.replace(/^annotation::/i, ''));
}

describe('TenantSecrets', () => {
  test('grantCreate: tenant secrets only, created only with the tenant request tags; describing and restoring them', () => {
    // GIVEN tenant secrets WHEN a role is granted creation
    const { stack, grantee, other } = fixture();
    new TenantSecrets(stack, 'TenantSecrets').grantCreate(grantee);
    const template = Template.fromStack(stack);
    // THEN creation and tagging need the tenant request tags
    const statements = statementsOf(template, grantee);
    expect(bySid(statements, 'CreateTaggedTenantSecrets')).toEqual({
      Sid: 'CreateTaggedTenantSecrets',
      Effect: 'Allow',
      Action: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
      Resource: TENANT_SECRETS,
      Condition: TENANT_REQUEST_TAGS,
    });
    expect(bySid(statements, 'InspectAndRestoreTenantSecrets')).toEqual({
      Sid: 'InspectAndRestoreTenantSecrets',
      Effect: 'Allow',
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:RestoreSecret'],
      Resource: TENANT_SECRETS,
    });
    // AND nothing else: no reading, no deleting; the wildcard is acknowledged on the grantee, the other role has nothing
    expect(statements).toHaveLength(2);
    expect(acknowledgedOn(grantee)).toEqual([`AwsSolutions-IAM5[Resource::${TENANT_SECRETS}]`]);
    expect(statementsOf(template, other)).toEqual([]);
    expect(acknowledgedOn(other)).toEqual([]);
  });

  test('grantScheduleDeletion: only a restorable deletion of a tenant-tagged secret, never forced, never a shorter window', () => {
    // GIVEN tenant secrets WHEN a role is granted deletion
    const { stack, grantee } = fixture();
    new TenantSecrets(stack, 'TenantSecrets').grantScheduleDeletion(grantee);
    const statements = statementsOf(Template.fromStack(stack), grantee);
    // THEN DeleteSecret needs the tenant-namespace tag, no forced deletion and the full recovery window
    expect(bySid(statements, 'ScheduleTenantSecretDeletion')).toEqual({
      Sid: 'ScheduleTenantSecretDeletion',
      Effect: 'Allow',
      Action: 'secretsmanager:DeleteSecret',
      Resource: TENANT_SECRETS,
      Condition: {
        StringLike: { 'secretsmanager:ResourceTag/tenant-namespace': 'openclaw-*' },
        Bool: { 'secretsmanager:ForceDeleteWithoutRecovery': 'false' },
        NumericGreaterThanEquals: { 'secretsmanager:RecoveryWindowInDays': '30' },
      },
    });
    // AND no statement allows DeleteSecret without that condition, or any other write
    expect(statements.filter((s) => asArray(s.Action).includes('secretsmanager:DeleteSecret'))).toHaveLength(1);
    expect(actionsOf(statements)).toEqual(['secretsmanager:DeleteSecret', 'secretsmanager:DescribeSecret']);
  });
});

describe('TenantPodIdentityAssociations', () => {
  const associations = (stack: Stack) =>
    new TenantPodIdentityAssociations(stack, 'Associations', {
      clusterName: 'openclaw',
      tenantRole: iam.Role.fromRoleArn(stack, 'TenantRole', 'arn:aws:iam::111111111111:role/tenant'),
    });

  test('grantAssociate: associations of this cluster only with both tenant request tags; the tenant role passed to Pod Identity only', () => {
    // GIVEN the cluster's associations WHEN a role is granted association
    const { stack, grantee, other } = fixture();
    associations(stack).grantAssociate(grantee);
    const template = Template.fromStack(stack);
    const statements = statementsOf(template, grantee);
    // THEN creation requires the tenant request tags, the tenant tag included
    expect(bySid(statements, 'AssociateTenantServiceAccounts')).toEqual({
      Sid: 'AssociateTenantServiceAccounts',
      Effect: 'Allow',
      Action: 'eks:CreatePodIdentityAssociation',
      Resource: CLUSTER,
      Condition: { ...TENANT_REQUEST_TAGS, Null: { 'aws:RequestTag/tenant': 'false' } },
    });
    expect(bySid(statements, 'TagTenantAssociations')).toEqual({
      Sid: 'TagTenantAssociations',
      Effect: 'Allow',
      Action: 'eks:TagResource',
      Resource: ASSOCIATIONS,
      Condition: TENANT_REQUEST_TAGS,
    });
    expect(bySid(statements, 'DescribeTenantAssociations')).toMatchObject({
      Action: 'eks:DescribePodIdentityAssociation',
      Resource: ASSOCIATIONS,
    });
    expect(bySid(statements, 'ListTenantServiceAccountAssociations')).toMatchObject({
      Action: 'eks:ListPodIdentityAssociations',
      Resource: CLUSTER,
    });
    // AND the tenant role is passed to EKS Pod Identity only
    expect(bySid(statements, 'PassTenantRoleToPodIdentity')).toEqual({
      Sid: 'PassTenantRoleToPodIdentity',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: 'arn:aws:iam::111111111111:role/tenant',
      Condition: { StringEquals: { 'iam:PassedToService': 'pods.eks.amazonaws.com' } },
    });
    expect(bySid(statements, 'GetTenantRoleForAssociation')).toMatchObject({
      Action: 'iam:GetRole',
      Resource: 'arn:aws:iam::111111111111:role/tenant',
    });
    // AND no association is deleted; the other role has nothing
    expect(actionsOf(statements)).not.toContain('eks:DeletePodIdentityAssociation');
    expect(statementsOf(template, other)).toEqual([]);
    expect(acknowledgedOn(grantee)).toEqual([`AwsSolutions-IAM5[Resource::${ASSOCIATIONS}]`]);
  });

  test('fails if an association may be created without the tenant request tags', () => {
    // GIVEN a granted role THEN every statement allowing CreatePodIdentityAssociation requires both tags and the tag key set
    const { stack, grantee } = fixture();
    associations(stack).grantAssociate(grantee);
    const creations = statementsOf(Template.fromStack(stack), grantee).filter((s) =>
      asArray(s.Action).includes('eks:CreatePodIdentityAssociation'),
    );
    expect(creations).toHaveLength(1);
    for (const s of creations) {
      expect(s.Condition.StringLike['aws:RequestTag/tenant-namespace']).toBe('openclaw-*');
      expect(s.Condition.Null['aws:RequestTag/tenant']).toBe('false');
      expect(s.Condition['ForAllValues:StringEquals']['aws:TagKeys']).toEqual(['tenant', 'tenant-namespace']);
    }
  });

  test("grantDisassociate: only associations tagged as a tenant's are deleted; nothing is created or passed", () => {
    const { stack, grantee } = fixture();
    associations(stack).grantDisassociate(grantee);
    const statements = statementsOf(Template.fromStack(stack), grantee);
    expect(bySid(statements, 'RemoveTenantAssociations')).toEqual({
      Sid: 'RemoveTenantAssociations',
      Effect: 'Allow',
      Action: 'eks:DeletePodIdentityAssociation',
      Resource: ASSOCIATIONS,
      Condition: { StringLike: { 'aws:ResourceTag/tenant-namespace': 'openclaw-*' } },
    });
    expect(bySid(statements, 'ListTenantAssociations')).toMatchObject({ Action: 'eks:ListPodIdentityAssociations', Resource: CLUSTER });
    expect(actionsOf(statements)).toEqual(['eks:DeletePodIdentityAssociation', 'eks:ListPodIdentityAssociations']);
  });
});

describe('TenantInferenceProfiles', () => {
  const profiles = (stack: Stack) =>
    new TenantInferenceProfiles(stack, 'Profiles', {
      bedrockRegion: 'us-east-1',
      modelIds: ['us.anthropic.claude-sonnet-4-6', 'deepseek.v3.2'],
    });
  const CROSS_REGION_MODEL = 'arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-6';

  test('grantCreate: application profiles of the catalog models only, with both tenant tags and no others; finding one by name', () => {
    // GIVEN the tenants' profiles WHEN a role is granted creation
    const { stack, grantee, other } = fixture();
    profiles(stack).grantCreate(grantee);
    const template = Template.fromStack(stack);
    const statements = statementsOf(template, grantee);
    // THEN creation is of application profiles copied from the catalog models, with the tenant request tags
    expect(bySid(statements, 'CreateTenantInferenceProfiles')).toEqual({
      Sid: 'CreateTenantInferenceProfiles',
      Effect: 'Allow',
      Action: ['bedrock:CreateInferenceProfile', 'bedrock:TagResource'],
      Resource: [
        CROSS_REGION_MODEL,
        APPLICATION_PROFILES,
        'arn:aws:bedrock:us-east-1:111111111111:inference-profile/us.anthropic.claude-sonnet-4-6',
        'arn:aws:bedrock:us-east-1::foundation-model/deepseek.v3.2',
      ],
      Condition: { ...TENANT_REQUEST_TAGS, Null: { 'aws:RequestTag/tenant': 'false' } },
    });
    expect(bySid(statements, 'ReadTenantInferenceProfileTags')).toEqual({
      Sid: 'ReadTenantInferenceProfileTags',
      Effect: 'Allow',
      Action: 'bedrock:ListTagsForResource',
      Resource: APPLICATION_PROFILES,
    });
    expect(bySid(statements, 'ListInferenceProfiles')).toMatchObject({ Action: 'bedrock:ListInferenceProfiles', Resource: '*' });
    // AND no deletion and no invocation; the other role has nothing
    expect(actionsOf(statements)).toEqual([
      'bedrock:CreateInferenceProfile',
      'bedrock:ListInferenceProfiles',
      'bedrock:ListTagsForResource',
      'bedrock:TagResource',
    ]);
    expect(statementsOf(template, other)).toEqual([]);
    // AND each wildcard is acknowledged on the grantee
    expect(acknowledgedOn(grantee).sort()).toEqual(
      [
        `AwsSolutions-IAM5[Resource::${APPLICATION_PROFILES}]`,
        `AwsSolutions-IAM5[Resource::${CROSS_REGION_MODEL}]`,
        'AwsSolutions-IAM5[Resource::*]',
      ].sort(),
    );
  });

  test('grantDelete: only profiles carrying a tenant-namespace tag; never creating or tagging one', () => {
    const { stack, grantee } = fixture();
    profiles(stack).grantDelete(grantee);
    const statements = statementsOf(Template.fromStack(stack), grantee);
    expect(bySid(statements, 'DeleteTenantInferenceProfiles')).toEqual({
      Sid: 'DeleteTenantInferenceProfiles',
      Effect: 'Allow',
      Action: 'bedrock:DeleteInferenceProfile',
      Resource: APPLICATION_PROFILES,
      Condition: { StringLike: { 'aws:ResourceTag/tenant-namespace': 'openclaw-*' } },
    });
    expect(actionsOf(statements)).toEqual([
      'bedrock:DeleteInferenceProfile',
      'bedrock:ListInferenceProfiles',
      'bedrock:ListTagsForResource',
    ]);
  });

  test('grantReadUsage: token metrics and the profile list, both without resource-level permissions, and nothing else', () => {
    const { stack, grantee } = fixture();
    profiles(stack).grantReadUsage(grantee);
    expect(statementsOf(Template.fromStack(stack), grantee)).toEqual([
      {
        Sid: 'ReadBedrockUsageMetrics',
        Effect: 'Allow',
        Action: ['bedrock:ListInferenceProfiles', 'cloudwatch:GetMetricData'],
        Resource: '*',
      },
    ]);
    expect(acknowledgedOn(grantee)).toEqual(['AwsSolutions-IAM5[Resource::*]']);
  });
});

describe('TenantUserPool grants', () => {
  function pool(stack: Stack) {
    const trigger = (id: string) =>
      new lambda.Function(stack, id, {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async (e) => e;'),
      });
    const postConfirmation = trigger('PostConfirmation');
    return {
      postConfirmation,
      userPool: new TenantUserPool(stack, 'Pool', {
        selfSignUpEnabled: true,
        mfa: 'optional',
        preSignUp: trigger('PreSignUp'),
        postConfirmation,
      }),
    };
  }
  const poolArn = { 'Fn::GetAtt': [expect.stringMatching(/^PoolUserPool/), 'Arn'] };

  test('grantRecordTenantId: one policy of its own, attached to every role granted, so a trigger can be granted without a cycle', () => {
    // GIVEN a pool WHEN its own trigger and another role are granted
    const { stack, grantee, other } = fixture();
    const { postConfirmation, userPool } = pool(stack);
    userPool.grantRecordTenantId(postConfirmation);
    userPool.grantRecordTenantId(grantee);
    // THEN the stack synthesizes (no circular dependency) and one policy holds the statement
    const template = Template.fromStack(stack);
    const policies = resourcesOf(template, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('PoolRecordTenantIdPolicy'));
    expect(policies).toHaveLength(1);
    const [policyId, policy] = policies[0]!;
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Sid: 'RecordTenantIdOnUser', Effect: 'Allow', Action: 'cognito-idp:AdminUpdateUserAttributes', Resource: poolArn },
    ]);
    const roleRef = (role: iam.IRole) => ({ Ref: stack.getLogicalId((role as iam.Role).node.defaultChild as iam.CfnRole) });
    expect(policy.Properties.Roles).toEqual([roleRef(postConfirmation.role!), roleRef(grantee)]);
    // AND not in the trigger's default policy, on which the function depends
    const [, fn] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('PostConfirmation'))!;
    expect(asArray(fn.DependsOn ?? [])).not.toContain(policyId);
    expect(actionsOf(statementsOf(template, other))).toEqual([]);
  });

  test('grantRevokeAccess: disabling and global sign-out of users of this pool, neither deleting nor editing them', () => {
    const { stack, grantee } = fixture();
    pool(stack).userPool.grantRevokeAccess(grantee);
    expect(statementsOf(Template.fromStack(stack), grantee)).toEqual([
      {
        Sid: 'RevokeOffboardedOwner',
        Effect: 'Allow',
        Action: ['cognito-idp:AdminDisableUser', 'cognito-idp:AdminUserGlobalSignOut'],
        Resource: poolArn,
      },
    ]);
  });

  test('fails if the grantee is no role (the policy is attached to a role)', () => {
    const { stack } = fixture();
    expect(() => pool(stack).userPool.grantRevokeAccess(new iam.AccountRootPrincipal())).toThrow(
      "RevokeAccessPolicy: the grantee's principal must be a role, to attach a policy to",
    );
  });
});

describe('TenantOutputLogs.grantEraseStreams', () => {
  test('describing and deleting streams of the container output log group only; no event is read, the key is not used', () => {
    // GIVEN the container output log group WHEN a role is granted erasure
    const { stack, grantee } = fixture();
    const output = new TenantOutputLogs(stack, 'Output', {
      logGroup: new logs.LogGroup(stack, 'Group', { logGroupName: '/aws/containerinsights/openclaw/application' }),
      breakGlassRoleArn: BREAK_GLASS,
    });
    output.grantEraseStreams(grantee);
    const statements = statementsOf(Template.fromStack(stack), grantee);
    // THEN the statement names the group by its literal ARN (no reference) and its streams
    expect(statements).toEqual([
      {
        Sid: 'EraseTenantContainerOutput',
        Effect: 'Allow',
        Action: ['logs:DeleteLogStream', 'logs:DescribeLogStreams'],
        Resource: [OUTPUT_LOG_GROUP, `${OUTPUT_LOG_GROUP}:log-stream:*`],
      },
    ]);
    expect(actionsOf(statements).filter((a: string) => /GetLogEvents|FilterLogEvents|StartQuery|^kms:/.test(a))).toEqual([]);
    expect(acknowledgedOn(grantee)).toEqual([`AwsSolutions-IAM5[Resource::${OUTPUT_LOG_GROUP}:log-stream:*]`]);
  });
});

describe('GitCredentialsSecret.grantRead', () => {
  test('the value of that one secret by name, not even DescribeSecret', () => {
    const { stack, grantee } = fixture();
    new GitCredentialsSecret(stack, 'Git', { secretName: 'openclaw/platform/gitops-credentials' }).grantRead(grantee);
    expect(statementsOf(Template.fromStack(stack), grantee)).toEqual([
      {
        Sid: 'ReadGitCredentials',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:openclaw/platform/gitops-credentials-??????',
      },
    ]);
  });
});

describe('PlatformTables grants', () => {
  test('grantReadData writes nothing and needs no acknowledgement; grantReadWriteData acknowledges the key wildcards on the grantee', () => {
    const { stack, grantee, other } = fixture();
    const tables = new PlatformTables(stack, 'Tables', { key: new kms.Key(stack, 'Key') });
    tables.grantReadData(other, 'tenantTable');
    tables.grantReadWriteData(grantee, 'signupGuardTable');
    const template = Template.fromStack(stack);
    expect(
      actionsOf(statementsOf(template, other)).filter((a: string) => /Put|Update|Delete|Write|Encrypt|GenerateDataKey/.test(a)),
    ).toEqual([]);
    expect(acknowledgedOn(other)).toEqual([]);
    expect(actionsOf(statementsOf(template, grantee))).toContain('dynamodb:PutItem');
    expect(acknowledgedOn(grantee).sort()).toEqual([
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
    ]);
  });
});
