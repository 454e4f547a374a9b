// Public API: handler factories (for the local platform), domain logic, ports
// and adapters. The Lambda entry points are src/handlers/<function>.ts; the
// local stand-ins for tests are the separate entry point
// `@openclaw-tenancy/lambdas/testing` (src/testing/index.ts).
export * from './config/function-config';
export { PLATFORM_CONFIG_DEFINE, platformConfigDefine } from './config/deployed-platform-config';
export * from './domain/bedrock-model-source';
export * from './domain/cost-enforcement';
export * from './domain/hour-window';
export * from './domain/image-rollout';
export * from './domain/offboarding';
export * from './domain/provisioning';
export * from './domain/sign-up-guard';
export * from './domain/sign-up-refusal';
export * from './domain/tenant-claim';
export * from './domain/tenant-gitops-changes';
export * from './events/cognito-trigger-events';
export * from './events/malformed-event-error';
export * from './events/sqs-batch';
export * from './ports/admin-notifier';
export * from './ports/budget-alert-ledger';
export * from './ports/gitops-repository';
export * from './ports/inference-profiles';
export * from './ports/job-queue';
export * from './ports/manifest-renderer';
export * from './ports/pod-identity';
export * from './ports/signup-guard-store';
export * from './ports/tenant-claims';
export * from './ports/tenant-progress';
export * from './ports/tenant-secrets';
export * from './ports/usage-source';
export * from './ports/user-directory';
export * from './adapters/bedrock-inference-profiles';
export * from './adapters/cloudwatch-usage-source';
export * from './adapters/cognito-user-directory';
export * from './adapters/dynamodb/budget-alert-table';
export * from './adapters/dynamodb/signup-guard-table';
export * from './adapters/dynamodb/table-keys';
export * from './adapters/dynamodb/table-schemas';
export * from './adapters/dynamodb/tenant-claims-table';
export * from './adapters/dynamodb/tenant-progress-table';
export * from './adapters/eks-pod-identity';
export * from './adapters/in-memory-inference-profiles';
export * from './adapters/git/isomorphic-git-repository';
export * from './adapters/secrets-manager-tenant-secrets';
export * from './adapters/sns-admin-notifier';
export * from './adapters/sqs-job-queue';
export * from './adapters/tenant-manifests-renderer';
export { createPreSignUpHandler, type PreSignUpHandlerDeps, type PreSignUpHandler } from './handlers/pre-signup';
export {
  createPostConfirmationHandler,
  type PostConfirmationHandlerDeps,
  type PostConfirmationHandler,
} from './handlers/post-confirmation';
export { createProvisionerHandler, type ProvisionerHandlerDeps, type ProvisionerHandler } from './handlers/provisioner';
export { createOffboarderHandler, type OffboarderHandlerDeps, type OffboarderHandler } from './handlers/offboarder';
export {
  createCostEnforcerHandler,
  type CostEnforcerHandlerDeps,
  type CostEnforcerHandler,
  type CostEnforcerResult,
} from './handlers/cost-enforcer';
export { createSessionHandler, type SessionHandlerDeps, type SessionHandler } from './handlers/session';
export { cognitoSessionApi } from './adapters/cognito-session-api';
export { issuedTokenClaims, type IssuedTokenExpectations } from './adapters/cognito-issued-token';
export { sessionRequestOfFunctionUrlEvent, functionUrlResultOf } from './events/function-url-events';
export * from './handler-entries';
export * from './runtime/activity-log';
export * from './runtime/logger';
export { documentClient } from './wiring/aws-clients';
export { gitOpsRepositoryFromConfig } from './wiring/gitops-wiring';
