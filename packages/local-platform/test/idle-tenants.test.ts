import type { TenantActivity } from '@openclaw-tenancy/edge';
import { IdleTenantEvent, IdleTenants, describeIdleEvent } from '../src/idle/idle-tenants';
import type { TenantWorkload } from '../src/reconciler/tenant-workload';

/** Records what the gate asks of the pods, as the platform's TenantPods would see it. */
function fakePods() {
  const applied: Array<[string, string | undefined]> = [];
  return {
    applied,
    apply(tenantId: string, workload: TenantWorkload | undefined) {
      applied.push([tenantId, workload?.revision]);
    },
    known: () => [...new Set(applied.map(([id]) => id))],
  };
}

const workload = (revision: string, idleTimeoutSeconds?: number): TenantWorkload =>
  ({ tenantId: 'alice', revision, ...(idleTimeoutSeconds === undefined ? {} : { idleTimeoutSeconds }) }) as unknown as TenantWorkload;

function gate() {
  let now = 1_000_000;
  const pods = fakePods();
  const events: IdleTenantEvent[] = [];
  const idle = new IdleTenants({ pods, report: (e) => events.push(e), now: () => now });
  return {
    idle,
    pods,
    events,
    advance: (seconds: number) => {
      now += seconds * 1000;
      idle.suspendIdle();
    },
  };
}

const request = (tenantId = 'alice', running = true): TenantActivity => ({ kind: 'request', tenantId, running });

