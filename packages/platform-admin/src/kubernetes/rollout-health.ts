/**
 * The health gate of an image rollout in the cluster: what the tenant's
 * Deployment and its Argo CD Application say of running one image. A wave
 * passes when every tenant's Deployment runs the image with all its replicas
 * updated and ready; it fails when the Deployment stops progressing (its
 * progress deadline passed: an image that cannot be pulled, a gateway that
 * never becomes ready) or Argo CD reports the application Degraded.
 */
import type { RolloutHealth, TenantRolloutHealth } from '@openclaw-tenancy/lambdas';
import type { TenantWorkloadReader } from './tenant-workload';

export class KubernetesRolloutHealth implements RolloutHealth {
  constructor(private readonly workloads: TenantWorkloadReader) {}

  async check(tenantId: string, image: string): Promise<TenantRolloutHealth> {
    const w = await this.workloads.read(tenantId);
    if (w.deployment === 'absent') return { state: 'pending', detail: 'no gateway Deployment in the cluster yet' };
    if (w.image !== image)
      return { state: 'pending', detail: `the Deployment still runs ${w.image ?? 'no image'} (Argo CD has not applied the commit yet)` };
    if (w.application.state === 'present' && w.application.health === 'Degraded')
      return {
        state: 'failed',
        detail: `Argo CD reports ${tenantId}'s application Degraded (${w.conditions.join(' ') || 'no conditions'})`,
      };
    if (!w.observed) return { state: 'pending', detail: 'the Deployment controller has not observed the new spec yet' };
    if (w.conditions.includes('Progressing=False'))
      return { state: 'failed', detail: `the Deployment stopped progressing (its progress deadline passed): ${w.conditions.join(' ')}` };
    if (w.desiredReplicas === 0) return { state: 'not-running', detail: '0 replicas: it starts the image when it next runs' };
    if (w.updatedReplicas >= w.desiredReplicas && w.readyReplicas >= w.desiredReplicas && w.conditions.includes('Available=True'))
      return { state: 'healthy' };
    return { state: 'pending', detail: `${w.readyReplicas}/${w.desiredReplicas} ready, ${w.updatedReplicas} updated` };
  }
}
