import './support/aws-test-env';
import * as fs from 'node:fs';
import {
  DEFAULT_RUNTIME_TIER,
  FUNCTION_ENV,
  FUNCTION_ENV_KEYS,
  FunctionEnvKey,
  PLATFORM_FUNCTIONS,
  PlatformFunction,
} from '@openclaw-tenancy/shared';
import { EXAMPLE_PLATFORM_CONFIG, loadPlatformConfigText } from '@openclaw-tenancy/tenant-manifests';
import {
  CONFIG_READERS,
  ConfigurationError,
  Env,
  readCostEnforcerConfig,
  readOffboarderConfig,
  readPostConfirmationConfig,
  readPreSignUpConfig,
  readProvisionerConfig,
} from '../src/config/function-config';
import { costEnforcerDepsFromEnv } from '../src/wiring/cost-enforcer-wiring';
import { offboarderDepsFromEnv } from '../src/wiring/offboarder-wiring';
import { postConfirmationDepsFromEnv } from '../src/wiring/post-confirmation-wiring';
import { preSignUpDepsFromEnv } from '../src/wiring/pre-signup-wiring';
import { provisionerDepsFromEnv } from '../src/wiring/provisioner-wiring';
import { sessionDepsFromEnv } from '../src/wiring/session-wiring';
import { PLATFORM_CONFIG } from './support/gitops-remote';

const CATALOG = loadPlatformConfigText(fs.readFileSync(EXAMPLE_PLATFORM_CONFIG, 'utf8'), 'platform.example.yaml').models.catalog;

/** A value for every variable, as the CDK app would set them (typed: a new FUNCTION_ENV key must get one here). */
const VALUES: Record<FunctionEnvKey, string> = {
  allowedEmailDomains: '["example.com"]',
  confirmationsPerDomainPerHour: '5',
  attemptsPerAddressPerHour: '5',
  attemptsPerHour: '1000',
  maxTenants: '500',
  tenantTable: 'openclaw-tenants',
  signupGuardTable: 'openclaw-signup-guard',
  idempotencyTable: 'openclaw-idempotency',
  provisioningQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/openclaw-provisioning',
  offboardingQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/openclaw-offboarding',
  alertsTopicArn: 'arn:aws:sns:eu-west-1:111111111111:openclaw-alerts',
  clusterName: 'openclaw',
  tenantRoleArn: 'arn:aws:iam::111111111111:role/openclaw-tenant',
  gitRepoUrl: 'https://git.example.com/platform/gitops.git',
  gitBranch: 'main',
  gitCredentialsSecret: 'openclaw/gitops-credentials',
  gitAuthorName: 'openclaw-provisioner',
  gitAuthorEmail: 'provisioner@example.com',
  defaultTenantTier: 'standard',
  defaultRuntimeTier: 'runc',
  defaultMonthlyBudgetUsd: '100',
  budgetThresholdsPercent: '[80, 100]',
  suspendAtLimit: 'true',
  modelPricing: JSON.stringify(CATALOG),
  workspaceBaseUrl: 'https://ai.example.com/',
  identityIssuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
  userPoolClientId: '4d2jsl0qbl9k0u3t1ns3k3ns9a',
  refreshTokenRotation: 'false',
  tenantSecretsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/0d6d3c1e-5c43-4c4b-9a55-2f6c1d3f3e7a',
};
const FULL_ENV: Env = Object.fromEntries(Object.entries(VALUES).map(([key, value]) => [FUNCTION_ENV[key as FunctionEnvKey], value]));

/** Variables with a default: a function may run without them. Everything else it reads is required. */
const OPTIONAL: readonly FunctionEnvKey[] = [
  'attemptsPerHour',
  'confirmationsPerDomainPerHour',
  'attemptsPerAddressPerHour',
  'gitBranch',
  'gitAuthorName',
  'gitAuthorEmail',
  'defaultTenantTier',
  'defaultRuntimeTier',
  'defaultMonthlyBudgetUsd',
  'budgetThresholdsPercent',
  'suspendAtLimit',
];

const WIRING: Record<PlatformFunction, (env: NodeJS.ProcessEnv) => unknown> = {
  'pre-signup': preSignUpDepsFromEnv,
  'post-confirmation': postConfirmationDepsFromEnv,
  provisioner: provisionerDepsFromEnv,
  offboarder: offboarderDepsFromEnv,
  'cost-enforcer': costEnforcerDepsFromEnv,
  session: sessionDepsFromEnv,
};

