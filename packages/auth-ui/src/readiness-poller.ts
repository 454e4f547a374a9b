/**
 * Polls the workspace's readiness through the edge (`/t/<id>/_platform/ready`,
 * which the edge maps to the gateway's `/readyz`) with the session cookie.
 * Ready means HTTP 200 with `{"ready": true}` — a real signal of the gateway,
 * never a header an intermediary could add.
 */
import { tenantNames } from '@openclaw-tenancy/shared';

export type ReadinessOutcome = 'ready' | 'timeout' | 'unauthenticated' | 'forbidden';

export interface ReadinessOptions {
  readonly tenantId: string;
  readonly timeoutMs: number;
  /**
   * A poll is one small request through the edge to `/readyz`; polling each
   * second keeps the wait after the gateway is ready under a second.
   * @default 1000
   */
  readonly intervalMs?: number;
  /** Called after each poll with elapsed milliseconds. */
  readonly onTick: (elapsedMs: number) => void;
}

export async function waitForWorkspace(options: ReadinessOptions): Promise<ReadinessOutcome> {
  const started = Date.now();
  const url = tenantNames(options.tenantId).readinessPath;
  for (;;) {
    try {
      const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } });
      if (response.status === 401) return 'unauthenticated';
      if (response.status === 403) return 'forbidden';
      if (response.status === 200) {
        const body = (await response.json().catch(() => ({}))) as { ready?: unknown };
        if (body.ready === true) return 'ready';
      }
    } catch {
      // The edge or gateway is restarting: keep polling until the deadline.
    }
    const elapsed = Date.now() - started;
    options.onTick(elapsed);
    if (elapsed >= options.timeoutMs) return 'timeout';
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 1000));
  }
}

/** Staged texts while a new workspace starts (elapsed seconds → text). */
export function progressStage(elapsedMs: number, isNew: boolean): string {
  const s = elapsedMs / 1000;
  if (!isNew) return s < 10 ? 'Waking up your workspace…' : 'Almost there…';
  if (s < 5) return 'Setting up your account…';
  if (s < 20) return 'Preparing your private workspace…';
  if (s < 45) return 'Starting your AI assistant…';
  return 'Almost ready…';
}
