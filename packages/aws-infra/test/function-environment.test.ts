import { FUNCTION_ENV, FUNCTION_ENV_KEYS, FunctionEnvKey, PLATFORM_FUNCTIONS } from '@openclaw-tenancy/shared';
import { functionEnvironment, functionEnvironmentValues } from '../src';
import { configWith } from './support/platform';

const resources = {
  tenantTableName: 'tenant-table',
  signupGuardTableName: 'guard-table',
  idempotencyTableName: 'idempotency-table',
  provisioningQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/provisioning',
  offboardingQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/offboarding',
  alertsTopicArn: 'arn:aws:sns:eu-west-1:111111111111:alerts',
  tenantRoleArn: 'arn:aws:iam::111111111111:role/tenant',
  identityIssuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
  userPoolClientId: '4d2jsl0qbl9k0u3t1ns3k3ns9a',
  tenantSecretsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/0d6d3c1e-5c43-4c4b-9a55-2f6c1d3f3e7a',
};

describe('function environment', () => {
  const config = configWith();
  const values = functionEnvironmentValues(config, resources);

  test.each(PLATFORM_FUNCTIONS)('%s gets every variable it declares and nothing else', (fn) => {
    // GIVEN the declared keys of the function WHEN its environment is built
    const environment = functionEnvironment(fn, values);
    // THEN the names are exactly FUNCTION_ENV of those keys, each with a non-empty value
    expect(Object.keys(environment).sort()).toEqual(FUNCTION_ENV_KEYS[fn].map((k) => FUNCTION_ENV[k]).sort());
    for (const value of Object.values(environment)) expect(value).not.toBe('');
  });

  test('there is a value for every variable any function may declare', () => {
    expect(Object.keys(values).sort()).toEqual((Object.keys(FUNCTION_ENV) as FunctionEnvKey[]).sort());
  });

  test('lists and objects are JSON, numbers and booleans are their string form', () => {
    expect(JSON.parse(values.allowedEmailDomains)).toEqual(['example.com']);
    expect(JSON.parse(values.budgetThresholdsPercent)).toEqual([80, 100]);
    expect(JSON.parse(values.modelPricing)).toEqual(config.models.catalog);
    expect(values.maxTenants).toBe('1000');
    expect(values.defaultMonthlyBudgetUsd).toBe('100');
    expect(values.suspendAtLimit).toBe('false');
    expect(values.refreshTokenRotation).toBe('false');
    expect(
      functionEnvironmentValues(
        configWith((raw) => (raw.signup.refreshTokenRotation = true)),
        resources,
      ).refreshTokenRotation,
    ).toBe('true');
  });

  test('values come from the config and the deployed resources', () => {
    expect(values).toMatchObject({
      clusterName: 'openclaw',
      gitRepoUrl: 'https://github.com/example-org/openclaw-platform.git',
      gitCredentialsSecret: 'openclaw/platform/gitops-credentials',
      workspaceBaseUrl: 'https://ai.example.com',
      identityIssuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      userPoolClientId: '4d2jsl0qbl9k0u3t1ns3k3ns9a',
      tenantTable: 'tenant-table',
      tenantRoleArn: 'arn:aws:iam::111111111111:role/tenant',
      tenantSecretsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/0d6d3c1e-5c43-4c4b-9a55-2f6c1d3f3e7a',
    });
  });

  test('the workspace base URL follows domain.publicOrigin when it is set', () => {
    const local = functionEnvironmentValues(
      configWith((raw) => (raw.domain.publicOrigin = 'http://localhost:8080')),
      resources,
    );
    expect(local.workspaceBaseUrl).toBe('http://localhost:8080');
  });
});
