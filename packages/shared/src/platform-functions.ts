/**
 * The seam between the CDK app and the Lambda handlers: the functions that
 * exist, the environment variables each one reads, and the messages they pass
 * through SQS. Both sides import this module, so a renamed variable or a new
 * job field breaks the build instead of a deployment.
 */
import { IssueCollector, isPlainObject } from './validation';
import { tenantIdProblem } from './tenant-id';
import { OWNER_PATTERN, STATUS_REASON_PATTERN } from './tenant-record';

export const PLATFORM_FUNCTIONS = ['pre-signup', 'post-confirmation', 'provisioner', 'offboarder', 'cost-enforcer', 'session'] as const;
export type PlatformFunction = (typeof PLATFORM_FUNCTIONS)[number];

/** Environment variable names, grouped by what they configure. */
export const FUNCTION_ENV = {
  /** JSON array of allowed e-mail domains (`["*"]` for any). */
  allowedEmailDomains: 'ALLOWED_EMAIL_DOMAINS',
  confirmationsPerDomainPerHour: 'CONFIRMATIONS_PER_DOMAIN_PER_HOUR',
  attemptsPerAddressPerHour: 'ATTEMPTS_PER_ADDRESS_PER_HOUR',
  attemptsPerHour: 'SIGN_UP_ATTEMPTS_PER_HOUR',
  maxTenants: 'MAX_TENANTS',
  /** DynamoDB table: tenant claims, owner index, capacity counter, provisioning progress, budget alert state. */
  tenantTable: 'TENANT_TABLE',
  /** DynamoDB table: sign-up rate-limit windows (items expire by TTL). */
  signupGuardTable: 'SIGNUP_GUARD_TABLE',
  /** DynamoDB table used by Powertools idempotency. */
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  provisioningQueueUrl: 'PROVISIONING_QUEUE_URL',
  offboardingQueueUrl: 'OFFBOARDING_QUEUE_URL',
  alertsTopicArn: 'ALERTS_TOPIC_ARN',
  clusterName: 'CLUSTER_NAME',
  tenantRoleArn: 'TENANT_ROLE_ARN',
  gitRepoUrl: 'GITOPS_REPO_URL',
  gitBranch: 'GITOPS_BRANCH',
  gitCredentialsSecret: 'GITOPS_CREDENTIALS_SECRET',
  gitAuthorName: 'GITOPS_AUTHOR_NAME',
  gitAuthorEmail: 'GITOPS_AUTHOR_EMAIL',
  defaultTenantTier: 'DEFAULT_TENANT_TIER',
  defaultRuntimeTier: 'DEFAULT_RUNTIME_TIER',
  defaultMonthlyBudgetUsd: 'DEFAULT_MONTHLY_BUDGET_USD',
  /** JSON array of alert thresholds in percent. */
  budgetThresholdsPercent: 'BUDGET_THRESHOLDS_PERCENT',
  suspendAtLimit: 'SUSPEND_AT_LIMIT',
  /** JSON array of {alias, id, pricing} from the model catalog. */
  modelPricing: 'MODEL_PRICING',
  workspaceBaseUrl: 'WORKSPACE_BASE_URL',
  /** ARN of the customer-managed KMS key tenant secrets are created with. */
  tenantSecretsKeyArn: 'TENANT_SECRETS_KEY_ARN',
  /** Issuer of the user pool's tokens (`https://cognito-idp.<region>.amazonaws.com/<pool id>`). */
  identityIssuer: 'IDENTITY_ISSUER',
  /** The app client the session endpoint signs in with (the ID token's audience). */
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  /** `true` when the app client rotates refresh tokens (`signup.refreshTokenRotation`). */
  refreshTokenRotation: 'REFRESH_TOKEN_ROTATION',
} as const;
export type FunctionEnvKey = keyof typeof FUNCTION_ENV;

