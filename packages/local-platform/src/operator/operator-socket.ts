/**
 * The operators' way in to a running local platform: a Unix socket in the
 * state folder (mode 0600, so only the user who started the platform — root —
 * can connect), standing in for what operators do in AWS with their IAM role:
 * invite a user, send a job to the offboarding queue, follow a tenant's
 * progress item. Each runs the platform's code path (the invitation and claim
 * of `inviteAndProvision`, the offboarding queue and offboarder); nothing here
 * provisions or offboards by itself.
 *
 *   POST /invite     {"email","name"?}     → 202 {"tenantId","email","owner"} | 400/409 {"error"}
 *   POST /offboard   {"tenantId","reason"}  → 202 {"job"} | 400/404/409 {"error"}
 *   GET  /tenants/<id>                      → 200 {"status","provisioningPending","offboarding"} | 404 {"error"}
 *   POST /upgrade    {"image"|"rollback", "waves"?, "waveTimeoutSeconds"?}
 *                    → 400 {"error"} | 200 NDJSON: {"progress"} lines, then {"result"} or {"error","outcome",…};
 *                      closing the connection stops the rollout between two checks (the committed waves stay)
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import {
  DEFAULT_ROLLOUT_WAVES,
  DEFAULT_WAVE_TIMEOUT_SECONDS,
  ROLLBACK_WAVES,
  RolloutRefusedError,
  RolloutStoppedError,
  RolloutUsageError,
  parseWaves,
  type ImageRolloutResult,
  type WaveSize,
  InvitationRefusedError,
  PROVISIONING_STEPS,
  TenantClaimRefusedError,
  type JobQueue,
  type OffboardingStep,
  type ProvisioningStep,
  type TenantProgress,
} from '@openclaw-tenancy/lambdas';
import {
  InvalidEmailError,
  ValidationError,
  assertTenantId,
  parseEmailAddress,
  parseImageBuild,
  parseTenantJob,
  type ImageBuild,
  type OffboardTenantJob,
} from '@openclaw-tenancy/shared';

export interface OperatorSocketDeps {
  /** The socket's path (`<state dir>/operator.sock`). */
  readonly path: string;
  readonly progress: TenantProgress;
  readonly offboardingQueue: JobQueue;
  /** The platform's image rollout (`rollOutImage` on its GitOps remote, gated on its tenant pods). */
  readonly rollOut: (request: LocalRolloutRequest, signal: AbortSignal, progress: (line: string) => void) => Promise<ImageRolloutResult>;
  /** The platform's invitation: the user created, its workspace claimed and the provisioning job sent. */
  readonly invite: (invitation: {
    email: string;
    name?: string;
  }) => Promise<{ readonly tenantId: string; readonly user: { readonly sub: string } }>;
}

/** A rollout as `POST /upgrade` asks for it, checked: a build (undefined: back to the platform image) and its waves. */
export interface LocalRolloutRequest {
  readonly build?: ImageBuild;
  readonly waves: readonly WaveSize[];
  readonly waveTimeoutMs: number;
}

/** How a rollout ended, for the `local-platform upgrade` exit code. */
export type RolloutOutcome = 'done' | 'usage' | 'refused' | 'stopped' | 'failed';

/** The last line of `POST /upgrade`'s stream. */
export type RolloutEnd =
  | { readonly result: ImageRolloutResult }
  | {
      readonly error: string;
      readonly outcome: Exclude<RolloutOutcome, 'done'>;
      readonly stoppedBy?: RolloutStoppedError['reason'];
      readonly rollout?: ImageRolloutResult;
    };

/** What `POST /invite` answers. */
export interface InvitationView {
  readonly email: string;
  readonly tenantId: string;
  readonly owner: string;
}

export interface OperatorSocket {
  close(): Promise<void>;
}

