/**
 * Typed configuration of each function, read from the environment variables
 * the CDK app sets (names from `FUNCTION_ENV` in shared, never spelt here).
 * A missing or malformed variable fails the cold start with a message naming
 * the variable, instead of a confusing error deep inside a sign-up.
 *
 * Each reader sees only the variables `FUNCTION_ENV_KEYS[fn]` lists for its
 * function (the CDK app sets exactly those): reading another one is a
 * programming error caught by the tests, not a variable silently missing in AWS.
 */
import {
  FUNCTION_ENV,
  FUNCTION_ENV_KEYS,
  FunctionEnvKey,
  ModelCatalogEntry,
  PlatformFunction,
  RuntimeTier,
  TenantTier,
  isRuntimeTier,
  isTenantTier,
  DEFAULT_RUNTIME_TIER,
  DEFAULT_TENANT_TIER,
  FUNCTION_SETTING_DEFAULTS,
} from '@openclaw-tenancy/shared';

export class ConfigurationError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`environment variable ${variable} ${detail}`);
    this.name = 'ConfigurationError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/** The environment as one function may read it. */
class FunctionEnv {
  constructor(
    readonly fn: PlatformFunction,
    private readonly env: Env,
  ) {}

  error(key: FunctionEnvKey, detail: string): ConfigurationError {
    return new ConfigurationError(FUNCTION_ENV[key], detail);
  }

  raw(key: FunctionEnvKey): string | undefined {
    if (!FUNCTION_ENV_KEYS[this.fn].includes(key)) {
      throw new Error(
        `${this.fn} reads ${FUNCTION_ENV[key]}, which FUNCTION_ENV_KEYS['${this.fn}'] does not list, so the CDK app never sets it`,
      );
    }
    const value = this.env[FUNCTION_ENV[key]];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }
}

function required(env: FunctionEnv, key: FunctionEnvKey): string {
  const value = env.raw(key);
  if (value === undefined) throw env.error(key, 'is required');
  return value;
}

function positiveInteger(env: FunctionEnv, key: FunctionEnvKey, fallback?: number): number {
  const value = env.raw(key);
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw env.error(key, 'is required');
  }
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw env.error(key, `must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function nonNegativeNumber(env: FunctionEnv, key: FunctionEnvKey, fallback: number): number {
  const value = env.raw(key);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw env.error(key, `must be a number ≥ 0, got ${JSON.stringify(value)}`);
  return n;
}

function json(env: FunctionEnv, key: FunctionEnvKey): unknown {
  const value = required(env, key);
  try {
    return JSON.parse(value);
  } catch {
    throw env.error(key, 'must be JSON');
  }
}

/** An http(s) URL (https in AWS; http on loopback for the local platform). */
function httpUrl(env: FunctionEnv, key: FunctionEnvKey): string {
  const value = required(env, key);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw env.error(key, `must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw env.error(key, `must be an http(s) URL, got ${JSON.stringify(value)}`);
  return value;
}

const ARN_KINDS = {
  sns: { pattern: /^arn:[a-z-]+:sns:[a-z0-9-]*:\d*:[A-Za-z0-9_.-]+$/, what: 'an SNS topic ARN' },
  iam: { pattern: /^arn:[a-z-]+:iam::\d*:role\/[\w+=,.@/-]+$/, what: 'an IAM role ARN' },
  // A key ARN, not an alias: the key policy is what the provisioner's grant and the tenant role's decrypt rely on.
  kms: {
    pattern: /^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/,
    what: 'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
  },
} as const;

function arn(env: FunctionEnv, key: FunctionEnvKey, kind: keyof typeof ARN_KINDS): string {
  const value = required(env, key);
  if (!ARN_KINDS[kind].pattern.test(value)) throw env.error(key, `must be ${ARN_KINDS[kind].what}, got ${JSON.stringify(value)}`);
  return value;
}