describe('IdleTenants', () => {
  it('passes what Git wants straight to the pods', () => {
    const { idle, pods } = gate();
    idle.apply('alice', workload('r1', 20));
    idle.apply('bob', undefined);
    expect(pods.applied).toEqual([
      ['alice', 'r1'],
      ['bob', undefined],
    ]);
  });

  it('stops a ready gateway after its idle timeout and keeps it stopped', () => {
    // GIVEN alice's gateway is ready with a 20 s timeout
    const { idle, pods, events, advance } = gate();
    idle.apply('alice', workload('r1', 20));
    idle.podEvent({ type: 'ready', tenantId: 'alice', image: 'i', owner: 'o', address: 'a', port: 1, startupMs: 1 });
    // WHEN 19 s pass THEN it still runs
    advance(19);
    expect(idle.state('alice')).toBe('running');
    // WHEN the timeout passes THEN it is stopped and reported once
    advance(1);
    expect(pods.applied.at(-1)).toEqual(['alice', undefined]);
    expect(idle.state('alice')).toBe('idle-suspended');
    expect(events).toEqual([{ type: 'idle-suspended', tenantId: 'alice', idleMs: 20_000, timeoutSeconds: 20 }]);
    advance(100);
    expect(events).toHaveLength(1);
  });

  it('starts the idle clock only once the gateway is ready', () => {
    const { idle, advance } = gate();
    idle.apply('alice', workload('r1', 20));
    advance(60);
    expect(idle.state('alice')).toBe('starting');
  });

  it('never stops a gateway without an idle timeout (always-on)', () => {
    const { idle, pods, advance } = gate();
    idle.apply('alice', workload('r1'));
    idle.podEvent({ type: 'ready', tenantId: 'alice', image: 'i', owner: 'o', address: 'a', port: 1, startupMs: 1 });
    advance(86_400);
    expect(idle.state('alice')).toBe('running');
    expect(pods.applied).toEqual([['alice', 'r1']]);
  });

  it('counts each authenticated request as activity', () => {
    const { idle, advance } = gate();
    idle.apply('alice', workload('r1', 20));
    idle.podEvent({ type: 'ready', tenantId: 'alice', image: 'i', owner: 'o', address: 'a', port: 1, startupMs: 1 });
    advance(15);
    idle.activity(request());
    idle.activity({ kind: 'request-ended', tenantId: 'alice' });
    advance(15);
    expect(idle.state('alice')).toBe('running');
    advance(5);
    expect(idle.state('alice')).toBe('idle-suspended');
  });

  it('keeps a gateway up while a relayed request is unanswered (a page load waiting on the gateway), idle from its end', () => {
    const { idle, advance } = gate();
    idle.apply('alice', workload('r1', 10));
    idle.podEvent({ type: 'ready', tenantId: 'alice', image: 'i', owner: 'o', address: 'a', port: 1, startupMs: 1 });
    idle.activity(request());
    advance(30);
    expect(idle.state('alice')).toBe('running');
    idle.activity({ kind: 'request-ended', tenantId: 'alice' });
    advance(9);
    expect(idle.state('alice')).toBe('running');
    advance(1);
    expect(idle.state('alice')).toBe('idle-suspended');
  });

  it('tracks an upgrade that became a WebSocket by the socket alone', () => {
    const { idle, advance } = gate();
    idle.apply('alice', workload('r1', 10));
    idle.podEvent({ type: 'ready', tenantId: 'alice', image: 'i', owner: 'o', address: 'a', port: 1, startupMs: 1 });
    idle.activity(request());
    idle.activity({ kind: 'websocket-opened', tenantId: 'alice' });
    idle.activity({ kind: 'request-ended', tenantId: 'alice' });
    idle.activity({ kind: 'websocket-closed', tenantId: 'alice' });
    advance(10);
    expect(idle.state('alice')).toBe('idle-suspended');
  });

  it('keeps a gateway with an open WebSocket up past the timeout, and idles it from the moment the last one closes', () => {
    const { idle, advance } = gate();
    idle.apply('alice', workload('r1', 20));
    idle.podEvent({ type: 'ready', tenantId: 'alice', image: 'i', owner: 'o', address: 'a', port: 1, startupMs: 1 });
    idle.activity({ kind: 'websocket-opened', tenantId: 'alice' });
    idle.activity({ kind: 'websocket-opened', tenantId: 'alice' });
    advance(600);
    idle.activity({ kind: 'websocket-closed', tenantId: 'alice' });
    advance(600);
    expect(idle.state('alice')).toBe('running');
    idle.activity({ kind: 'websocket-closed', tenantId: 'alice' });
    advance(19);
    expect(idle.state('alice')).toBe('running');
    advance(1);
    expect(idle.state('alice')).toBe('idle-suspended');
  });

  it('wakes an idle gateway on the next authenticated request, with the newest revision Git wants', () => {
    const { idle, pods, events, advance } = gate();
    idle.apply('alice', workload('r1', 20));
    idle.podEvent({ type: 'ready', tenantId: 'alice', image: 'i', owner: 'o', address: 'a', port: 1, startupMs: 1 });
    advance(20);
    // a commit while she is idle does not start her
    idle.apply('alice', workload('r2', 20));
    expect(pods.applied.at(-1)).toEqual(['alice', undefined]);
    idle.activity(request('alice', false));
    expect(pods.applied.at(-1)).toEqual(['alice', 'r2']);
    expect(events.at(-1)).toEqual({ type: 'waking', tenantId: 'alice' });
    expect(idle.state('alice')).toBe('starting');
  });

  it('wakes nobody else: activity for one tenant leaves another idle', () => {
    const { idle, pods, advance } = gate();
    for (const id of ['alice', 'bob']) {
      idle.apply(id, { ...workload('r1', 20), tenantId: id });
      idle.podEvent({ type: 'ready', tenantId: id, image: 'i', owner: 'o', address: 'a', port: 1, startupMs: 1 });
    }
    advance(20);
    const before = pods.applied.length;
    idle.activity(request('bob', false));
    expect(idle.state('alice')).toBe('idle-suspended');
    expect(idle.state('bob')).toBe('starting');
    expect(pods.applied.slice(before)).toEqual([['bob', 'r1']]);
  });

  it('never undoes a suspension in Git: a request for a suspended tenant starts nothing', () => {
    const { idle, pods, advance } = gate();
    idle.apply('alice', workload('r1', 20));
    idle.podEvent({ type: 'ready', tenantId: 'alice', image: 'i', owner: 'o', address: 'a', port: 1, startupMs: 1 });
    advance(20);
    idle.apply('alice', undefined);
    const before = pods.applied.length;
    idle.activity(request('alice', false));
    expect(pods.applied.slice(before)).toEqual([]);
    expect(idle.state('alice')).toBe('stopped');
  });

  it('ignores activity for a tenant it does not know', () => {
    const { idle, pods } = gate();
    idle.activity(request('mallory', false));
    expect(pods.applied).toEqual([]);
  });

  it('describes its events for the progress log', () => {
    expect(describeIdleEvent({ type: 'idle-suspended', tenantId: 'alice', idleMs: 20_400, timeoutSeconds: 20 })).toBe(
      'tenant alice: idle for 20 s (timeout 20 s): gateway stopped, suspended until the next signed-in request; workspace kept',
    );
    expect(describeIdleEvent({ type: 'waking', tenantId: 'alice' })).toBe('tenant alice: waking up on a signed-in request');
  });
});
