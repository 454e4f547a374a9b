import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { FUNCTION_ENV } from '@openclaw-tenancy/shared';
import {
  KEY_DESTRUCTION_DENY_SID,
  TENANT_SECRETS_KEY_DECRYPT_DENY_SID,
  TENANT_SECRETS_KEY_OUTSIDE_SECRETS_MANAGER_DENY_SID,
  TENANT_SECRETS_KEY_TENANT_DECRYPT_SID,
  TENANT_SECRET_WITHOUT_KEY_DENY_SID,
  TenantSecretsKey,
} from '../src';
import { SynthesizedPlatform, asArray, flattenJoin, resourcesOf, synthesizePlatform } from './support/platform';

const env = { account: '111111111111', region: 'eu-west-1' };
const SECRETS_MANAGER = 'secretsmanager.eu-west-1.amazonaws.com';
/** Tenant secrets' ARN pattern, the partition a token in an environment-agnostic fixture. */
const TENANT_SECRETS = /^arn:(aws|<token>):secretsmanager:eu-west-1:111111111111:secret:openclaw\/tenants\/\*$/;
const USE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];
const BREAK_GLASS = 'arn:aws:iam::111111111111:role/openclaw-break-glass';

/**
 * What is wrong with a tenant secrets key policy: an Allow to anybody but the
 * account root that is not bound to Secrets Manager and tenant secrets, a
 * missing deny of every use outside Secrets Manager, or a missing deny of
 * decryption to all but named principals.
 */
function tenantSecretsKeyFindings(keyPolicy: { Statement: any[] }): string[] {
  const findings: string[] = [];
  const deny = keyPolicy.Statement.find(
    (s) =>
      s.Effect === 'Deny' &&
      s.Principal?.AWS === '*' &&
      s.Condition?.StringNotEquals?.['kms:ViaService'] === SECRETS_MANAGER &&
      Object.keys(s.Condition).length === 1,
  );
  if (!deny) findings.push('no deny of key use outside Secrets Manager');
  else
    for (const a of USE_ACTIONS) if (!asArray(deny.Action).includes(a)) findings.push(`the outside-Secrets-Manager deny leaves ${a} out`);
  const decryptDeny = keyPolicy.Statement.find(
    (s) =>
      s.Effect === 'Deny' &&
      s.Principal?.AWS === '*' &&
      asArray(s.Action).includes('kms:Decrypt') &&
      asArray(s.Action).includes('kms:ReEncrypt*') &&
      s.Condition?.ArnNotEquals?.['aws:PrincipalArn'],
  );
  if (!decryptDeny) findings.push('no deny of decryption to all but named principals');
  for (const s of keyPolicy.Statement.filter((st) => st.Effect === 'Allow')) {
    const isRoot = flattenJoin(s.Principal?.AWS ?? '').endsWith(':iam::111111111111:root');
    if (isRoot) continue;
    if (s.Condition?.StringEquals?.['kms:ViaService'] !== SECRETS_MANAGER)
      findings.push(`${s.Sid ?? 'an allow'} is not limited to Secrets Manager`);
    if (!TENANT_SECRETS.test(flattenJoin(s.Condition?.StringLike?.['kms:EncryptionContext:SecretARN'] ?? '')))
      findings.push(`${s.Sid ?? 'an allow'} is not limited to tenant secrets`);
    for (const a of asArray(s.Action) as string[]) if (a !== 'kms:Decrypt') findings.push(`${s.Sid ?? 'an allow'} grants ${a}`);
  }
  return findings;
}

/** The principals the decryption deny exempts. */
function decryptExempt(keyPolicy: { Statement: any[] }): unknown[] {
  return keyPolicy.Statement.find((s) => s.Sid === TENANT_SECRETS_KEY_DECRYPT_DENY_SID).Condition.ArnNotEquals['aws:PrincipalArn'];
}

