/**
 * What the lifecycle commands talk to. Every port is one the platform's own
 * functions use (from `@openclaw-tenancy/lambdas`), so a command runs the
 * platform's code path against the deployment's real resources; only the
 * read-only views an operator needs beyond that (finding a Cognito user,
 * what AWS holds for a tenant) are defined here.
 */
import type {
  ClaimedUser,
  GitOpsRepository,
  JobQueue,
  ManifestRenderer,
  TenantClaims,
  TenantProgress,
  UsageSource,
  UserDirectory,
  UserInvitations,
} from '@openclaw-tenancy/lambdas';
import type { PlatformConfig } from '@openclaw-tenancy/shared';
import type { ComputeUsageSource } from '../usage/compute-usage';

/** A confirmed user of the pool, as the claim needs it. */
export interface PoolUser extends ClaimedUser {
  /** The Cognito `sub`: the tenant's owner. */
  readonly sub: string;
  readonly email: string;
  /** Cognito's `UserStatus` (`CONFIRMED`, `UNCONFIRMED`, …). */
  readonly status: string;
  readonly enabled: boolean;
}

/** Finds users of the platform's user pool. */
export interface UserLookup {
  byEmail(email: string): Promise<PoolUser | undefined>;
  bySub(sub: string): Promise<PoolUser | undefined>;
}

/** What AWS holds for one tenant, read-only. */
export interface TenantResourceView {
  readonly secret: 'present' | 'scheduled-for-deletion' | 'absent';
  /** ARN of the Pod Identity association of the tenant's service account; undefined when there is none. */
  readonly podIdentityAssociationArn?: string;
  /** The tenant's application inference profiles (one name per catalog model), name → ARN. */
  readonly inferenceProfiles: Readonly<Record<string, string>>;
}

export interface TenantResourceInspector {
  inspect(tenantId: string): Promise<TenantResourceView>;
}

/** The ids the tenant table holds claims for (claims reach Git only when provisioned). */
export interface ClaimedTenantIds {
  list(): Promise<string[]>;
}

export interface LifecyclePorts {
  /** The platform config the deployment runs with (the file the operator deploys). */
  readonly config: PlatformConfig;
  readonly claims: TenantClaims;
  readonly claimedTenantIds: ClaimedTenantIds;
  readonly progress: TenantProgress;
  readonly users: UserDirectory;
  readonly userLookup: UserLookup;
  /** Creates invited users in the pool (`AdminCreateUser`; Cognito e-mails the temporary password). */
  readonly invitations: UserInvitations;
  /** The queue the provisioner consumes. */
  readonly provisioningQueue: JobQueue;
  /** The queue the offboarder consumes. */
  readonly offboardingQueue: JobQueue;
  readonly repository: GitOpsRepository;
  readonly renderer: ManifestRenderer;
  readonly usage: UsageSource;
  /** Running pod-hours per tenant namespace (compute showback). */
  readonly compute: ComputeUsageSource;
  readonly resources: TenantResourceInspector;
  readonly now: () => Date;
}

/** Progress of long work, one line each (stderr in the CLI, so stdout stays parseable). */
export type ProgressReporter = (line: string) => void;