/** Which variables each function reads; the CDK app sets exactly these. */
export const FUNCTION_ENV_KEYS: Readonly<Record<PlatformFunction, readonly FunctionEnvKey[]>> = {
  'pre-signup': [
    'allowedEmailDomains',
    'confirmationsPerDomainPerHour',
    'attemptsPerAddressPerHour',
    'attemptsPerHour',
    'maxTenants',
    'tenantTable',
    'signupGuardTable',
  ],
  'post-confirmation': [
    'confirmationsPerDomainPerHour',
    'maxTenants',
    'tenantTable',
    'signupGuardTable',
    'idempotencyTable',
    'provisioningQueueUrl',
    'defaultTenantTier',
    'defaultRuntimeTier',
  ],
  // The provisioner re-queues jobs whose sign-up window is not open yet (see ADR 0200).
  provisioner: [
    'tenantTable',
    'idempotencyTable',
    'provisioningQueueUrl',
    'alertsTopicArn',
    'clusterName',
    'tenantRoleArn',
    'gitRepoUrl',
    'gitBranch',
    'gitCredentialsSecret',
    'gitAuthorName',
    'gitAuthorEmail',
    'workspaceBaseUrl',
    'tenantSecretsKeyArn',
  ],
  offboarder: [
    'tenantTable',
    'idempotencyTable',
    'alertsTopicArn',
    'clusterName',
    'gitRepoUrl',
    'gitBranch',
    'gitCredentialsSecret',
    'gitAuthorName',
    'gitAuthorEmail',
  ],
  'cost-enforcer': [
    'tenantTable',
    'alertsTopicArn',
    'gitRepoUrl',
    'gitBranch',
    'gitCredentialsSecret',
    'gitAuthorName',
    'gitAuthorEmail',
    'defaultMonthlyBudgetUsd',
    'budgetThresholdsPercent',
    'suspendAtLimit',
    'modelPricing',
  ],
  // The session endpoint behind CloudFront; the public origin is the host a browser's Origin header must name.
  session: ['identityIssuer', 'userPoolClientId', 'refreshTokenRotation', 'workspaceBaseUrl'],
};

/**
 * The functions that synthesize tenant folders. The CDK app bundles the
 * platform config into their code; they never read it from the branch they
 * push to (docs/adr/0006).
 */
export const PLATFORM_CONFIG_FUNCTIONS: readonly PlatformFunction[] = ['provisioner', 'offboarder', 'cost-enforcer'];

/** SQS message asking the provisioner to bring a claimed tenant to its running state. */
export interface ProvisionTenantJob {
  readonly type: 'provision';
  readonly tenantId: string;
  readonly owner: string;
  /** ISO time of the claim; the registry's createdAt, so a replay writes the same file. */
  readonly claimedAt: string;
}

/** SQS message asking the offboarder to tombstone a tenant. */
export interface OffboardTenantJob {
  readonly type: 'offboard';
  readonly tenantId: string;
  /** Short reason recorded in the registry (`statusReason`). */
  readonly reason: string;
}

export type TenantJob = ProvisionTenantJob | OffboardTenantJob;

/** Parses an SQS body into a job; returns the issues instead of throwing so a batch can report one bad record. */
export function parseTenantJob(body: string): { job?: TenantJob; issues: readonly { path: string; message: string }[] } {
  const issues = new IssueCollector();
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    issues.add('', 'the message body is not JSON');
    return { issues: issues.issues };
  }
  if (!isPlainObject(raw)) {
    issues.add('', 'the message body is not a JSON object');
    return { issues: issues.issues };
  }
  const idProblem = typeof raw.tenantId === 'string' ? tenantIdProblem(raw.tenantId) : { detail: 'is required' };
  if (idProblem) issues.add('tenantId', idProblem.detail);
  if (raw.type === 'provision') {
    if (typeof raw.owner !== 'string' || !OWNER_PATTERN.test(raw.owner)) issues.add('owner', 'expected the owner sub');
    if (typeof raw.claimedAt !== 'string' || Number.isNaN(Date.parse(raw.claimedAt))) issues.add('claimedAt', 'expected an ISO timestamp');
    const allowed = ['type', 'tenantId', 'owner', 'claimedAt'];
    for (const k of Object.keys(raw)) if (!allowed.includes(k)) issues.add(k, 'unknown key');
  } else if (raw.type === 'offboard') {
    if (typeof raw.reason !== 'string' || !STATUS_REASON_PATTERN.test(raw.reason))
      issues.add('reason', 'expected a short lower-case reason');
    const allowed = ['type', 'tenantId', 'reason'];
    for (const k of Object.keys(raw)) if (!allowed.includes(k)) issues.add(k, 'unknown key');
  } else {
    issues.add('type', 'expected "provision" or "offboard"');
  }
  return issues.ok ? { job: raw as unknown as TenantJob, issues: [] } : { issues: issues.issues };
}