function fixture(): { stack: Stack; tenantRole: iam.Role } {
  const stack = new Stack(new App(), 'Fixture', { env });
  return { stack, tenantRole: new iam.Role(stack, 'TenantRole', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com') }) };
}

describe('tenant secrets key', () => {
  describe('the construct', () => {
    test('the tenant role may decrypt through Secrets Manager, tenant secrets only; nobody may use the key outside Secrets Manager, and nobody else but the break-glass role may decrypt', () => {
      // GIVEN a tenant role WHEN the key is created for it
      const { stack, tenantRole } = fixture();
      new TenantSecretsKey(stack, 'TenantSecretsKey', { tenantRole, breakGlassRoleArn: BREAK_GLASS });
      const [, key] = resourcesOf(Template.fromStack(stack), 'AWS::KMS::Key')[0]!;
      // THEN the policy passes the checker, and names the tenant role and the deny by their sids
      expect(tenantSecretsKeyFindings(key.Properties.KeyPolicy)).toEqual([]);
      const statements = key.Properties.KeyPolicy.Statement;
      expect(statements.find((s: any) => s.Sid === TENANT_SECRETS_KEY_TENANT_DECRYPT_SID).Principal).toEqual({
        AWS: { 'Fn::GetAtt': [expect.stringMatching(/^TenantRole/), 'Arn'] },
      });
      expect(statements.find((s: any) => s.Sid === TENANT_SECRETS_KEY_OUTSIDE_SECRETS_MANAGER_DENY_SID)).toMatchObject({
        Effect: 'Deny',
        Resource: '*',
      });
      // AND only the tenant role and the break-glass role may decrypt (no creator granted yet)
      expect(decryptExempt(key.Properties.KeyPolicy)).toEqual([
        { 'Fn::GetAtt': [expect.stringMatching(/^TenantRole/), 'Arn'] },
        BREAK_GLASS,
      ]);
      expect(statements.find((s: any) => s.Sid === TENANT_SECRETS_KEY_DECRYPT_DENY_SID).Condition.Bool).toEqual({
        'aws:PrincipalIsAWSService': 'false',
      });
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
    });

    test('fails if a key lets the tenant role decrypt directly, leaves an action outside the deny, or has no deny', () => {
      const { stack, tenantRole } = fixture();
      const direct = new kms.Key(stack, 'Direct');
      direct.addToResourcePolicy(
        new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(tenantRole.roleArn)], actions: ['kms:Decrypt'], resources: ['*'] }),
      );
      const partial = new kms.Key(stack, 'Partial');
      partial.addToResourcePolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: { StringNotEquals: { 'kms:ViaService': SECRETS_MANAGER } },
        }),
      );
      const keys = Object.fromEntries(
        resourcesOf(Template.fromStack(stack), 'AWS::KMS::Key').map(([id, k]) => [
          id.replace(/[0-9A-F]{8}$/, ''),
          tenantSecretsKeyFindings(k.Properties.KeyPolicy),
        ]),
      );
      expect(keys.Direct).toEqual([
        'no deny of key use outside Secrets Manager',
        'no deny of decryption to all but named principals',
        'an allow is not limited to Secrets Manager',
        'an allow is not limited to tenant secrets',
      ]);
      expect(keys.Partial).toEqual([
        'the outside-Secrets-Manager deny leaves kms:Encrypt out',
        'the outside-Secrets-Manager deny leaves kms:GenerateDataKey* out',
        'the outside-Secrets-Manager deny leaves kms:ReEncrypt* out',
        'no deny of decryption to all but named principals',
      ]);
    });

    test('fails if the break-glass role is not a role ARN', () => {
      const { stack, tenantRole } = fixture();
      expect(
        () => new TenantSecretsKey(stack, 'TenantSecretsKey', { tenantRole, breakGlassRoleArn: 'arn:aws:iam::111111111111:user/glass' }),
      ).toThrow(
        'breakGlassRoleArn arn:aws:iam::111111111111:user/glass is not an IAM role ARN (arn:aws:iam::<account>:role/<name>); set security.breakGlassRoleArn',
      );
      expect(resourcesOf(Template.fromStack(stack), 'AWS::KMS::Key')).toEqual([]);
    });

    test('grantCreateTenantSecrets: data keys through Secrets Manager for tenant secrets, re-keying to this key only, and no tenant secret on another key', () => {
      // GIVEN a key and a creator role WHEN the creator is granted
      const { stack, tenantRole } = fixture();
      const secretsKey = new TenantSecretsKey(stack, 'TenantSecretsKey', { tenantRole, breakGlassRoleArn: BREAK_GLASS });
      const creator = new iam.Role(stack, 'Creator', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      secretsKey.grantCreateTenantSecrets(creator);
      const template = Template.fromStack(stack);
      const [keyId, key] = resourcesOf(template, 'AWS::KMS::Key')[0]!;
      // THEN the creator joins the principals that may decrypt
      expect(decryptExempt(key.Properties.KeyPolicy)).toEqual([
        { 'Fn::GetAtt': [expect.stringMatching(/^TenantRole/), 'Arn'] },
        { 'Fn::GetAtt': [expect.stringMatching(/^Creator/), 'Arn'] },
        BREAK_GLASS,
      ]);
      const statements: any[] = resourcesOf(template, 'AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
      const keyArn = { 'Fn::GetAtt': [keyId, 'Arn'] };
      // AND the key statement is bound to Secrets Manager and tenant secrets
      const kmsStatement = statements.find((s) => asArray(s.Action).includes('kms:GenerateDataKey'));
      expect(kmsStatement).toMatchObject({ Effect: 'Allow', Resource: keyArn });
      expect([...kmsStatement.Action].sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      expect(kmsStatement.Condition.StringEquals).toEqual({ 'kms:ViaService': SECRETS_MANAGER });
      expect(flattenJoin(kmsStatement.Condition.StringLike['kms:EncryptionContext:SecretARN'])).toMatch(TENANT_SECRETS);
      // AND UpdateSecret only when it names this key
      expect(statements.find((s) => s.Sid === 'MoveTenantSecretsToTenantSecretsKey')).toMatchObject({
        Effect: 'Allow',
        Action: 'secretsmanager:UpdateSecret',
        Condition: { ArnEquals: { 'secretsmanager:KmsKeyArn': keyArn } },
      });
      // AND CreateSecret on any other key (or none: the AWS managed key) is denied
      const deny = statements.find((s) => s.Sid === TENANT_SECRET_WITHOUT_KEY_DENY_SID);
      expect(deny).toMatchObject({
        Effect: 'Deny',
        Action: 'secretsmanager:CreateSecret',
        Condition: { ArnNotEquals: { 'secretsmanager:KmsKeyArn': keyArn } },
      });
      expect(flattenJoin(deny.Resource)).toMatch(TENANT_SECRETS);
    });
  });

  describe('in the platform', () => {
    let platform: SynthesizedPlatform;
    beforeAll(() => {
      platform = synthesizePlatform();
    });

    test("the control-plane stack holds the key, for the cluster stack's tenant role, decryptable only by it, the provisioner and the break-glass role, under the two-person guard", () => {
      const controlPlane = platform.template(platform.stacks.controlPlane);
      const [, key] = resourcesOf(controlPlane, 'AWS::KMS::Key').find(([, k]) => /tenant secrets/.test(k.Properties.Description))!;
      expect(tenantSecretsKeyFindings(key.Properties.KeyPolicy)).toEqual([]);
      const statements = key.Properties.KeyPolicy.Statement;
      const tenantRole = {
        'Fn::GetStackOutput': expect.objectContaining({ StackName: 'openclaw-cluster', OutputName: expect.stringMatching(/TenantRole/) }),
      };
      expect(statements.find((s: any) => s.Sid === TENANT_SECRETS_KEY_TENANT_DECRYPT_SID).Principal.AWS).toEqual(tenantRole);
      const provisioner = resourcesOf(controlPlane, 'AWS::Lambda::Function').find(
        ([, f]) => f.Properties.FunctionName === 'openclaw-provisioner',
      )![1];
      expect(decryptExempt(key.Properties.KeyPolicy)).toEqual([tenantRole, provisioner.Properties.Role, BREAK_GLASS]);
      expect(statements).toContainEqual(expect.objectContaining({ Sid: KEY_DESTRUCTION_DENY_SID }));
      expect(
        resourcesOf(platform.template(platform.stacks.data), 'AWS::KMS::Key').filter(([, k]) =>
          /tenant secrets/.test(k.Properties.Description),
        ),
      ).toEqual([]);
    });

    test('the provisioner is told the key (TENANT_SECRETS_KEY_ARN) and may create tenant secrets on it only; no other function gets it', () => {
      const controlPlane = platform.template(platform.stacks.controlPlane);
      const functions = resourcesOf(controlPlane, 'AWS::Lambda::Function').filter(([, f]) => f.Properties.Environment?.Variables);
      const withKey = functions.filter(([, f]) => FUNCTION_ENV.tenantSecretsKeyArn in f.Properties.Environment.Variables);
      expect(withKey.map(([, f]) => f.Properties.FunctionName)).toEqual(['openclaw-provisioner']);
      const keyArn = withKey[0]![1].Properties.Environment.Variables[FUNCTION_ENV.tenantSecretsKeyArn];
      expect(keyArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^TenantSecretsKey/), 'Arn'] });
      const roleId = withKey[0]![1].Properties.Role['Fn::GetAtt'][0];
      const statements: any[] = resourcesOf(controlPlane, 'AWS::IAM::Policy')
        .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
      const kmsStatement = statements.find((s) => s.Effect === 'Allow' && asArray(s.Action).includes('kms:GenerateDataKey'));
      expect(kmsStatement).toMatchObject({ Resource: keyArn, Condition: { StringEquals: { 'kms:ViaService': SECRETS_MANAGER } } });
      expect([...kmsStatement.Action].sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      expect(statements).toContainEqual(
        expect.objectContaining({
          Sid: TENANT_SECRET_WITHOUT_KEY_DENY_SID,
          Effect: 'Deny',
          Condition: { ArnNotEquals: { 'secretsmanager:KmsKeyArn': keyArn } },
        }),
      );
    });
  });
});
