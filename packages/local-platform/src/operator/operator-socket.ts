/**
 * The operators' way in to a running local platform: a Unix socket in the
 * state folder (mode 0600, so only the user who started the platform — root —
 * can connect), standing in for what operators do in AWS with their IAM role:
 * send a job to the offboarding queue and follow the tenant's progress item.
 * The job goes to the same queue and the same offboarder as in AWS; nothing
 * here offboards.
 *
 *   POST /offboard   {"tenantId","reason"}  → 202 {"job"} | 400/404/409 {"error"}
 *   GET  /tenants/<id>                      → 200 {"status","offboarding":{step: at}} | 404 {"error"}
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { type JobQueue, type OffboardingStep, type TenantProgress } from '@openclaw-tenancy/lambdas';
import { assertTenantId, parseTenantJob, type OffboardTenantJob } from '@openclaw-tenancy/shared';

export interface OperatorSocketDeps {
  /** The socket's path (`<state dir>/operator.sock`). */
  readonly path: string;
  readonly progress: TenantProgress;
  readonly offboardingQueue: JobQueue;
}

export interface OperatorSocket {
  close(): Promise<void>;
}

/** What `GET /tenants/<id>` answers. */
export interface TenantOffboardingView {
  readonly tenantId: string;
  readonly status: string;
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

async function offboard(deps: OperatorSocketDeps, body: string): Promise<OffboardTenantJob> {
  let input: { tenantId?: unknown; reason?: unknown };
  try {
    input = JSON.parse(body) as typeof input;
  } catch {
    throw new Refusal(400, 'the request body is not JSON');
  }
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

async function view(deps: OperatorSocketDeps, tenantId: string): Promise<TenantOffboardingView> {
  try {
    assertTenantId(tenantId);
  } catch (e) {
    throw new Refusal(400, (e as Error).message);
  }
  const state = await deps.progress.get(tenantId);
  if (!state) throw new Refusal(404, `no tenant "${tenantId}" was claimed on this platform`);
  return { tenantId, status: state.status, offboarding: state.offboarding };
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
      const route = async (): Promise<[number, unknown]> => {
        if (size > MAX_BODY_BYTES) throw new Refusal(413, `the request body is over ${MAX_BODY_BYTES} bytes`);
        const url = req.url ?? '/';
        if (req.method === 'POST' && url === '/offboard')
          return [202, { job: await offboard(deps, Buffer.concat(chunks).toString('utf8')) }];
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.path, () => resolve());
  });
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
