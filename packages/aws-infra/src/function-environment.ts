/**
 * Builds each Lambda's environment from the platform config and the deployed
 * resources. The variable names and the list each function reads come from
 * `packages/shared` (FUNCTION_ENV, FUNCTION_ENV_KEYS); this module only knows
 * where every value comes from. A key added in shared without a value here is
 * a compile error, not a function that fails at its first invocation.
 */
import { FUNCTION_ENV, FUNCTION_ENV_KEYS, FunctionEnvKey, PlatformConfig, PlatformFunction, publicOrigin } from '@openclaw-tenancy/shared';

/** Names and ARNs known only once the resources exist (tokens at synth time). */
export interface FunctionEnvironmentResources {
  readonly tenantTableName: string;
  readonly signupGuardTableName: string;
  readonly idempotencyTableName: string;
  readonly provisioningQueueUrl: string;
  readonly offboardingQueueUrl: string;
  readonly alertsTopicArn: string;
  readonly tenantRoleArn: string;
  /** The user pool's token issuer (`userPoolProviderUrl`). */
  readonly identityIssuer: string;
  readonly userPoolClientId: string;
  readonly tenantSecretsKeyArn: string;
}

export type FunctionEnvironmentValues = Readonly<Record<FunctionEnvKey, string>>;

/** The value of every variable any function may read. */
export function functionEnvironmentValues(config: PlatformConfig, resources: FunctionEnvironmentResources): FunctionEnvironmentValues {
  const { signup, gitops, budgets, tenantDefaults, models } = config;
  return {
    allowedEmailDomains: JSON.stringify(signup.allowedEmailDomains),
    confirmationsPerDomainPerHour: String(signup.confirmationsPerDomainPerHour),
    attemptsPerAddressPerHour: String(signup.attemptsPerAddressPerHour),
    attemptsPerHour: String(signup.attemptsPerHour),
    maxTenants: String(signup.maxTenants),
    tenantTable: resources.tenantTableName,
    signupGuardTable: resources.signupGuardTableName,
    idempotencyTable: resources.idempotencyTableName,
    provisioningQueueUrl: resources.provisioningQueueUrl,
    offboardingQueueUrl: resources.offboardingQueueUrl,
    alertsTopicArn: resources.alertsTopicArn,
    clusterName: config.cluster.name,
    tenantRoleArn: resources.tenantRoleArn,
    gitRepoUrl: gitops.repoUrl,
    gitBranch: gitops.branch,
    gitCredentialsSecret: gitops.credentialsSecretName,
    gitAuthorName: gitops.commitAuthorName,
    gitAuthorEmail: gitops.commitAuthorEmail,
    defaultTenantTier: tenantDefaults.tier,
    defaultRuntimeTier: tenantDefaults.runtime,
    defaultMonthlyBudgetUsd: String(budgets.defaultMonthlyUsd),
    budgetThresholdsPercent: JSON.stringify(budgets.alertThresholdsPercent),
    suspendAtLimit: String(budgets.suspendAtLimit),
    modelPricing: JSON.stringify(models.catalog),
    workspaceBaseUrl: publicOrigin(config),
    identityIssuer: resources.identityIssuer,
    userPoolClientId: resources.userPoolClientId,
    refreshTokenRotation: String(signup.refreshTokenRotation),
    tenantSecretsKeyArn: resources.tenantSecretsKeyArn,
  };
}

/** Exactly the variables `fn` declares in FUNCTION_ENV_KEYS, nothing more. */
export function functionEnvironment(fn: PlatformFunction, values: FunctionEnvironmentValues): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const key of FUNCTION_ENV_KEYS[fn]) environment[FUNCTION_ENV[key]] = values[key];
  return environment;
}
