import { TYPICAL_WAIT_MS, phaseOf, progressPercent, progressStage, retryAfterMs, waitForWorkspace } from '../src/readiness-poller';

type Answer = { status: number; body: unknown; retryAfter?: string } | 'network-error';

/** `fetch` answering the readiness path from a script, recording when each poll came. */
function scriptedFetch(answers: Answer[]): { calls: number[] } {
  const calls: number[] = [];
  global.fetch = (async () => {
    calls.push(Date.now());
    const answer = answers.shift() ?? { status: 200, body: { ready: true } };
    if (answer === 'network-error') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: answer.retryAfter ? { 'retry-after': answer.retryAfter } : {},
    });
  }) as typeof fetch;
  return { calls };
}

describe('waiting for a workspace', () => {
  const realFetch = global.fetch;
  afterEach(() => {
    global.fetch = realFetch;
  });

  it('reports what each poll showed: the edge still waiting for the workspace, the gateway starting, no answer', async () => {
    scriptedFetch([
      { status: 503, body: { ready: false, error: 'workspace-starting' } },
      'network-error',
      { status: 503, body: { ready: false, failing: ['channels'] } },
      { status: 200, body: { ready: true } },
    ]);
    const phases: string[] = [];
    const outcome = await waitForWorkspace({
      tenantId: 'alice',
      timeoutMs: 10_000,
      intervalMs: 1,
      onTick: (_, phase) => phases.push(phase),
    });
    expect(outcome).toBe('ready');
    expect(phases).toEqual(['waiting-for-workspace', 'unreachable', 'gateway-starting']);
  });

  it('polls no faster than the edge asks with Retry-After, so fewer refused requests reach the console', async () => {
    const { calls } = scriptedFetch([
      { status: 503, body: { error: 'workspace-starting' }, retryAfter: '1' },
      { status: 200, body: { ready: true } },
    ]);
    await waitForWorkspace({ tenantId: 'alice', timeoutMs: 10_000, intervalMs: 10, onTick: () => undefined });
    expect((calls[1] as number) - (calls[0] as number)).toBeGreaterThanOrEqual(990);
  });

  it('fails closed: 401 and 403 end the wait at once with what they mean', async () => {
    scriptedFetch([{ status: 401, body: {} }]);
    expect(await waitForWorkspace({ tenantId: 'alice', timeoutMs: 10_000, intervalMs: 1, onTick: () => undefined })).toBe(
      'unauthenticated',
    );
    scriptedFetch([{ status: 403, body: {} }]);
    expect(await waitForWorkspace({ tenantId: 'alice', timeoutMs: 10_000, intervalMs: 1, onTick: () => undefined })).toBe('forbidden');
  });

  it('is not fooled by a 200 that is not the gateway saying ready', async () => {
    scriptedFetch(Array.from({ length: 50 }, () => ({ status: 200, body: '<html>' })));
    expect(await waitForWorkspace({ tenantId: 'alice', timeoutMs: 30, intervalMs: 1, onTick: () => undefined })).toBe('timeout');
  });
});

describe('the progress shown while waiting', () => {
  it('never stalls and never jumps: it rises with time, stays below 95 %, and is about 70 % at the typical wait', () => {
    const values = Array.from({ length: 121 }, (_, s) => progressPercent(s * 1000, true));
    for (let i = 1; i < values.length; i += 1) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1] as number);
    expect(values[0]).toBe(5);
    expect(Math.max(...values)).toBeLessThanOrEqual(95);
    expect(progressPercent(TYPICAL_WAIT_MS.new, true)).toBeGreaterThanOrEqual(65);
    expect(progressPercent(TYPICAL_WAIT_MS.new, true)).toBeLessThanOrEqual(75);
    // A workspace ready after 14 s no longer sits at 19 % before it opens.
    expect(progressPercent(14_000, true)).toBeGreaterThan(30);
    expect(progressPercent(TYPICAL_WAIT_MS.returning, false)).toBeGreaterThanOrEqual(65);
  });

  it('names what it waits for, says when it takes longer than usual, and follows what the poll showed', () => {
    expect(progressStage(1000, true)).toMatch(/usually under a minute/);
    expect(progressStage(2 * TYPICAL_WAIT_MS.new + 1, true)).toMatch(/taking longer than usual/);
    expect(progressStage(1000, true, 'gateway-starting')).toBe('Your assistant is starting…');
    expect(progressStage(1000, false, 'unreachable')).toBe('Reconnecting to the platform…');
    expect(progressStage(1000, false)).toBe('Waking up your workspace…');
  });

  it('reads Retry-After as bounded whole seconds and ignores anything else', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('600')).toBe(5000);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:00 GMT')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });

  it('tells the edge’s own refusal from the gateway’s answer', () => {
    expect(phaseOf(503, { error: 'workspace-starting', ready: false })).toBe('waiting-for-workspace');
    expect(phaseOf(503, { ready: false, failing: ['x'] } as { ready: boolean })).toBe('gateway-starting');
    expect(phaseOf(200, { ready: false })).toBe('gateway-starting');
    expect(phaseOf(502, {})).toBe('waiting-for-workspace');
  });
});
