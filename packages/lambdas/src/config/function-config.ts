/**
 * Typed configuration of each function, read from the environment variables
 * the CDK app sets (names from `FUNCTION_ENV` in shared, never spelt here).
 * A missing or malformed variable fails the cold start with a message naming
 * the variable, instead of a confusing error deep inside a sign-up.
 */
import {
  FUNCTION_ENV,
  FunctionEnvKey,
  ModelCatalogEntry,
  RuntimeTier,
  TenantTier,
  isRuntimeTier,
  isTenantTier,
  DEFAULT_RUNTIME_TIER,
  DEFAULT_TENANT_TIER,
} from '@openclaw-tenancy/shared';

export class ConfigurationError extends Error {
  constructor(key: FunctionEnvKey, detail: string) {
    super(`environment variable ${FUNCTION_ENV[key]} ${detail}`);
    this.name = 'ConfigurationError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function raw(env: Env, key: FunctionEnvKey): string | undefined {
  const value = env[FUNCTION_ENV[key]];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function required(env: Env, key: FunctionEnvKey): string {
  const value = raw(env, key);
  if (value === undefined) throw new ConfigurationError(key, 'is required');
  return value;
}

function positiveInteger(env: Env, key: FunctionEnvKey, fallback?: number): number {
  const value = raw(env, key);
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new ConfigurationError(key, 'is required');
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigurationError(key, `must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function nonNegativeNumber(env: Env, key: FunctionEnvKey, fallback: number): number {
  const value = raw(env, key);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new ConfigurationError(key, `must be a number ≥ 0, got ${JSON.stringify(value)}`);
  return n;
}

function json(env: Env, key: FunctionEnvKey): unknown {
  const value = required(env, key);
  try {
    return JSON.parse(value);
  } catch {
    throw new ConfigurationError(key, 'must be JSON');
  }
}

function tenantTier(env: Env): TenantTier {
  const value = raw(env, 'defaultTenantTier') ?? DEFAULT_TENANT_TIER;
  if (!isTenantTier(value)) throw new ConfigurationError('defaultTenantTier', `is not a tenant tier: ${JSON.stringify(value)}`);
  return value;
}

function runtimeTier(env: Env): RuntimeTier {
  const value = raw(env, 'defaultRuntimeTier') ?? DEFAULT_RUNTIME_TIER;
  if (!isRuntimeTier(value)) throw new ConfigurationError('defaultRuntimeTier', `is not a runtime tier: ${JSON.stringify(value)}`);
  return value;
}

/** Same default as the platform config schema (`signup.confirmationsPerDomainPerHour`). */
export const DEFAULT_CONFIRMATIONS_PER_DOMAIN_PER_HOUR = 5;
export const DEFAULT_ATTEMPTS_PER_ADDRESS_PER_HOUR = 5;

export interface PreSignUpConfig {
  readonly allowedEmailDomains: readonly string[];
  readonly confirmationsPerDomainPerHour: number;
  readonly attemptsPerAddressPerHour: number;
  readonly maxTenants: number;
  readonly tenantTable: string;
  readonly signupGuardTable: string;
}

export function readPreSignUpConfig(env: Env = process.env): PreSignUpConfig {
  const domains = json(env, 'allowedEmailDomains');
  if (!Array.isArray(domains) || domains.length === 0 || !domains.every((d) => typeof d === 'string' && d.length > 0)) {
    throw new ConfigurationError('allowedEmailDomains', 'must be a non-empty JSON array of domains, e.g. ["example.com"] or ["*"]');
  }
  return {
    allowedEmailDomains: domains as string[],
    confirmationsPerDomainPerHour: positiveInteger(env, 'confirmationsPerDomainPerHour', DEFAULT_CONFIRMATIONS_PER_DOMAIN_PER_HOUR),
    attemptsPerAddressPerHour: positiveInteger(env, 'attemptsPerAddressPerHour', DEFAULT_ATTEMPTS_PER_ADDRESS_PER_HOUR),
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

export function readPostConfirmationConfig(env: Env = process.env): PostConfirmationConfig {
  return {
    confirmationsPerDomainPerHour: positiveInteger(env, 'confirmationsPerDomainPerHour', DEFAULT_CONFIRMATIONS_PER_DOMAIN_PER_HOUR),
    maxTenants: positiveInteger(env, 'maxTenants'),
    tenantTable: required(env, 'tenantTable'),
    signupGuardTable: required(env, 'signupGuardTable'),
    idempotencyTable: required(env, 'idempotencyTable'),
    provisioningQueueUrl: required(env, 'provisioningQueueUrl'),
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
  readonly platformConfigPath: string;
}

function readGitOpsConfig(env: Env): GitOpsConfig {
  return {
    repoUrl: required(env, 'gitRepoUrl'),
    branch: raw(env, 'gitBranch') ?? 'main',
    credentialsSecret: required(env, 'gitCredentialsSecret'),
    authorName: raw(env, 'gitAuthorName') ?? 'openclaw-provisioner',
    authorEmail: raw(env, 'gitAuthorEmail') ?? 'provisioner@openclaw.invalid',
    platformConfigPath: required(env, 'platformConfigPath'),
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
}

export function readProvisionerConfig(env: Env = process.env): ProvisionerConfig {
  return {
    tenantTable: required(env, 'tenantTable'),
    alertsTopicArn: required(env, 'alertsTopicArn'),
    clusterName: required(env, 'clusterName'),
    tenantRoleArn: required(env, 'tenantRoleArn'),
    gitops: readGitOpsConfig(env),
    workspaceBaseUrl: required(env, 'workspaceBaseUrl').replace(/\/+$/, ''),
    provisioningQueueUrl: required(env, 'provisioningQueueUrl'),
    idempotencyTable: required(env, 'idempotencyTable'),
  };
}

export interface OffboarderConfig {
  readonly tenantTable: string;
  readonly alertsTopicArn: string;
  readonly clusterName: string;
  readonly gitops: GitOpsConfig;
  readonly idempotencyTable: string;
}

export function readOffboarderConfig(env: Env = process.env): OffboarderConfig {
  return {
    tenantTable: required(env, 'tenantTable'),
    alertsTopicArn: required(env, 'alertsTopicArn'),
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

export function readCostEnforcerConfig(env: Env = process.env): CostEnforcerConfig {
  const thresholds = raw(env, 'budgetThresholdsPercent') === undefined ? [80, 100] : json(env, 'budgetThresholdsPercent');
  if (!Array.isArray(thresholds) || thresholds.length === 0 || !thresholds.every((t) => Number.isInteger(t) && t > 0)) {
    throw new ConfigurationError('budgetThresholdsPercent', 'must be a JSON array of positive integers, e.g. [80, 100]');
  }
  const suspend = raw(env, 'suspendAtLimit') ?? 'false';
  if (suspend !== 'true' && suspend !== 'false') throw new ConfigurationError('suspendAtLimit', 'must be "true" or "false"');
  return {
    tenantTable: required(env, 'tenantTable'),
    alertsTopicArn: required(env, 'alertsTopicArn'),
    gitops: readGitOpsConfig(env),
    defaultMonthlyBudgetUsd: nonNegativeNumber(env, 'defaultMonthlyBudgetUsd', 100),
    budgetThresholdsPercent: [...(thresholds as number[])].sort((a, b) => a - b),
    suspendAtLimit: suspend === 'true',
    modelPricing: parseModelPricing(json(env, 'modelPricing')),
  };
}

function parseModelPricing(value: unknown): ModelCatalogEntry[] {
  const fail = (detail: string): never => {
    throw new ConfigurationError('modelPricing', `must be the model catalog as a JSON array of {alias, id, pricing}: ${detail}`);
  };
  if (!Array.isArray(value) || value.length === 0) return fail('not a non-empty array');
  return value.map((entry: unknown, i) => {
    const e = entry as Partial<ModelCatalogEntry> | null;
    const p = e?.pricing;
    if (typeof e?.alias !== 'string' || typeof e.id !== 'string') return fail(`entry ${i} lacks alias or id`);
    if (typeof p?.inputUsdPerMillionTokens !== 'number' || typeof p.outputUsdPerMillionTokens !== 'number') {
      return fail(`entry ${i} lacks pricing.inputUsdPerMillionTokens/outputUsdPerMillionTokens`);
    }
    return { alias: e.alias, id: e.id, maxTokens: typeof e.maxTokens === 'number' ? e.maxTokens : 0, pricing: p };
  });
}
