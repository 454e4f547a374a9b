export { PLATFORM_ADMIN_SUBCOMMANDS } from './cli/subcommands';
export type { PlatformAdminSubcommand } from './cli/subcommands';
export {
  commandReferences,
  configKeyExists,
  configKeyReferences,
  missingCommand,
  repositoryCommands,
} from './operations-guide/guide-references';
export type { GuideCommand, GuideReference, RepositoryCommands } from './operations-guide/guide-references';
export { CHECK_STATUSES } from './preflight/check-result';
export type { CheckResult, CheckStatus } from './preflight/check-result';
export { createPreflightClients } from './preflight/preflight-clients';
export type { PreflightClients } from './preflight/preflight-clients';
export { PREFLIGHT_CHECKS, runPreflight } from './preflight/run-preflight';
export type { PreflightCheck, PreflightReport } from './preflight/run-preflight';
export { EXIT_CODES, LifecycleRefusal } from './lifecycle/lifecycle-refusal';
export {
  changeTenantStatus,
  createTenant,
  listTenants,
  sendOffboarding,
  showTenant,
  LifecycleUsageError,
  LIST_STATUSES,
  PROVISIONING_STATUS,
} from './lifecycle/lifecycle-commands';
export type {
  CreateResult,
  CreateTarget,
  OffboardResult,
  StatusChangeResult,
  TenantDetails,
  TenantList,
  TenantListEntry,
} from './lifecycle/lifecycle-commands';
export type {
  ClaimedTenantIds,
  LifecyclePorts,
  PoolUser,
  ProgressReporter,
  TenantResourceInspector,
  TenantResourceView,
  UserLookup,
} from './lifecycle/lifecycle-ports';
export { DynamoDbClaimedTenantIds } from './lifecycle/dynamodb-claim-scan';
export { deployedLifecyclePorts, lifecyclePortsFor } from './lifecycle/aws-lifecycle-ports';
export type { LifecyclePortOptions } from './lifecycle/aws-lifecycle-ports';
export { DeploymentNotFoundError, discoverDeployment } from './lifecycle/platform-deployment';
export type { PlatformDeployment } from './lifecycle/platform-deployment';
export { buildUsageReport, monthPeriod, usageCsv } from './usage/usage-report';
export type { UsageReport, UsageRow } from './usage/usage-report';
export { buildRestorePlan, parseRestoreTime, restoreMetadataFor, RESTORE_SUSPEND_REASON } from './restore/restore-plan';
export type { RestorePlan, RestorePlanInput, RestoreStep } from './restore/restore-plan';
export { executeRestorePlan } from './restore/restore-executor';
export type { RestoreExecutorDeps, RestoreResult, StepOutcome } from './restore/restore-executor';
export { AwsTenantBackups } from './restore/aws-tenant-backups';
export type { BackupTarget, RecoveryPoint, TenantBackups, WorkloadProbe } from './restore/restore-ports';
export { VERIFY_CHECKS, httpStatusOf, runVerify } from './verify/verify-checks';
export type { VerifyPorts, VerifyReport } from './verify/verify-checks';
export { deployedVerifyPorts } from './verify/deployed-verify-ports';
export { KubeconfigError, readKubeconfig } from './kubernetes/kubeconfig';
export type { KubernetesEndpoint } from './kubernetes/kubeconfig';
export { KubernetesTenantWorkload, schemaVersionFor } from './kubernetes/tenant-workload';
export { KubernetesRolloutHealth } from './kubernetes/rollout-health';
export type { TenantWorkloadReader, WorkloadState } from './kubernetes/tenant-workload';
export { ContainerInsightsComputeUsage, computeShowback } from './usage/compute-usage';
export type { ComputeUsage, ComputeUsageSource } from './usage/compute-usage';
