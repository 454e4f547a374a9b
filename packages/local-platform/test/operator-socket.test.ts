import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvitationRefusedError, type JobQueue, type TenantProgress, type TenantProgressRecord } from '@openclaw-tenancy/lambdas';
import type { TenantJob } from '@openclaw-tenancy/shared';
import { runInviteCommand } from '../src/operator/invite-command';
import { runOffboardCommand } from '../src/operator/offboard-command';
import { OperatorRequestError, OperatorSocket, operatorRequest, startOperatorSocket } from '../src/operator/operator-socket';

/** The tenant table's progress items as the offboarder leaves them, kept in a map (the port, not DynamoDB). */
function progressOf(records: Record<string, Partial<TenantProgressRecord>>): TenantProgress {
  return {
    get: async (id: string) => records[id] as TenantProgressRecord | undefined,
  } as unknown as TenantProgress;
}

describe('the operator socket of a running local platform', () => {
  let dir: string;
  let socket: OperatorSocket | undefined;
  const sent: TenantJob[] = [];
  const queue: JobQueue = { send: async (job) => void sent.push(job) };
  const invited: Array<{ email: string; name?: string }> = [];
  /** The platform's invitation as far as the socket sees it: taken addresses refused, the rest claimed. */
  const invite = async (invitation: { email: string; name?: string }) => {
    if (invitation.email === 'taken@example.com') throw new InvitationRefusedError('taken@example.com already has an account');
    invited.push(invitation);
    const tenantId = (invitation.email.split('@')[0] ?? '').toLowerCase();
    records[tenantId] = { status: 'claimed', provisioning: {}, offboarding: {} };
    return { tenantId, user: { sub: `sub-${tenantId}` } };
  };
  const records: Record<string, Partial<TenantProgressRecord>> = {
    alice: { status: 'provisioned', provisioning: {}, offboarding: {} },
    bob: { status: 'deleted', provisioning: {}, offboarding: {} },
    old: { status: 'superseded', supersededBy: 'old-2', provisioning: {}, offboarding: {} },
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'operator-socket-'));
    sent.length = 0;
    invited.length = 0;
    socket = await startOperatorSocket({
      path: path.join(dir, 'operator.sock'),
      progress: progressOf(records),
      offboardingQueue: queue,
      invite,
    });
  });
  afterEach(async () => {
    await socket?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const socketPath = () => path.join(dir, 'operator.sock');

  it('is readable and writable by its owner only, and gone after close', async () => {
    expect(fs.statSync(socketPath()).mode & 0o777).toBe(0o600);
    await socket?.close();
    socket = undefined;
    expect(fs.existsSync(socketPath())).toBe(false);
  });

  it.each([
    [{ tenantId: 'Not An Id', reason: 'left' }, 400, /tenantId/],
    [{ tenantId: 'alice', reason: '' }, 400, /reason/],
    [{ tenantId: 'carol', reason: 'left' }, 404, /no tenant "carol"/],
    [{ tenantId: 'bob', reason: 'left' }, 409, /already offboarded/],
    [{ tenantId: 'old', reason: 'left' }, 409, /superseded by "old-2"/],
  ])('refuses %j with %i and queues nothing', async (body, status, message) => {
    const refusal = await operatorRequest(socketPath(), 'POST', '/offboard', body).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(OperatorRequestError);
    expect(refusal).toMatchObject({ status, message: expect.stringMatching(message) });
    expect(sent).toEqual([]);
  });

  it('queues the job the offboarder parses and follows its steps until the tenant is offboarded', async () => {
    const lines: string[] = [];
    const running = runOffboardCommand({
      socketPath: socketPath(),
      tenantId: 'alice',
      reason: 'left-company',
      pollMs: 10,
      progress: (l) => lines.push(l),
    });
    // The offboarder's work, as it records it in the tenant table.
    await new Promise((resolve) => setTimeout(resolve, 50));
    records.alice = {
      status: 'deleted',
      provisioning: {},
      offboarding: { userAccess: 't', registry: 't', podIdentity: 't', inferenceProfiles: 't', secrets: 't', notified: 't' },
    };
    const result = await running;
    expect(sent).toEqual([{ type: 'offboard', tenantId: 'alice', reason: 'left-company' }]);
    expect(result.tenant.status).toBe('deleted');
    expect(lines[0]).toBe('offboarding job for alice queued (reason: left-company)');
    expect(lines.slice(1)).toHaveLength(6);
    expect(lines[1]).toMatch(/owner disabled/);
  });

  it.each([
    [{ email: 'not-an-address' }, 400, /exactly one "@"/],
    [{ email: 'ivy@example.com', name: '' }, 400, /name must be a non-empty string/],
    [{ email: 'taken@example.com' }, 409, /already has an account/],
  ])('refuses the invitation %j with %i', async (body, status, message) => {
    const refusal = await operatorRequest(socketPath(), 'POST', '/invite', body).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ status, message: expect.stringMatching(message) });
    expect(invited).toEqual([]);
  });

  it('invites through the platform and follows provisioning until the workspace is ready', async () => {
    const lines: string[] = [];
    const running = runInviteCommand({
      socketPath: socketPath(),
      email: 'Ivy@Example.com',
      name: 'Ivy',
      pollMs: 10,
      progress: (l) => lines.push(l),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The provisioner's work, as it records it in the tenant table.
    records.ivy = {
      status: 'provisioned',
      provisioning: { secrets: 't', podIdentity: 't', manifests: 't', notified: 't' },
      offboarding: {},
    };
    const result = await running;
    expect(invited).toEqual([{ email: 'Ivy@example.com', name: 'Ivy' }]);
    expect(result.invitation).toEqual({ email: 'Ivy@example.com', tenantId: 'ivy', owner: 'sub-ivy' });
    expect(lines[0]).toMatch(/^invited Ivy@example.com: workspace ivy claimed; the temporary password is in the platform's output/);
    expect(lines.at(-1)).toMatch(/provisioned: ready for the first sign-in/);
  });

  it('says so when no platform runs on the state folder', async () => {
    await expect(
      runOffboardCommand({ socketPath: path.join(dir, 'none.sock'), tenantId: 'alice', reason: 'x', progress: () => {} }),
    ).rejects.toThrow(/no local platform is running on this state folder .*npm run local/);
  });
});
