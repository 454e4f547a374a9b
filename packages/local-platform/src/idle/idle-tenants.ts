/**
 * Idle suspend and wake on request: the part the cluster leaves to its
 * scale-to-zero engine (docs/adr/0700), between the reconciler and the
 * tenant pods. The reconciler says what Git wants (a workload, or nothing for
 * a suspended or deleted tenant); this gate passes it on, except that a
 * gateway whose workload carries an idle timeout is stopped once it has seen
 * no authenticated request, answered every request it was relayed and held
 * no open WebSocket for that long, and
 * started again by the next authenticated request for its tenant. The edge
 * reports activity only after its identity check, so nobody else can keep a
 * workspace up or wake it. A tenant Git suspends stays stopped whatever its
 * traffic: there is no workload to wake.
 */
import type { TenantActivity } from '@openclaw-tenancy/edge';
import type { TenantPods } from '../reconciler/gitops-reconciler';
import { gatewayImage, type TenantPodEvent } from '../reconciler/tenant-pod';
import type { TenantWorkload } from '../reconciler/tenant-workload';

/** What a tenant's gateway is doing, as far as idling goes. */
export type IdleTenantState = 'starting' | 'running' | 'idle-suspended' | 'stopped';

export type IdleTenantEvent =
  | { readonly type: 'idle-suspended'; readonly tenantId: string; readonly idleMs: number; readonly timeoutSeconds: number }
  | { readonly type: 'waking'; readonly tenantId: string };

export interface IdleTenantsOptions {
  /** The pods the gate drives (the platform's `TenantPod`s). */
  readonly pods: TenantPods;
  readonly report: (event: IdleTenantEvent) => void;
  /** How often idle gateways are looked for. @default 1000 */
  readonly checkIntervalMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

interface TenantIdleRecord {
  /** What Git wants; undefined for a suspended, deleted or broken tenant. */
  desired: TenantWorkload | undefined;
  idleSuspended: boolean;
  ready: boolean;
  lastActivityAt: number;
  openWebSockets: number;
  /** Relayed HTTP requests not answered yet (a page load can wait seconds for the gateway). */
  openRequests: number;
}

export class IdleTenants implements TenantPods {
  private readonly tenants = new Map<string, TenantIdleRecord>();
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: IdleTenantsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Starts looking for idle gateways. */
  start(): void {
    this.timer ??= setInterval(() => this.suspendIdle(), this.options.checkIntervalMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** From the reconciler: what Git wants for `tenantId`. */
  apply(tenantId: string, workload: TenantWorkload | undefined): void {
    const record = this.recordOf(tenantId);
    record.desired = workload;
    if (!workload) {
      // Suspended or deleted in Git: stopped for good, and no request brings it back.
      record.idleSuspended = false;
      this.options.pods.apply(tenantId, undefined);
      return;
    }
    // An idle gateway stays stopped; a new revision is what the next wake starts.
    if (record.idleSuspended) return;
    this.options.pods.apply(tenantId, workload);
  }

  known(): readonly string[] {
    return this.options.pods.known();
  }

  /** From the edge, after its identity check. */
  activity(activity: TenantActivity): void {
    const record = this.tenants.get(activity.tenantId);
    if (!record) return;
    record.lastActivityAt = this.now();
    switch (activity.kind) {
      case 'websocket-opened':
        record.openWebSockets += 1;
        return;
      case 'websocket-closed':
        record.openWebSockets = Math.max(0, record.openWebSockets - 1);
        return;
      case 'request-ended':
        record.openRequests = Math.max(0, record.openRequests - 1);
        return;
      case 'request':
        if (activity.running) record.openRequests += 1;
        if (!record.idleSuspended || !record.desired) return;
        record.idleSuspended = false;
        this.options.report({ type: 'waking', tenantId: activity.tenantId });
        this.options.pods.apply(activity.tenantId, record.desired);
    }
  }

  /** From the tenant pods: the idle clock starts when a gateway becomes ready. */
  podEvent(event: TenantPodEvent): void {
    const record = this.tenants.get(event.tenantId);
    if (!record) return;
    if (event.type === 'ready') {
      record.ready = true;
      record.lastActivityAt = this.now();
    } else if (event.type === 'unready' || event.type === 'stopped' || event.type === 'failed') {
      record.ready = false;
    }
  }

  /** The gateway image Git wants for the tenant; undefined when it wants none (suspended, deleted, never runnable). */
  desiredImage(tenantId: string): string | undefined {
    const desired = this.tenants.get(tenantId)?.desired;
    return desired ? gatewayImage(desired) : undefined;
  }

  state(tenantId: string): IdleTenantState {
    const record = this.tenants.get(tenantId);
    if (!record?.desired) return 'stopped';
    if (record.idleSuspended) return 'idle-suspended';
    return record.ready ? 'running' : 'starting';
  }

  /** Stops every ready gateway that has been idle for its workload's timeout. */
  suspendIdle(): void {
    const now = this.now();
    for (const [tenantId, record] of this.tenants) {
      const timeoutSeconds = record.desired?.idleTimeoutSeconds;
      if (timeoutSeconds === undefined || record.idleSuspended || !record.ready || record.openWebSockets > 0 || record.openRequests > 0)
        continue;
      const idleMs = now - record.lastActivityAt;
      if (idleMs < timeoutSeconds * 1000) continue;
      record.idleSuspended = true;
      record.ready = false;
      this.options.report({ type: 'idle-suspended', tenantId, idleMs, timeoutSeconds });
      this.options.pods.apply(tenantId, undefined);
    }
  }

  private recordOf(tenantId: string): TenantIdleRecord {
    let record = this.tenants.get(tenantId);
    if (!record) {
      record = { desired: undefined, idleSuspended: false, ready: false, lastActivityAt: this.now(), openWebSockets: 0, openRequests: 0 };
      this.tenants.set(tenantId, record);
    }
    return record;
  }
}

/** The platform's progress line for an idle event. */
export function describeIdleEvent(event: IdleTenantEvent): string {
  switch (event.type) {
    case 'idle-suspended':
      return `tenant ${event.tenantId}: idle for ${Math.round(event.idleMs / 1000)} s (timeout ${event.timeoutSeconds} s): gateway stopped, suspended until the next signed-in request; workspace kept`;
    case 'waking':
      return `tenant ${event.tenantId}: waking up on a signed-in request`;
  }
}
