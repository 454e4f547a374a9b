/**
 * `local-platform offboard <tenant-id>`: sends the offboarding job to a running
 * local platform (its operator socket) and follows the offboarder's steps in
 * the tenant table until the tenant is offboarded.
 */
import { OFFBOARDING_STEPS, type OffboardingStep } from '@openclaw-tenancy/lambdas';
import type { OffboardTenantJob } from '@openclaw-tenancy/shared';
import { operatorRequest, type TenantProgressView } from './operator-socket';

/** What each step of the offboarder has done once it is recorded. */
const STEP_DONE: Readonly<Record<OffboardingStep, string>> = {
  userAccess: 'owner disabled in the user pool (no sign-in, no refresh)',
  registry: 'tombstone committed: the folder keeps the data only, the gateway and the route go',
  podIdentity: 'Pod Identity association removed',
  inferenceProfiles: 'inference profiles deleted',
  secrets: 'gateway secret scheduled for deletion',
  notified: 'operators notified',
};

export interface OffboardCommandOptions {
  readonly socketPath: string;
  readonly tenantId: string;
  readonly reason: string;
  /** @default 120000 */
  readonly timeoutMs?: number;
  /** @default 250 */
  readonly pollMs?: number;
  /** Progress lines (not called with --json). */
  readonly progress: (line: string) => void;
}

export interface OffboardCommandResult {
  readonly job: OffboardTenantJob;
  readonly tenant: TenantProgressView;
}

export class OffboardTimeoutError extends Error {
  constructor(
    readonly tenant: TenantProgressView | undefined,
    timeoutMs: number,
  ) {
    const pending = OFFBOARDING_STEPS.filter((s) => !tenant?.offboarding[s]);
    super(`the offboarder has not finished within ${timeoutMs / 1000} s; pending: ${pending.join(', ')} (see the platform's log)`);
    this.name = 'OffboardTimeoutError';
  }
}

export async function runOffboardCommand(options: OffboardCommandOptions): Promise<OffboardCommandResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const { job } = await operatorRequest<{ job: OffboardTenantJob }>(options.socketPath, 'POST', '/offboard', {
    tenantId: options.tenantId,
    reason: options.reason,
  });
  options.progress(`offboarding job for ${job.tenantId} queued (reason: ${job.reason})`);
  const reported = new Set<OffboardingStep>();
  const deadline = Date.now() + timeoutMs;
  let tenant: TenantProgressView | undefined;
  for (;;) {
    tenant = await operatorRequest<TenantProgressView>(options.socketPath, 'GET', `/tenants/${encodeURIComponent(job.tenantId)}`);
    for (const step of OFFBOARDING_STEPS) {
      if (tenant.offboarding[step] && !reported.has(step)) {
        reported.add(step);
        options.progress(`  ${STEP_DONE[step]}`);
      }
    }
    if (tenant.status === 'deleted' && reported.size === OFFBOARDING_STEPS.length) return { job, tenant };
    if (Date.now() > deadline) throw new OffboardTimeoutError(tenant, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
}
