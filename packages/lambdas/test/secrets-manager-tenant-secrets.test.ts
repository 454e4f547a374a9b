import './support/aws-test-env';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { FUNCTION_ENV, FUNCTION_ENV_KEYS, tenantNames } from '@openclaw-tenancy/shared';
import { SecretsManagerTenantSecrets } from '../src/adapters/secrets-manager-tenant-secrets';
import { provisionerDepsFromEnv } from '../src/wiring/provisioner-wiring';
import { PLATFORM_CONFIG } from './support/gitops-remote';

const KEY_ID = '0d6d3c1e-5c43-4c4b-9a55-2f6c1d3f3e7a';
const KEY_ARN = `arn:aws:kms:eu-west-1:111111111111:key/${KEY_ID}`;
const OTHER_KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/7e0a2f44-1b6e-4f0e-8a7d-0c4a9b2d5e61';
const names = tenantNames('jane');
const SPEC = {
  secretId: names.secretId('gateway'),
  tags: { tenant: 'jane', 'tenant-namespace': names.namespace },
  initialValue: '{"password":"p"}',
};
const TAGS = [
  { Key: 'tenant', Value: 'jane' },
  { Key: 'tenant-namespace', Value: names.namespace },
];
const notFound = () => new ResourceNotFoundException({ message: 'not found', $metadata: {} });

describe('SecretsManagerTenantSecrets: the tenant secrets key', () => {
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => {
    sm.reset();
    sm.on(CreateSecretCommand).resolves({});
    sm.on(UpdateSecretCommand).resolves({});
    sm.on(TagResourceCommand).resolves({});
    sm.on(RestoreSecretCommand).resolves({});
  });

  it('creates a new secret on the configured key (KmsKeyId is the key ARN)', async () => {
    sm.on(DescribeSecretCommand).rejects(notFound());
    const secrets = new SecretsManagerTenantSecrets(new SecretsManagerClient({}), { encryptionKeyArn: KEY_ARN });
    await expect(secrets.ensure(SPEC)).resolves.toBe('created');
    expect(sm.commandCalls(CreateSecretCommand).map((c) => c.args[0].input)).toEqual([
      { Name: SPEC.secretId, SecretString: SPEC.initialValue, KmsKeyId: KEY_ARN, Tags: TAGS },
    ]);
    expect(sm.commandCalls(UpdateSecretCommand)).toHaveLength(0);
  });

  it('without a key, sends no KmsKeyId (the AWS managed key)', async () => {
    sm.on(DescribeSecretCommand).rejects(notFound());
    await new SecretsManagerTenantSecrets(new SecretsManagerClient({})).ensure(SPEC);
    expect(sm.commandCalls(CreateSecretCommand)[0]!.args[0].input).not.toHaveProperty('KmsKeyId');
  });

  it('moves an existing secret on the AWS managed key to the configured key, value untouched', async () => {
    sm.on(DescribeSecretCommand).resolves({ Name: SPEC.secretId, Tags: TAGS });
    const secrets = new SecretsManagerTenantSecrets(new SecretsManagerClient({}), { encryptionKeyArn: KEY_ARN });
    await expect(secrets.ensure(SPEC)).resolves.toBe('existed');
    expect(sm.commandCalls(UpdateSecretCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: SPEC.secretId, KmsKeyId: KEY_ARN }]);
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });

  it('moves an existing secret on another customer-managed key', async () => {
    sm.on(DescribeSecretCommand).resolves({ Name: SPEC.secretId, Tags: TAGS, KmsKeyId: OTHER_KEY_ARN });
    await new SecretsManagerTenantSecrets(new SecretsManagerClient({}), { encryptionKeyArn: KEY_ARN }).ensure(SPEC);
    expect(sm.commandCalls(UpdateSecretCommand).map((c) => c.args[0].input.KmsKeyId)).toEqual([KEY_ARN]);
  });

  it.each([KEY_ARN, KEY_ID])('leaves a secret already on the key alone (DescribeSecret gave %s)', async (described) => {
    sm.on(DescribeSecretCommand).resolves({ Name: SPEC.secretId, Tags: TAGS, KmsKeyId: described });
    await new SecretsManagerTenantSecrets(new SecretsManagerClient({}), { encryptionKeyArn: KEY_ARN }).ensure(SPEC);
    expect(sm.commandCalls(UpdateSecretCommand)).toHaveLength(0);
    expect(sm.commandCalls(TagResourceCommand)).toHaveLength(0);
  });

  it('restores a secret scheduled for deletion before moving it (a deleted secret cannot be updated)', async () => {
    sm.on(DescribeSecretCommand).resolves({ Name: SPEC.secretId, Tags: TAGS, DeletedDate: new Date('2026-11-01T00:00:00Z') });
    await expect(new SecretsManagerTenantSecrets(new SecretsManagerClient({}), { encryptionKeyArn: KEY_ARN }).ensure(SPEC)).resolves.toBe(
      'restored',
    );
    const order = sm.calls().map((c) => c.args[0].constructor.name);
    expect(order.indexOf('RestoreSecretCommand')).toBeGreaterThan(-1);
    expect(order.indexOf('UpdateSecretCommand')).toBeGreaterThan(order.indexOf('RestoreSecretCommand'));
  });

  it('the provisioner wiring creates tenant secrets on the key named by its environment', async () => {
    expect(FUNCTION_ENV_KEYS.provisioner).toContain('tenantSecretsKeyArn');
    const env: NodeJS.ProcessEnv = {
      [FUNCTION_ENV.tenantTable]: 'openclaw-tenants',
      [FUNCTION_ENV.idempotencyTable]: 'openclaw-idempotency',
      [FUNCTION_ENV.provisioningQueueUrl]: 'https://sqs.eu-west-1.amazonaws.com/111111111111/openclaw-provisioning',
      [FUNCTION_ENV.alertsTopicArn]: 'arn:aws:sns:eu-west-1:111111111111:openclaw-alerts',
      [FUNCTION_ENV.clusterName]: 'openclaw',
      [FUNCTION_ENV.tenantRoleArn]: 'arn:aws:iam::111111111111:role/openclaw-tenant',
      [FUNCTION_ENV.gitRepoUrl]: 'https://git.example.com/platform/gitops.git',
      [FUNCTION_ENV.gitCredentialsSecret]: 'openclaw/gitops-credentials',
      [FUNCTION_ENV.workspaceBaseUrl]: 'https://ai.example.com',
      [FUNCTION_ENV.tenantSecretsKeyArn]: KEY_ARN,
    };
    const bundled = globalThis as { __OPENCLAW_PLATFORM_CONFIG__?: unknown };
    bundled.__OPENCLAW_PLATFORM_CONFIG__ = PLATFORM_CONFIG;
    try {
      sm.on(DescribeSecretCommand).rejects(notFound());
      await provisionerDepsFromEnv(env).secrets.ensure(SPEC);
    } finally {
      delete bundled.__OPENCLAW_PLATFORM_CONFIG__;
    }
    expect(sm.commandCalls(CreateSecretCommand)[0]!.args[0].input.KmsKeyId).toBe(KEY_ARN);
  });
});