/** What `GET /tenants/<id>` answers: the tenant's progress item as operators follow it. */
export interface TenantProgressView {
  readonly tenantId: string;
  readonly status: string;
  /** Provisioning steps not done yet (none once the workspace is provisioned). */
  readonly provisioningPending: readonly ProvisioningStep[];
  readonly offboarding: Partial<Record<OffboardingStep, string>>;
}

const MAX_BODY_BYTES = 4096;

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function jsonBody(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // refused below
  }
  throw new Refusal(400, 'the request body is not a JSON object');
}

async function invite(deps: OperatorSocketDeps, body: string): Promise<InvitationView> {
  const input = jsonBody(body);
  let email: string;
  try {
    email = parseEmailAddress(input.email).address;
  } catch (e) {
    if (e instanceof InvalidEmailError) throw new Refusal(400, e.message);
    throw e;
  }
  if (input.name !== undefined && (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > 256))
    throw new Refusal(400, 'name must be a non-empty string of at most 256 characters');
  try {
    const claim = await deps.invite({ email, ...(typeof input.name === 'string' ? { name: input.name.trim() } : {}) });
    return { email, tenantId: claim.tenantId, owner: claim.user.sub };
  } catch (e) {
    if (e instanceof InvitationRefusedError || e instanceof TenantClaimRefusedError) throw new Refusal(409, e.message);
    throw e;
  }
}

async function offboard(deps: OperatorSocketDeps, body: string): Promise<OffboardTenantJob> {
  const input = jsonBody(body);
  // The offboarder's own parser: a job it would refuse is never queued.
  const parsed = parseTenantJob(JSON.stringify({ type: 'offboard', tenantId: input.tenantId, reason: input.reason }));
  if (!parsed.job || parsed.job.type !== 'offboard')
    throw new Refusal(400, `the offboarding job would be refused: ${parsed.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
  const job = parsed.job;
  const state = await deps.progress.get(job.tenantId);
  if (!state) throw new Refusal(404, `no tenant "${job.tenantId}" was claimed on this platform`);
  if (state.status === 'deleted') throw new Refusal(409, `tenant "${job.tenantId}" is already offboarded`);
  if (state.status === 'superseded')
    throw new Refusal(409, `tenant id "${job.tenantId}" was superseded by "${state.supersededBy ?? '?'}"; offboard that one`);
  await deps.offboardingQueue.send(job);
  return job;
}

async function view(deps: OperatorSocketDeps, tenantId: string): Promise<TenantProgressView> {
  try {
    assertTenantId(tenantId);
  } catch (e) {
    throw new Refusal(400, (e as Error).message);
  }
  const state = await deps.progress.get(tenantId);
  if (!state) throw new Refusal(404, `no tenant "${tenantId}" was claimed on this platform`);
  return {
    tenantId,
    status: state.status,
    provisioningPending: PROVISIONING_STEPS.filter((step) => !state.provisioning[step]),
    offboarding: state.offboarding,
  };
}

function rolloutRequest(body: string): LocalRolloutRequest {
  const input = jsonBody(body);
  if ((input.image === undefined) === (input.rollback !== true))
    throw new Refusal(400, 'name exactly one of "image" (a build of the platform image) or "rollback": true');
  if (input.image !== undefined && typeof input.image !== 'string') throw new Refusal(400, '"image" must be a string');
  if (input.waves !== undefined && typeof input.waves !== 'string') throw new Refusal(400, '"waves" must be a string such as 1,100%');
  const timeout = input.waveTimeoutSeconds ?? DEFAULT_WAVE_TIMEOUT_SECONDS;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > 86_400)
    throw new Refusal(400, '"waveTimeoutSeconds" must be a whole number of seconds between 1 and 86400');
  try {
    const build = typeof input.image === 'string' ? parseImageBuild(input.image) : undefined;
    const waves = parseWaves((input.waves as string | undefined) ?? (build ? DEFAULT_ROLLOUT_WAVES : ROLLBACK_WAVES));
    return { ...(build ? { build } : {}), waves, waveTimeoutMs: timeout * 1000 };
  } catch (e) {
    if (e instanceof ValidationError || e instanceof RolloutUsageError) throw new Refusal(400, e.message);
    throw e;
  }
}

/** Runs a rollout for one `POST /upgrade`, streaming its progress; the client going away stops it. */
async function streamRollout(deps: OperatorSocketDeps, request: LocalRolloutRequest, res: http.ServerResponse): Promise<void> {
  const stop = new AbortController();
  res.on('close', () => stop.abort());
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const send = (line: object) => {
    if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(line)}\n`);
  };
  let end: RolloutEnd;
  try {
    end = { result: await deps.rollOut(request, stop.signal, (line) => send({ progress: line })) };
  } catch (e) {
    const error = (e as Error).message;
    if (e instanceof RolloutStoppedError) end = { error, outcome: 'stopped', stoppedBy: e.reason, rollout: e.result };
    else if (e instanceof RolloutRefusedError) end = { error, outcome: 'refused' };
    else if (e instanceof RolloutUsageError) end = { error, outcome: 'usage' };
    else end = { error, outcome: 'failed' };
  }
  send(end);
  res.end();
}

