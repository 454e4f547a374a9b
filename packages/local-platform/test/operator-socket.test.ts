import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JobQueue, TenantProgress, TenantProgressRecord } from '@openclaw-tenancy/lambdas';
import type { TenantJob } from '@openclaw-tenancy/shared';
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
  const records: Record<string, Partial<TenantProgressRecord>> = {
    alice: { status: 'provisioned', offboarding: {} },
    bob: { status: 'deleted', offboarding: {} },
    old: { status: 'superseded', supersededBy: 'old-2', offboarding: {} },
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'operator-socket-'));
    sent.length = 0;
    socket = await startOperatorSocket({ path: path.join(dir, 'operator.sock'), progress: progressOf(records), offboardingQueue: queue });
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
      offboarding: { userAccess: 't', registry: 't', podIdentity: 't', inferenceProfiles: 't', secrets: 't', notified: 't' },
    };
    const result = await running;
    expect(sent).toEqual([{ type: 'offboard', tenantId: 'alice', reason: 'left-company' }]);
    expect(result.tenant.status).toBe('deleted');
    expect(lines[0]).toBe('offboarding job for alice queued (reason: left-company)');
    expect(lines.slice(1)).toHaveLength(6);
    expect(lines[1]).toMatch(/owner disabled/);
  });

  it('says so when no platform runs on the state folder', async () => {
    await expect(
      runOffboardCommand({ socketPath: path.join(dir, 'none.sock'), tenantId: 'alice', reason: 'x', progress: () => {} }),
    ).rejects.toThrow(/no local platform is running on this state folder .*npm run local/);
  });
});