function tenantTier(env: FunctionEnv): TenantTier {
  const value = env.raw('defaultTenantTier') ?? DEFAULT_TENANT_TIER;
  if (!isTenantTier(value)) throw env.error('defaultTenantTier', `is not a tenant tier: ${JSON.stringify(value)}`);
  return value;
}

function runtimeTier(env: FunctionEnv): RuntimeTier {
  const value = env.raw('defaultRuntimeTier') ?? DEFAULT_RUNTIME_TIER;
  if (!isRuntimeTier(value)) throw env.error('defaultRuntimeTier', `is not a runtime tier: ${JSON.stringify(value)}`);
  return value;
}

export interface PreSignUpConfig {
  readonly allowedEmailDomains: readonly string[];
  readonly confirmationsPerDomainPerHour: number;
  readonly attemptsPerAddressPerHour: number;
  readonly attemptsPerHour: number;
  readonly maxTenants: number;
  readonly tenantTable: string;
  readonly signupGuardTable: string;
}

export function readPreSignUpConfig(processEnv: Env = process.env): PreSignUpConfig {
  const env = new FunctionEnv('pre-signup', processEnv);
  const domains = json(env, 'allowedEmailDomains');
  if (!Array.isArray(domains) || domains.length === 0 || !domains.every((d) => typeof d === 'string' && d.length > 0)) {
    throw env.error('allowedEmailDomains', 'must be a non-empty JSON array of domains, e.g. ["example.com"] or ["*"]');
  }
  return {
    allowedEmailDomains: domains as string[],
    confirmationsPerDomainPerHour: positiveInteger(
      env,
      'confirmationsPerDomainPerHour',
      FUNCTION_SETTING_DEFAULTS.confirmationsPerDomainPerHour,
    ),
    attemptsPerAddressPerHour: positiveInteger(env, 'attemptsPerAddressPerHour', FUNCTION_SETTING_DEFAULTS.attemptsPerAddressPerHour),
    attemptsPerHour: positiveInteger(env, 'attemptsPerHour', FUNCTION_SETTING_DEFAULTS.attemptsPerHour),
    maxTenants: positiveInteger(env, 'maxTenants'),
    tenantTable: required(env, 'tenantTable'),
    signupGuardTable: required(env, 'signupGuardTable'),
  };
}

export interface PostConfirmationConfig {
  readonly confirmationsPerDomainPerHour: number;
  readonly maxTenants: number;
  readonly tenantTable: string;
  readonly signupGuardTable: string;
  readonly idempotencyTable: string;
  readonly provisioningQueueUrl: string;
  readonly defaultTenantTier: TenantTier;
  readonly defaultRuntimeTier: RuntimeTier;
}

export function readPostConfirmationConfig(processEnv: Env = process.env): PostConfirmationConfig {
  const env = new FunctionEnv('post-confirmation', processEnv);
  return {
    confirmationsPerDomainPerHour: positiveInteger(
      env,
      'confirmationsPerDomainPerHour',
      FUNCTION_SETTING_DEFAULTS.confirmationsPerDomainPerHour,
    ),
    maxTenants: positiveInteger(env, 'maxTenants'),
    tenantTable: required(env, 'tenantTable'),
    signupGuardTable: required(env, 'signupGuardTable'),
    idempotencyTable: required(env, 'idempotencyTable'),
    provisioningQueueUrl: httpUrl(env, 'provisioningQueueUrl'),
    defaultTenantTier: tenantTier(env),
    defaultRuntimeTier: runtimeTier(env),
  };
}

export interface GitOpsConfig {
  readonly repoUrl: string;
  readonly branch: string;
  readonly credentialsSecret: string;
  readonly authorName: string;
  readonly authorEmail: string;
}

