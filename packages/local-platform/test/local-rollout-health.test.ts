import type { IdleTenantState } from '../src/idle/idle-tenants';
import { LocalRolloutHealth } from '../src/operator/local-rollout-health';

const NEW = 'ghcr.io/openclaw/openclaw:2026.9.6@sha256:' + 'a'.repeat(64);
const OLD = 'ghcr.io/openclaw/openclaw:2026.9.6';

describe('the local health gate of a rollout wave', () => {
  let desired: string | undefined;
  let state: IdleTenantState;
  let health: LocalRolloutHealth;
  beforeEach(() => {
    desired = NEW;
    state = 'starting';
    health = new LocalRolloutHealth({ desiredImage: () => desired, state: () => state });
  });

  it('waits while the reconciler has not applied the commit, then while the pod starts the image', async () => {
    desired = OLD;
    health.podEvent({ type: 'ready', tenantId: 'alice', image: OLD, owner: 'o', address: 'a', port: 1, startupMs: 1 });
    expect(await health.check('alice', NEW)).toEqual({
      state: 'pending',
      detail: `the reconciler has not applied the commit yet (runs ${OLD})`,
    });
    desired = NEW;
    expect(await health.check('alice', NEW)).toEqual({ state: 'pending', detail: 'the pod has not started the image yet' });
    health.podEvent({ type: 'starting', tenantId: 'alice', image: NEW, address: 'a' });
    expect(await health.check('alice', NEW)).toEqual({ state: 'pending', detail: 'starting' });
  });

  it('passes once the pod of the image is ready and routed', async () => {
    health.podEvent({ type: 'ready', tenantId: 'alice', image: NEW, owner: 'o', address: 'a', port: 1, startupMs: 1 });
    state = 'running';
    expect(await health.check('alice', NEW)).toEqual({ state: 'healthy' });
  });

  it('fails when the pod cannot start the image or OpenClaw rejects its config', async () => {
    health.podEvent({
      type: 'failed',
      tenantId: 'alice',
      image: NEW,
      reason: 'the pod could not be started: no such image',
      details: [],
      restartInMs: 10_000,
    });
    expect(await health.check('alice', NEW)).toEqual({ state: 'failed', detail: 'the pod could not be started: no such image' });
    health.podEvent({ type: 'invalid', tenantId: 'alice', image: NEW, issues: ['gateway.port: bad'] });
    expect(await health.check('alice', NEW)).toEqual({ state: 'failed', detail: 'OpenClaw rejected its config: gateway.port: bad' });
  });

  it('has nothing to prove for a suspended or idle tenant', async () => {
    state = 'idle-suspended';
    expect((await health.check('alice', NEW)).state).toBe('not-running');
    desired = undefined;
    expect((await health.check('alice', NEW)).state).toBe('not-running');
  });
});
