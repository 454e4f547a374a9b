import { Chart, ChartProps, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeNamespace } from 'cdk8s-plus-29/lib/imports/k8s';
import { MANAGED_BY, PART_OF, PLATFORM_NAMES, PlatformConfig, identityEndpoints, tenantImageReference } from '@openclaw-tenancy/shared';
import { PlatformEdge } from './constructs/platform-edge';
import { TenantGitOps } from './constructs/tenant-gitops';
import { WakeCapacity } from './constructs/wake-capacity';

export interface PlatformChartProps extends ChartProps {
  readonly config: PlatformConfig;
}

/**
 * Platform objects in `deploy/platform/`: the edge (GatewayClass, Gateway and
 * its Envoy settings), the room kept for waking gateways, and the GitOps
 * wiring that turns every folder under `deploy/tenants/` into one Argo CD
 * Application.
 */
export class PlatformChart extends Chart {
  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, { ...props, disableResourceNameHashes: true });
    const { config } = props;
    const labels = { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': MANAGED_BY };
    const pss: Record<string, string> = {};
    for (const mode of ['enforce', 'audit', 'warn']) {
      pss[`pod-security.kubernetes.io/${mode}`] = 'restricted';
      pss[`pod-security.kubernetes.io/${mode}-version`] = `v${config.cluster.kubernetesVersion}`;
    }
    const edgeNs = new KubeNamespace(this, 'EdgeNamespace', {
      metadata: { name: PLATFORM_NAMES.edgeNamespace, labels: { ...labels, ...pss } },
    });
    edgeNs.addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    new PlatformEdge(this, 'Edge', { labels, identity: identityEndpoints(config), hostname: config.domain.name });
    new WakeCapacity(this, 'WakeCapacity', {
      headroomGateways: config.idle.headroomGateways,
      tier: config.tenantDefaults.tier,
      runtime: config.tenantDefaults.runtime,
      tenantImage: tenantImageReference(config.image),
      labels,
      podSecurityVersion: `v${config.cluster.kubernetesVersion}`,
    });
    this.gitOps(config, labels);
  }

  private gitOps(config: PlatformConfig, labels: Record<string, string>): void {
    new TenantGitOps(this, 'TenantGitOps', { gitops: config.gitops, labels });
  }
}
