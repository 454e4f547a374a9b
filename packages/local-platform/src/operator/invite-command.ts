/**
 * `local-platform invite <email>`: invites a user to the running local
 * platform (its operator socket), as `npm run admin -- invite` does in AWS,
 * and follows the provisioning of the workspace until it is ready for the
 * user's first sign-in.
 */
import { PROVISIONING_STEPS } from '@openclaw-tenancy/lambdas';
import { operatorRequest, type InvitationView, type TenantProgressView } from './operator-socket';

export interface InviteCommandOptions {
  readonly socketPath: string;
  readonly email: string;
  /** @default - no name */
  readonly name?: string;
  /** @default 120000 */
  readonly timeoutMs?: number;
  /** @default 250 */
  readonly pollMs?: number;
  readonly progress: (line: string) => void;
}

export interface InviteCommandResult {
  readonly invitation: InvitationView;
  readonly tenant: TenantProgressView;
}

export class ProvisioningTimeoutError extends Error {
  constructor(tenant: TenantProgressView | undefined, timeoutMs: number) {
    super(
      `the workspace was not provisioned within ${timeoutMs / 1000} s; pending: ${(tenant?.provisioningPending ?? PROVISIONING_STEPS).join(', ')} (see the platform's log)`,
    );
    this.name = 'ProvisioningTimeoutError';
  }
}

export async function runInviteCommand(options: InviteCommandOptions): Promise<InviteCommandResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const invitation = await operatorRequest<InvitationView>(options.socketPath, 'POST', '/invite', {
    email: options.email,
    ...(options.name ? { name: options.name } : {}),
  });
  options.progress(
    `invited ${invitation.email}: workspace ${invitation.tenantId} claimed; the temporary password is in the platform's output (where Cognito would e-mail it)`,
  );
  const deadline = Date.now() + timeoutMs;
  let reported = '';
  for (;;) {
    const tenant = await operatorRequest<TenantProgressView>(
      options.socketPath,
      'GET',
      `/tenants/${encodeURIComponent(invitation.tenantId)}`,
    );
    const pending = tenant.provisioningPending.join(', ');
    if (tenant.status === 'provisioned' && tenant.provisioningPending.length === 0) {
      options.progress(`  workspace ${invitation.tenantId} provisioned: ready for the first sign-in`);
      return { invitation, tenant };
    }
    if (pending !== reported) {
      options.progress(`  provisioning ${invitation.tenantId}: pending ${pending}`);
      reported = pending;
    }
    if (Date.now() > deadline) throw new ProvisioningTimeoutError(tenant, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
}