function readGitOpsConfig(env: FunctionEnv): GitOpsConfig {
  return {
    repoUrl: httpUrl(env, 'gitRepoUrl'),
    branch: env.raw('gitBranch') ?? 'main',
    credentialsSecret: required(env, 'gitCredentialsSecret'),
    authorName: env.raw('gitAuthorName') ?? FUNCTION_SETTING_DEFAULTS.commitAuthorName,
    authorEmail: env.raw('gitAuthorEmail') ?? FUNCTION_SETTING_DEFAULTS.commitAuthorEmail,
  };
}

export interface ProvisionerConfig {
  readonly tenantTable: string;
  readonly alertsTopicArn: string;
  readonly clusterName: string;
  readonly tenantRoleArn: string;
  readonly gitops: GitOpsConfig;
  readonly workspaceBaseUrl: string;
  /** Where a job whose admission window has not opened yet is put back (see ADR 0200). */
  readonly provisioningQueueUrl: string;
  readonly idempotencyTable: string;
  /** The customer-managed key every tenant secret is encrypted with. */
  readonly tenantSecretsKeyArn: string;
}

export function readProvisionerConfig(processEnv: Env = process.env): ProvisionerConfig {
  const env = new FunctionEnv('provisioner', processEnv);
  return {
    tenantTable: required(env, 'tenantTable'),
    alertsTopicArn: arn(env, 'alertsTopicArn', 'sns'),
    clusterName: required(env, 'clusterName'),
    tenantRoleArn: arn(env, 'tenantRoleArn', 'iam'),
    gitops: readGitOpsConfig(env),
    workspaceBaseUrl: httpUrl(env, 'workspaceBaseUrl').replace(/\/+$/, ''),
    provisioningQueueUrl: httpUrl(env, 'provisioningQueueUrl'),
    idempotencyTable: required(env, 'idempotencyTable'),
    tenantSecretsKeyArn: arn(env, 'tenantSecretsKeyArn', 'kms'),
  };
}

export interface OffboarderConfig {
  readonly tenantTable: string;
  readonly alertsTopicArn: string;
  readonly clusterName: string;
  readonly gitops: GitOpsConfig;
  readonly idempotencyTable: string;
}

export function readOffboarderConfig(processEnv: Env = process.env): OffboarderConfig {
  const env = new FunctionEnv('offboarder', processEnv);
  return {
    tenantTable: required(env, 'tenantTable'),
    alertsTopicArn: arn(env, 'alertsTopicArn', 'sns'),
    clusterName: required(env, 'clusterName'),
    gitops: readGitOpsConfig(env),
    idempotencyTable: required(env, 'idempotencyTable'),
  };
}

export interface CostEnforcerConfig {
  readonly tenantTable: string;
  readonly alertsTopicArn: string;
  readonly gitops: GitOpsConfig;
  readonly defaultMonthlyBudgetUsd: number;
  readonly budgetThresholdsPercent: readonly number[];
  readonly suspendAtLimit: boolean;
  readonly modelPricing: readonly ModelCatalogEntry[];
}

export function readCostEnforcerConfig(processEnv: Env = process.env): CostEnforcerConfig {
  const env = new FunctionEnv('cost-enforcer', processEnv);
  const thresholds =
    env.raw('budgetThresholdsPercent') === undefined
      ? [...FUNCTION_SETTING_DEFAULTS.budgetThresholdsPercent]
      : json(env, 'budgetThresholdsPercent');
  if (
    !Array.isArray(thresholds) ||
    thresholds.length === 0 ||
    !thresholds.every((t) => Number.isInteger(t) && t > 0) ||
    new Set(thresholds).size !== thresholds.length
  ) {
    throw env.error('budgetThresholdsPercent', 'must be a JSON array of distinct positive integers, e.g. [80, 100]');
  }
  const suspend = env.raw('suspendAtLimit') ?? String(FUNCTION_SETTING_DEFAULTS.suspendAtLimit);
  if (suspend !== 'true' && suspend !== 'false')
    throw env.error('suspendAtLimit', `must be "true" or "false", got ${JSON.stringify(suspend)}`);
  return {
    tenantTable: required(env, 'tenantTable'),
    alertsTopicArn: arn(env, 'alertsTopicArn', 'sns'),
    gitops: readGitOpsConfig(env),
    defaultMonthlyBudgetUsd: nonNegativeNumber(env, 'defaultMonthlyBudgetUsd', FUNCTION_SETTING_DEFAULTS.defaultMonthlyBudgetUsd),
    budgetThresholdsPercent: [...(thresholds as number[])].sort((a, b) => a - b),
    suspendAtLimit: suspend === 'true',
    modelPricing: parseModelPricing(env, json(env, 'modelPricing')),
  };
}