export async function startOperatorSocket(deps: OperatorSocketDeps): Promise<OperatorSocket> {
  fs.rmSync(deps.path, { force: true });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/upgrade' && size <= MAX_BODY_BYTES) {
        let request: LocalRolloutRequest;
        try {
          request = rolloutRequest(Buffer.concat(chunks).toString('utf8'));
        } catch (e) {
          const status = e instanceof Refusal ? e.status : 500;
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: (e as Error).message }));
          return;
        }
        void streamRollout(deps, request, res);
        return;
      }
      const route = async (): Promise<[number, unknown]> => {
        if (size > MAX_BODY_BYTES) throw new Refusal(413, `the request body is over ${MAX_BODY_BYTES} bytes`);
        const url = req.url ?? '/';
        const body = Buffer.concat(chunks).toString('utf8');
        if (req.method === 'POST' && url === '/invite') return [202, await invite(deps, body)];
        if (req.method === 'POST' && url === '/offboard') return [202, { job: await offboard(deps, body) }];
        const tenant = /^\/tenants\/([^/]+)$/.exec(url);
        if (req.method === 'GET' && tenant) return [200, await view(deps, decodeURIComponent(tenant[1] ?? ''))];
        throw new Refusal(404, `no ${req.method} ${url}`);
      };
      route().then(
        ([status, json]) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json)),
        (e: Error) =>
          res
            .writeHead(e instanceof Refusal ? e.status : 500, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: e.message })),
      );
    });
  });
  // The socket file is created by bind with the process umask: created 0600 from the start, never readable in between.
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(deps.path, () => resolve());
    });
  } finally {
    process.umask(umask);
  }
  fs.chmodSync(deps.path, 0o600);
  return {
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(deps.path, { force: true });
    },
  };
}

export class OperatorRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'OperatorRequestError';
  }
}

/** One request to a running platform's operator socket; a refusal throws {@link OperatorRequestError} with its message. */
export async function operatorRequest<T>(socketPath: string, method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  if (!fs.existsSync(socketPath)) {
    throw new OperatorRequestError(
      0,
      `no local platform is running on this state folder (${socketPath} is missing); start it with \`npm run local\``,
    );
  }
  return new Promise<T>((resolve, reject) => {
    const req = http.request({ socketPath, method, path: url, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const json = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { error?: string };
        if ((res.statusCode ?? 500) >= 400) reject(new OperatorRequestError(res.statusCode ?? 500, json.error ?? `HTTP ${res.statusCode}`));
        else resolve(json as T);
      });
    });
    req.on('error', (e) => reject(new OperatorRequestError(0, `the local platform did not answer on ${socketPath}: ${e.message}`)));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
