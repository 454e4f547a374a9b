import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_ROLLOUT_WAVES,
  DEFAULT_WAVE_TIMEOUT_SECONDS,
  InvitationRefusedError,
  ROLLBACK_WAVES,
  RolloutStoppedError,
  parseWaves,
  type JobQueue,
  type TenantProgress,
  type TenantProgressRecord,
} from '@openclaw-tenancy/lambdas';
import type { TenantJob } from '@openclaw-tenancy/shared';
import { runInviteCommand } from '../src/operator/invite-command';
import { runOffboardCommand } from '../src/operator/offboard-command';
import {
  OperatorRequestError,
  OperatorSocket,
  operatorRequest,
  startOperatorSocket,
  type LocalRolloutRequest,
  type RolloutOutcome,
} from '../src/operator/operator-socket';
import { ROLLOUT_EXIT_CODES, UpgradeInterruptedError, runUpgradeCommand } from '../src/operator/upgrade-command';

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

  /** What the platform's rollout was asked for, and how it behaves: a finished, stopped or endless rollout. */
  const rollouts: Array<{ request: LocalRolloutRequest; signal: AbortSignal }> = [];
  let rolloutBehaviour: 'finish' | 'fail-gate' | 'wait' = 'finish';
  const rollOut = async (request: LocalRolloutRequest, signal: AbortSignal, progress: (line: string) => void) => {
    rollouts.push({ request, signal });
    const result = { dryRun: false, image: 'r:t', toPlatformImage: false, total: 3, done: 1, pinned: {}, waves: [], complete: false };
    progress('wave 1 of 2: alice → r:t (one commit)');
    if (rolloutBehaviour === 'fail-gate') throw new RolloutStoppedError('wave 1: alice failed on r:t', 'unhealthy', result);
    if (rolloutBehaviour === 'wait') await new Promise((resolve) => signal.addEventListener('abort', resolve));
    progress('  alice: healthy');
    return { ...result, done: 3, complete: true };
  };

  beforeEach(async () => {
    rollouts.length = 0;
    rolloutBehaviour = 'finish';
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'operator-socket-'));
    sent.length = 0;
    invited.length = 0;
    socket = await startOperatorSocket({
      path: path.join(dir, 'operator.sock'),
      progress: progressOf(records),
      offboardingQueue: queue,
      invite,
      rollOut,
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

  it.each([
    [{ image: '2026.10.1', rollback: true }, /exactly one of "image"/],
    [{}, /exactly one of "image"/],
    [{ image: 'latest' }, /moving tags/],
    [{ image: 'evil.example/x:1' }, /not a repository/],
    [{ image: '2026.10.1', waves: '10%,5%' }, /not larger than 10%/],
    [{ image: '2026.10.1', waveTimeoutSeconds: 0 }, /waveTimeoutSeconds/],
  ])('refuses the rollout %j with 400 and starts nothing', async (body, message) => {
    const refusal = await operatorRequest(socketPath(), 'POST', '/upgrade', body).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ status: 400, message: expect.stringMatching(message) });
    expect(rollouts).toEqual([]);
  });

  it('streams the rollout: progress lines as they come, then its result; defaults named once', async () => {
    const lines: string[] = [];
    const end = await runUpgradeCommand({
      socketPath: socketPath(),
      image: '2026.10.1@' + `sha256:${'a'.repeat(64)}`,
      rollback: false,
      progress: (l) => lines.push(l),
    });
    expect(end).toMatchObject({ result: { done: 3, complete: true } });
    expect(lines).toEqual(['wave 1 of 2: alice → r:t (one commit)', '  alice: healthy']);
    expect(rollouts[0]?.request).toEqual({
      build: { tag: '2026.10.1', digest: `sha256:${'a'.repeat(64)}` },
      waves: parseWaves(DEFAULT_ROLLOUT_WAVES),
      waveTimeoutMs: DEFAULT_WAVE_TIMEOUT_SECONDS * 1000,
    });
    await runUpgradeCommand({ socketPath: socketPath(), rollback: true, progress: () => {} });
    expect(rollouts[1]?.request).toEqual({ waves: parseWaves(ROLLBACK_WAVES), waveTimeoutMs: DEFAULT_WAVE_TIMEOUT_SECONDS * 1000 });
  });

  it('ends the stream with how the rollout stopped, for the exit code', async () => {
    rolloutBehaviour = 'fail-gate';
    const end = await runUpgradeCommand({ socketPath: socketPath(), image: '2026.99.0', rollback: false, progress: () => {} });
    expect(end).toMatchObject({ error: 'wave 1: alice failed on r:t', outcome: 'stopped', stoppedBy: 'unhealthy', rollout: { done: 1 } });
    expect(ROLLOUT_EXIT_CODES[(end as { outcome: RolloutOutcome }).outcome]).toBe(4);
  });

  it('stops the rollout when the operator does (Ctrl-C closes the connection)', async () => {
    rolloutBehaviour = 'wait';
    const interrupt = new AbortController();
    const lines: string[] = [];
    const running = runUpgradeCommand({
      socketPath: socketPath(),
      image: '2026.10.1',
      rollback: false,
      signal: interrupt.signal,
      progress: (l) => {
        lines.push(l);
        interrupt.abort();
      },
    });
    await expect(running).rejects.toThrow(UpgradeInterruptedError);
    const signal = rollouts[0]?.signal;
    for (let i = 0; i < 100 && !signal?.aborted; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(signal?.aborted).toBe(true);
  });

  it('says so when no platform runs on the state folder', async () => {
    await expect(
      runOffboardCommand({ socketPath: path.join(dir, 'none.sock'), tenantId: 'alice', reason: 'x', progress: () => {} }),
    ).rejects.toThrow(/no local platform is running on this state folder .*npm run local/);
  });
});
