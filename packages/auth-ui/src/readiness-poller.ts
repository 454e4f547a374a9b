/**
 * Polls the workspace's readiness through the edge (`/t/<id>/_platform/ready`,
 * which the edge maps to the gateway's `/readyz`) with the session cookie.
 * Ready means HTTP 200 with `{"ready": true}` — a real signal of the gateway,
 * never a header an intermediary could add.
 */
import { tenantNames } from '@openclaw-tenancy/shared';

export type ReadinessOutcome = 'ready' | 'timeout' | 'unauthenticated' | 'forbidden';

/**
 * What the last poll showed, from real signals only:
 * - `waiting-for-workspace`: the edge has no gateway for the workspace yet (it is being created, or
 *   its gateway has not passed its readiness check); the edge says so with `workspace-starting`;
 * - `gateway-starting`: the gateway itself answered, not ready yet (its `/readyz` lists what is failing);
 * - `unreachable`: no answer (the edge or the network is restarting).
 */
export type WorkspacePhase = 'waiting-for-workspace' | 'gateway-starting' | 'unreachable';

export interface ReadinessOptions {
  readonly tenantId: string;
  readonly timeoutMs: number;
  /**
   * A poll is one small request through the edge to `/readyz` (in the cluster also the wake signal KEDA
   * counts); polling twice a second keeps the wait after the gateway is ready at a quarter second on average.
   * @default 500
   */
  readonly intervalMs?: number;
  /** Called after each poll with elapsed milliseconds and what the poll showed. */
  readonly onTick: (elapsedMs: number, phase: WorkspacePhase) => void;
}

/** The longest wait a `Retry-After` may ask for between polls (a longer one would hide a ready workspace). */
const MAX_RETRY_AFTER_MS = 5000;

/** The wait the edge asked for with `Retry-After: <seconds>`, bounded; undefined when it asked for none. */
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null || !/^\d{1,4}$/.test(header.trim())) return undefined;
  return Math.min(Number(header.trim()) * 1000, MAX_RETRY_AFTER_MS);
}

/** The phase a not-ready answer shows: the edge's own `workspace-starting` refusal, or the gateway's answer. */
export function phaseOf(status: number, body: { readonly error?: unknown; readonly ready?: unknown }): WorkspacePhase {
  if (body.error === 'workspace-starting') return 'waiting-for-workspace';
  return status === 200 || body.ready === false ? 'gateway-starting' : 'waiting-for-workspace';
}

export async function waitForWorkspace(options: ReadinessOptions): Promise<ReadinessOutcome> {
  const started = Date.now();
  const url = tenantNames(options.tenantId).readinessPath;
  const interval = options.intervalMs ?? 500;
  for (;;) {
    let phase: WorkspacePhase = 'unreachable';
    // Each refused poll is a line in the browser's console: wait as long as the edge asks (Retry-After).
    let wait = interval;
    try {
      const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } });
      if (response.status === 401) return 'unauthenticated';
      if (response.status === 403) return 'forbidden';
      const body = (await response.json().catch(() => ({}))) as { ready?: unknown; error?: unknown };
      if (response.status === 200 && body.ready === true) return 'ready';
      phase = phaseOf(response.status, body);
      wait = Math.max(interval, retryAfterMs(response.headers.get('retry-after')) ?? 0);
    } catch {
      // The edge or gateway is restarting: keep polling until the deadline.
    }
    const elapsed = Date.now() - started;
    options.onTick(elapsed, phase);
    if (elapsed >= options.timeoutMs) return 'timeout';
    await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(0, options.timeoutMs - elapsed))));
  }
}

/**
 * How long a workspace usually takes to answer, measured on the platform's smallest machines
 * (packages/local-platform README): a new one is created and its gateway started (30-60 s), a
 * returning one only waits for a gateway that may be waking up.
 */
export const TYPICAL_WAIT_MS = { new: 45_000, returning: 10_000 } as const;

/**
 * The text under the progress bar. It names what is being waited for and how long that usually
 * takes, and says so when it takes longer; it does not invent steps the page cannot see.
 */
export function progressStage(elapsedMs: number, isNew: boolean, phase?: WorkspacePhase): string {
  const typical = isNew ? TYPICAL_WAIT_MS.new : TYPICAL_WAIT_MS.returning;
  if (phase === 'unreachable') return 'Reconnecting to the platform…';
  if (phase === 'gateway-starting') return 'Your assistant is starting…';
  if (elapsedMs > 2 * typical) return 'This is taking longer than usual; still waiting for your workspace…';
  return isNew ? 'Creating your private workspace and starting your assistant (usually under a minute)…' : 'Waking up your workspace…';
}

/**
 * The progress bar's value (5-95 %): it rises quickly at first and keeps moving, slower and
 * slower, for as long as the wait lasts, so it never stalls and never jumps from a low value to
 * done; it reaches about 70 % at the typical wait. 100 % is for "ready" only.
 */
export function progressPercent(elapsedMs: number, isNew: boolean): number {
  const typical = isNew ? TYPICAL_WAIT_MS.new : TYPICAL_WAIT_MS.returning;
  const fraction = 1 - Math.exp(-(1.4 * Math.max(0, elapsedMs)) / typical);
  return Math.round(5 + 90 * fraction);
}
