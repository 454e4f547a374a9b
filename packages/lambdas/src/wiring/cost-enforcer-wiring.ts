import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { BedrockInferenceProfiles } from '../adapters/bedrock-inference-profiles';
import { CloudWatchUsageSource } from '../adapters/cloudwatch-usage-source';
import { DynamoDbBudgetAlertLedger } from '../adapters/dynamodb/budget-alert-table';
import { SnsAdminNotifier } from '../adapters/sns-admin-notifier';
import { tenantManifestsRenderer } from '../adapters/tenant-manifests-renderer';
import { readCostEnforcerConfig } from '../config/function-config';
import type { CostEnforcerHandlerDeps } from '../handlers/cost-enforcer';
import { deployedPlatformConfig } from '../config/deployed-platform-config';
import { createFunctionLogger } from '../runtime/logger';
import { documentClient } from './aws-clients';
import { gitOpsRepositoryFromConfig } from './gitops-wiring';

export function costEnforcerDepsFromEnv(env: NodeJS.ProcessEnv = process.env): CostEnforcerHandlerDeps {
  const config = readCostEnforcerConfig(env);
  return {
    policy: {
      defaultMonthlyBudgetUsd: config.defaultMonthlyBudgetUsd,
      thresholdsPercent: config.budgetThresholdsPercent,
      suspendAtLimit: config.suspendAtLimit,
      pricing: config.modelPricing,
      platformConfig: deployedPlatformConfig(),
    },
    repository: gitOpsRepositoryFromConfig(config.gitops, new SecretsManagerClient({})),
    renderer: tenantManifestsRenderer,
    // Clients in the profiles' region (`models.bedrockRegion`), which need not be the function's own.
    usage: new CloudWatchUsageSource(
      new BedrockInferenceProfiles(),
      config.modelPricing.map((m) => m.alias),
      (region) => new CloudWatchClient({ region }),
    ),
    ledger: new DynamoDbBudgetAlertLedger(documentClient(), config.tenantTable),
    notifier: new SnsAdminNotifier(new SNSClient({}), config.alertsTopicArn),
    logger: createFunctionLogger('cost-enforcer'),
    now: () => new Date(),
  };
}
