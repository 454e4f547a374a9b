/**
 * The health gate of an image rollout on the local platform: what the
 * reconciler wants for a tenant (the image of its applied folder) and what its
 * pod last reported for that image, read the way the cluster gate reads a
 * Deployment's status. A pod that cannot start the image (the image is not on
 * this machine, OpenClaw exits or rejects its config) fails the gate.
 */
import type { RolloutHealth, TenantRolloutHealth } from '@openclaw-tenancy/lambdas';
import type { IdleTenantState } from '../idle/idle-tenants';
import type { TenantPodEvent } from '../reconciler/tenant-pod';

/** What the gate reads of the tenant pods (the platform's idle gate, in front of them). */
export interface LocalWorkloads {
  desiredImage(tenantId: string): string | undefined;
  state(tenantId: string): IdleTenantState;
}

interface LastPodReport {
  readonly image: string;
  readonly type: 'starting' | 'ready' | 'failed' | 'invalid';
  readonly detail?: string;
}

export class LocalRolloutHealth implements RolloutHealth {
  private readonly last = new Map<string, LastPodReport>();

  constructor(private readonly workloads: LocalWorkloads) {}

  /** From the tenant pods. */
  podEvent(event: TenantPodEvent): void {
    switch (event.type) {
      case 'starting':
      case 'ready':
        this.last.set(event.tenantId, { image: event.image, type: event.type });
        return;
      case 'failed':
        this.last.set(event.tenantId, { image: event.image, type: 'failed', detail: event.reason });
        return;
      case 'invalid':
        this.last.set(event.tenantId, {
          image: event.image,
          type: 'invalid',
          detail: `OpenClaw rejected its config: ${event.issues.join('; ')}`,
        });
        return;
    }
  }

  async check(tenantId: string, image: string): Promise<TenantRolloutHealth> {
    const desired = this.workloads.desiredImage(tenantId);
    if (desired === undefined)
      return { state: 'not-running', detail: 'no gateway is wanted (suspended, or its folder cannot run: see the log)' };
    if (desired !== image) return { state: 'pending', detail: `the reconciler has not applied the commit yet (runs ${desired})` };
    const state = this.workloads.state(tenantId);
    if (state === 'idle-suspended') return { state: 'not-running', detail: 'idle: it starts the image on its next signed-in request' };
    const last = this.last.get(tenantId);
    if (!last || last.image !== image) return { state: 'pending', detail: 'the pod has not started the image yet' };
    if (last.type === 'failed' || last.type === 'invalid') return { state: 'failed', detail: last.detail ?? last.type };
    if (last.type === 'ready' && state === 'running') return { state: 'healthy' };
    return { state: 'pending', detail: 'starting' };
  }
}
