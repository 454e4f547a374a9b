import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  PlatformConfig,
  RUNTIME_TIER_SPECS,
  TIER_RESOURCES,
  TenantRecord,
  hasWorkload,
  identityEndpoints,
  networkLayout,
  imageReference,
  tenantImageBuild,
  tenantNames,
  idleTimeoutSecondsFor,
} from '@openclaw-tenancy/shared';
import { OpenClawWorkload } from './constructs/openclaw-workload';
import { TenantEdgePolicy } from './constructs/tenant-edge-policy';
import { TenantNamespace } from './constructs/tenant-namespace';
import { TenantNetworkPolicy } from './constructs/tenant-network-policy';
import { TenantQuota } from './constructs/tenant-quota';
import { TenantRoute } from './constructs/tenant-route';
import { TenantScaler } from './constructs/tenant-scaler';
import { TenantStorage } from './constructs/tenant-storage';
import { renderOpenClawConfig } from './openclaw-config';
import { SECRET_PROVIDER_SCRIPT } from './secret-provider-script';

export interface TenantChartProps extends ChartProps {
  readonly record: TenantRecord;
  readonly config: PlatformConfig;
}

/**
 * Every Kubernetes object of one tenant. Each concern is its own construct;
 * the chart only wires them from the registry record and the platform config.
 * Suspended tenants keep every object with the workload scaled to zero.
 * Offboarded tenants (tombstones) keep only what holds their data — the
 * namespace, its quota and network policy, the volume claim — so Argo CD
 * prunes the workload, its identity, the route and the edge policy while the
 * workspace stays on EFS (docs/adr/0004).
 */
export class TenantChart extends Chart {
  constructor(scope: Construct, id: string, props: TenantChartProps) {
    super(scope, id, { ...props, disableResourceNameHashes: true });
    const { record, config } = props;
    const names = tenantNames(record.id);
    const resources = TIER_RESOURCES[record.tier];

    new TenantNamespace(this, 'Namespace', { names, podSecurityVersion: `v${config.cluster.kubernetesVersion}` });
    new TenantQuota(this, 'Quota', { names, resources });
    new TenantNetworkPolicy(this, 'NetworkPolicy', {
      names,
      vpcCidr: config.network.vpcCidr,
      serviceCidr: config.network.serviceIpv4Cidr,
      endpointSubnetCidrs: networkLayout(config.network.vpcCidr, config.network.availabilityZones).endpointSubnetCidrs,
    });
    new TenantStorage(this, 'Storage', { names, size: resources.storage });
    if (!hasWorkload(record)) return;
    const idleTimeoutSeconds = idleTimeoutSecondsFor(record, config.idle.timeoutSeconds);
    new OpenClawWorkload(this, 'Workload', {
      names,
      image: imageReference(config.image.repository, tenantImageBuild(record, config.image)),
      openClawConfig: renderOpenClawConfig({ record, config }),
      secretProviderScript: SECRET_PROVIDER_SCRIPT,
      resources,
      runtime: record.runtime,
      runtimeSpec: RUNTIME_TIER_SPECS[record.runtime],
      awsRegion: config.aws.region,
      running: record.status === 'active',
      idleTimeoutSeconds,
    });
    new TenantScaler(this, 'Scaler', { names, idleTimeoutSeconds, running: record.status === 'active' });
    new TenantRoute(this, 'Route', { names, hostname: config.domain.name });
    new TenantEdgePolicy(this, 'EdgePolicy', { names, owner: record.owner, identity: identityEndpoints(config) });
  }
}
