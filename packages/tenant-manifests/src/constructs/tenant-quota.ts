import { Construct } from 'constructs';
import { KubeLimitRange, KubeResourceQuota, Quantity } from 'cdk8s-plus-29/lib/imports/k8s';
import { TenantNames, TierResources } from '@openclaw-tenancy/shared';

export interface TenantQuotaProps {
  readonly names: TenantNames;
  readonly resources: TierResources;
}

/**
 * Caps what the tenant's namespace can consume (ResourceQuota) and gives every
 * container defaults (LimitRange), so a pod without explicit resources can
 * neither be rejected by the quota nor run unbounded.
 */
export class TenantQuota extends Construct {
  constructor(scope: Construct, id: string, props: TenantQuotaProps) {
    super(scope, id);
    const { names, resources } = props;
    const q = resources.quota;
    new KubeResourceQuota(this, 'Quota', {
      metadata: { name: names.resourceQuota, namespace: names.namespace, labels: names.labels },
      spec: {
        hard: {
          'limits.cpu': Quantity.fromString(q.limitsCpu),
          'limits.memory': Quantity.fromString(q.limitsMemory),
          'requests.cpu': Quantity.fromString(q.requestsCpu),
          'requests.memory': Quantity.fromString(q.requestsMemory),
          pods: Quantity.fromNumber(q.pods),
          persistentvolumeclaims: Quantity.fromNumber(q.persistentVolumeClaims),
          // A tenant never exposes anything itself; all traffic enters through the edge.
          'services.loadbalancers': Quantity.fromNumber(0),
          'services.nodeports': Quantity.fromNumber(0),
        },
      },
    });
    const d = resources.containerDefaults;
    new KubeLimitRange(this, 'Limits', {
      metadata: { name: names.limitRange, namespace: names.namespace, labels: names.labels },
      spec: {
        limits: [
          {
            type: 'Container',
            default: { cpu: Quantity.fromString(d.limitsCpu), memory: Quantity.fromString(d.limitsMemory) },
            defaultRequest: { cpu: Quantity.fromString(d.requestsCpu), memory: Quantity.fromString(d.requestsMemory) },
          },
        ],
      },
    });
  }
}