function parseModelPricing(env: FunctionEnv, value: unknown): ModelCatalogEntry[] {
  const fail = (detail: string): never => {
    throw env.error('modelPricing', `must be the model catalog as a JSON array of {alias, id, pricing}: ${detail}`);
  };
  if (!Array.isArray(value) || value.length === 0) return fail('not a non-empty array');
  return value.map((entry: unknown, i) => {
    const e = entry as Partial<ModelCatalogEntry> | null;
    const p = e?.pricing;
    if (typeof e?.alias !== 'string' || typeof e.id !== 'string') return fail(`entry ${i} lacks alias or id`);
    if (typeof p?.inputUsdPerMillionTokens !== 'number' || typeof p.outputUsdPerMillionTokens !== 'number') {
      return fail(`entry ${i} lacks pricing.inputUsdPerMillionTokens/outputUsdPerMillionTokens`);
    }
    if (!(p.inputUsdPerMillionTokens >= 0 && p.outputUsdPerMillionTokens >= 0)) return fail(`entry ${i} has a negative price`);
    if (value.slice(0, i).some((other: unknown) => (other as { alias?: unknown } | null)?.alias === e.alias))
      return fail(`alias "${e.alias}" appears twice`);
    return { alias: e.alias, id: e.id, maxTokens: typeof e.maxTokens === 'number' ? e.maxTokens : 0, pricing: p };
  });
}

export interface SessionConfig {
  /** The pool's issuer: an ID token from another pool is never a session. */
  readonly identityIssuer: string;
  readonly userPoolClientId: string;
  /** Refresh with GetTokensFromRefreshToken (the app client rotates refresh tokens) instead of InitiateAuth. */
  readonly refreshTokenRotation: boolean;
  /** The origin browsers use: its host is what their `Origin` must name, https makes the cookies `Secure`. */
  readonly publicOrigin: URL;
}

export function readSessionConfig(processEnv: Env = process.env): SessionConfig {
  const env = new FunctionEnv('session', processEnv);
  const rotation = required(env, 'refreshTokenRotation');
  if (rotation !== 'true' && rotation !== 'false')
    throw env.error('refreshTokenRotation', `must be "true" or "false", got ${JSON.stringify(rotation)}`);
  const clientId = required(env, 'userPoolClientId');
  if (!/^[\w+]{1,128}$/.test(clientId))
    throw env.error('userPoolClientId', `must be a Cognito app client id, got ${JSON.stringify(clientId)}`);
  return {
    identityIssuer: httpUrl(env, 'identityIssuer').replace(/\/+$/, ''),
    userPoolClientId: clientId,
    refreshTokenRotation: rotation === 'true',
    publicOrigin: new URL(httpUrl(env, 'workspaceBaseUrl')),
  };
}

/** Each function's reader, keyed like `FUNCTION_ENV_KEYS` (the handlers' wiring calls these). */
export const CONFIG_READERS: Readonly<Record<PlatformFunction, (env: Env) => unknown>> = {
  'pre-signup': readPreSignUpConfig,
  'post-confirmation': readPostConfirmationConfig,
  provisioner: readProvisionerConfig,
  offboarder: readOffboarderConfig,
  'cost-enforcer': readCostEnforcerConfig,
  session: readSessionConfig,
};