/** The environment, recording which variables were looked up. */
function tracked(env: Env): { env: NodeJS.ProcessEnv; read: Set<string> } {
  const read = new Set<string>();
  return {
    read,
    env: new Proxy({ ...env } as NodeJS.ProcessEnv, {
      get(target, name, receiver) {
        if (typeof name === 'string') read.add(name);
        return Reflect.get(target, name, receiver);
      },
    }),
  };
}
const names = (keys: readonly FunctionEnvKey[]) => keys.map((k) => FUNCTION_ENV[k]).sort();
const without = (variable: string): Env => Object.fromEntries(Object.entries(FULL_ENV).filter(([k]) => k !== variable));

function configurationError(run: () => unknown): ConfigurationError | undefined {
  try {
    run();
    return undefined;
  } catch (e) {
    if (e instanceof ConfigurationError) return e;
    throw e;
  }
}

/** What the CDK app bundles into the Git-writing functions (esbuild define); set as the global the bundle would inline. */
const BUNDLED = globalThis as { __OPENCLAW_PLATFORM_CONFIG__?: unknown };

describe('function configuration', () => {
  beforeAll(() => {
    BUNDLED.__OPENCLAW_PLATFORM_CONFIG__ = PLATFORM_CONFIG;
  });
  afterAll(() => {
    delete BUNDLED.__OPENCLAW_PLATFORM_CONFIG__;
  });

  it('has a reader for every platform function', () => {
    expect(Object.keys(CONFIG_READERS).sort()).toEqual([...PLATFORM_FUNCTIONS].sort());
  });

  describe.each(PLATFORM_FUNCTIONS)('%s', (fn) => {
    it('reads exactly the variables FUNCTION_ENV_KEYS lists for it, in its config reader and in the wiring its handler calls', () => {
      const direct = tracked(FULL_ENV);
      CONFIG_READERS[fn](direct.env);
      expect([...direct.read].sort()).toEqual(names(FUNCTION_ENV_KEYS[fn]));

      const wired = tracked(FULL_ENV);
      WIRING[fn](wired.env);
      expect([...wired.read].sort()).toEqual(names(FUNCTION_ENV_KEYS[fn]));
    });

    it('requires exactly its variables without a default, each failing with an error naming it', () => {
      const required = FUNCTION_ENV_KEYS[fn].filter((key) => {
        const error = configurationError(() => CONFIG_READERS[fn](without(FUNCTION_ENV[key])));
        if (error) {
          expect(error.variable).toBe(FUNCTION_ENV[key]);
          expect(error.message).toBe(`environment variable ${FUNCTION_ENV[key]} is required`);
        }
        return error !== undefined;
      });
      expect(names(required)).toEqual(names(FUNCTION_ENV_KEYS[fn].filter((k) => !OPTIONAL.includes(k))));
      // A blank value counts as missing.
      for (const key of required) {
        expect(configurationError(() => CONFIG_READERS[fn]({ ...FULL_ENV, [FUNCTION_ENV[key]]: '  ' }))?.variable).toBe(FUNCTION_ENV[key]);
      }
    });

    it('ignores variables that belong to other functions', () => {
      const own = Object.fromEntries(FUNCTION_ENV_KEYS[fn].map((k) => [FUNCTION_ENV[k], FULL_ENV[FUNCTION_ENV[k]]]));
      expect(CONFIG_READERS[fn](own)).toEqual(CONFIG_READERS[fn](FULL_ENV));
    });
  });

  it('fails loudly when a reader reads a variable its FUNCTION_ENV_KEYS entry lacks (the CDK app would never set it)', () => {
    const replaced = jest.replaceProperty(
      FUNCTION_ENV_KEYS as Record<PlatformFunction, readonly FunctionEnvKey[]>,
      'provisioner',
      FUNCTION_ENV_KEYS.provisioner.filter((k) => k !== 'workspaceBaseUrl'),
    );
    try {
      expect(() => readProvisionerConfig(FULL_ENV)).toThrow(
        "provisioner reads WORKSPACE_BASE_URL, which FUNCTION_ENV_KEYS['provisioner'] does not list, so the CDK app never sets it",
      );
    } finally {
      replaced.restore();
    }
  });

  it('applies the documented defaults', () => {
    const minimal = (fn: PlatformFunction) =>
      Object.fromEntries(
        FUNCTION_ENV_KEYS[fn].filter((k) => !OPTIONAL.includes(k)).map((k) => [FUNCTION_ENV[k], FULL_ENV[FUNCTION_ENV[k]]]),
      );
    expect(readPreSignUpConfig(minimal('pre-signup'))).toMatchObject({ confirmationsPerDomainPerHour: 5, attemptsPerAddressPerHour: 5 });
    expect(readPostConfirmationConfig(minimal('post-confirmation'))).toMatchObject({
      confirmationsPerDomainPerHour: 5,
      defaultTenantTier: 'standard',
      defaultRuntimeTier: DEFAULT_RUNTIME_TIER,
    });
    expect(readProvisionerConfig(minimal('provisioner'))).toMatchObject({
      gitops: { branch: 'main', authorName: 'openclaw-provisioner', authorEmail: 'provisioner@openclaw.invalid' },
      workspaceBaseUrl: 'https://ai.example.com',
    });
    expect(readOffboarderConfig(minimal('offboarder')).gitops.branch).toBe('main');
    expect(readCostEnforcerConfig(minimal('cost-enforcer'))).toMatchObject({
      defaultMonthlyBudgetUsd: 100,
      budgetThresholdsPercent: [80, 100],
      suspendAtLimit: false,
    });
  });

  it('parses the values it reads', () => {
    expect(readPreSignUpConfig(FULL_ENV)).toEqual({
      allowedEmailDomains: ['example.com'],
      confirmationsPerDomainPerHour: 5,
      attemptsPerAddressPerHour: 5,
      attemptsPerHour: 1000,
      maxTenants: 500,
      tenantTable: 'openclaw-tenants',
      signupGuardTable: 'openclaw-signup-guard',
    });
    expect(
      readCostEnforcerConfig({
        ...FULL_ENV,
        [FUNCTION_ENV.budgetThresholdsPercent]: '[100, 50, 80]',
        [FUNCTION_ENV.suspendAtLimit]: 'false',
      }),
    ).toMatchObject({
      budgetThresholdsPercent: [50, 80, 100],
      suspendAtLimit: false,
      modelPricing: CATALOG.map((m) => ({ alias: m.alias, id: m.id, maxTokens: m.maxTokens, pricing: m.pricing })),
    });
  });

  it.each<[PlatformFunction, FunctionEnvKey, string, string]>([
    ['pre-signup', 'allowedEmailDomains', 'example.com', 'must be JSON'],
    ['pre-signup', 'allowedEmailDomains', '[]', 'must be a non-empty JSON array of domains'],
    ['pre-signup', 'allowedEmailDomains', '["example.com", 7]', 'must be a non-empty JSON array of domains'],
    ['pre-signup', 'maxTenants', 'many', 'must be a positive integer, got "many"'],
    ['pre-signup', 'maxTenants', '0', 'must be a positive integer, got "0"'],
    ['pre-signup', 'maxTenants', '2.5', 'must be a positive integer, got "2.5"'],
    ['pre-signup', 'maxTenants', '1e3', 'must be a positive integer, got "1e3"'],
    ['pre-signup', 'attemptsPerAddressPerHour', '-1', 'must be a positive integer, got "-1"'],
    ['post-confirmation', 'confirmationsPerDomainPerHour', 'five', 'must be a positive integer, got "five"'],
    ['post-confirmation', 'defaultTenantTier', 'gold', 'is not a tenant tier: "gold"'],
    ['post-confirmation', 'defaultRuntimeTier', 'kata', 'is not a runtime tier: "kata"'],
    ['post-confirmation', 'provisioningQueueUrl', 'openclaw-provisioning', 'must be an http(s) URL, got "openclaw-provisioning"'],
    ['provisioner', 'gitRepoUrl', 'git@github.com:org/gitops.git', 'must be an http(s) URL'],
    ['provisioner', 'gitRepoUrl', 'file:///srv/gitops.git', 'must be an http(s) URL'],
    ['provisioner', 'workspaceBaseUrl', 'ai.example.com', 'must be an http(s) URL, got "ai.example.com"'],
    ['provisioner', 'tenantRoleArn', 'openclaw-tenant', 'must be an IAM role ARN, got "openclaw-tenant"'],
    ['provisioner', 'alertsTopicArn', 'arn:aws:sqs:eu-west-1:111111111111:alerts', 'must be an SNS topic ARN'],
    ['provisioner', 'tenantSecretsKeyArn', 'alias/aws/secretsmanager', 'must be a KMS key ARN'],
    [
      'provisioner',
      'tenantSecretsKeyArn',
      'arn:aws:kms:eu-west-1:111111111111:alias/tenant-secrets',
      'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got',
    ],
    ['offboarder', 'alertsTopicArn', 'alerts', 'must be an SNS topic ARN, got "alerts"'],
    ['cost-enforcer', 'suspendAtLimit', 'yes', 'must be "true" or "false", got "yes"'],
    ['session', 'refreshTokenRotation', 'on', 'must be "true" or "false", got "on"'],
    ['session', 'userPoolClientId', 'client id', 'must be a Cognito app client id, got "client id"'],
    ['session', 'identityIssuer', 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123', 'must be an http(s) URL'],
    ['session', 'workspaceBaseUrl', 'ai.example.com', 'must be an http(s) URL, got "ai.example.com"'],
    ['cost-enforcer', 'defaultMonthlyBudgetUsd', '-5', 'must be a number ≥ 0, got "-5"'],
    ['cost-enforcer', 'defaultMonthlyBudgetUsd', 'lots', 'must be a number ≥ 0, got "lots"'],
    ['cost-enforcer', 'budgetThresholdsPercent', '[80, 0]', 'must be a JSON array of distinct positive integers'],
    ['cost-enforcer', 'budgetThresholdsPercent', '[80, 80]', 'must be a JSON array of distinct positive integers'],
    ['cost-enforcer', 'budgetThresholdsPercent', '80', 'must be a JSON array of distinct positive integers'],
    ['cost-enforcer', 'modelPricing', '[]', 'must be the model catalog as a JSON array of {alias, id, pricing}: not a non-empty array'],
    [
      'cost-enforcer',
      'modelPricing',
      '[{"alias":"opus","id":"x"}]',
      'entry 0 lacks pricing.inputUsdPerMillionTokens/outputUsdPerMillionTokens',
    ],
    [
      'cost-enforcer',
      'modelPricing',
      '[{"id":"x","pricing":{"inputUsdPerMillionTokens":1,"outputUsdPerMillionTokens":1}}]',
      'entry 0 lacks alias or id',
    ],
    [
      'cost-enforcer',
      'modelPricing',
      '[{"alias":"a","id":"x","pricing":{"inputUsdPerMillionTokens":-1,"outputUsdPerMillionTokens":1}}]',
      'entry 0 has a negative price',
    ],
    ['cost-enforcer', 'modelPricing', JSON.stringify([CATALOG[0], CATALOG[0]]), 'alias "opus" appears twice'],
  ])('%s refuses %s=%j: %s', (fn, key, value, message) => {
    const error = configurationError(() => CONFIG_READERS[fn]({ ...FULL_ENV, [FUNCTION_ENV[key]]: value }));
    expect(error?.variable).toBe(FUNCTION_ENV[key]);
    expect(error?.message.startsWith(`environment variable ${FUNCTION_ENV[key]} `)).toBe(true);
    expect(error?.message).toContain(message);
  });
});

describe('the Lambda entry points', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it.each(PLATFORM_FUNCTIONS)(
    '%s fails its first invocation with an error naming a missing variable, and reads it again on the next',
    async (fn) => {
      const { handler } = (await import(`../src/handlers/${fn}`)) as { handler: (event: unknown) => Promise<unknown> };
      const required = FUNCTION_ENV_KEYS[fn].filter((k) => !OPTIONAL.includes(k));
      const [first, last] = [FUNCTION_ENV[required[0] as FunctionEnvKey], FUNCTION_ENV[required[required.length - 1] as FunctionEnvKey]];
      Object.assign(process.env, without(first));
      delete process.env[first];
      await expect(handler({})).rejects.toThrow(new ConfigurationError(first, 'is required'));
      // Nothing was kept from the failed start: the next invocation reads the environment again.
      process.env[first] = FULL_ENV[first];
      delete process.env[last];
      await expect(handler({})).rejects.toThrow(new ConfigurationError(last, 'is required'));
    },
  );
});
