import { Chart, ChartProps, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeNamespace } from 'cdk8s-plus-29/lib/imports/k8s';
import { MANAGED_BY, PART_OF, PLATFORM_NAMES, PlatformConfig, TENANT_LABEL } from '@openclaw-tenancy/shared';
import { EARLY_REMOVED_REQUEST_HEADERS, EARLY_REMOVED_REQUEST_HEADER_PREFIX, forwardingHeadersExceptProxyWrittenPattern } from '@openclaw-tenancy/shared';
import { TenantGitOps } from './constructs/tenant-gitops';
import { ClientTrafficPolicy, ClientTrafficPolicySpecHeadersEarlyRequestHeadersRemoveOnMatchType } from './imports/clienttrafficpolicies-gateway.envoyproxy.io';
import { EnvoyProxy, EnvoyProxySpecProviderKubernetesEnvoyServiceType, EnvoyProxySpecProviderType } from './imports/envoyproxies-gateway.envoyproxy.io';
import { GatewayClass } from './imports/gatewayclasses-gateway.networking.k8s.io';
import { Gateway, GatewaySpecListenersAllowedRoutesNamespacesFrom } from './imports/gateways-gateway.networking.k8s.io';

export interface PlatformChartProps extends ChartProps {
  readonly config: PlatformConfig;
}

/**
 * Platform objects in `deploy/platform/`: the edge (GatewayClass, Gateway and
 * its Envoy settings) and the GitOps wiring that turns every folder under
 * `deploy/tenants/` into one Argo CD Application.
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
    const edgeNs = new KubeNamespace(this, 'EdgeNamespace', { metadata: { name: PLATFORM_NAMES.edgeNamespace, labels: { ...labels, ...pss } } });
    edgeNs.addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    this.edge(labels);
    this.gitOps(config, labels);
  }

  private edge(labels: Record<string, string>): void {
    new EnvoyProxy(this, 'EnvoyProxy', {
      metadata: { name: PLATFORM_NAMES.envoyProxy, namespace: PLATFORM_NAMES.edgeNamespace, labels },
      spec: {
        provider: {
          type: EnvoyProxySpecProviderType.KUBERNETES,
          kubernetes: {
            envoyDeployment: { replicas: 2 },
            // Reached only through the internal ALB (CloudFront VPC origin); no load balancer of its own.
            envoyService: { name: PLATFORM_NAMES.envoyService, type: EnvoyProxySpecProviderKubernetesEnvoyServiceType.CLUSTER_IP },
          },
        },
      },
    });
    new GatewayClass(this, 'GatewayClass', {
      metadata: { name: PLATFORM_NAMES.gatewayClass, labels },
      spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
    }).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    new Gateway(this, 'Gateway', {
      metadata: { name: PLATFORM_NAMES.gateway, namespace: PLATFORM_NAMES.edgeNamespace, labels },
      spec: {
        gatewayClassName: PLATFORM_NAMES.gatewayClass,
        infrastructure: { parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: PLATFORM_NAMES.envoyProxy } },
        listeners: [
          {
            name: PLATFORM_NAMES.gatewayListener,
            protocol: 'HTTP',
            port: PLATFORM_NAMES.gatewayListenerPort,
            // Only tenant namespaces may attach routes to the edge.
            allowedRoutes: {
              namespaces: {
                from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
                selector: { matchExpressions: [{ key: TENANT_LABEL, operator: 'Exists' }] },
              },
            },
          },
        ],
      },
    });
    new ClientTrafficPolicy(this, 'ClientTraffic', {
      metadata: { name: PLATFORM_NAMES.gateway, namespace: PLATFORM_NAMES.edgeNamespace, labels },
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: PLATFORM_NAMES.gateway }],
        headers: {
          earlyRequestHeaders: {
            // Before every filter: jwt_authn appends the claim header, so the client's copy must be gone first.
            removeOnMatch: [
              { type: ClientTrafficPolicySpecHeadersEarlyRequestHeadersRemoveOnMatchType.PREFIX, value: EARLY_REMOVED_REQUEST_HEADER_PREFIX },
              { type: ClientTrafficPolicySpecHeadersEarlyRequestHeadersRemoveOnMatchType.REGULAR_EXPRESSION, value: forwardingHeadersExceptProxyWrittenPattern() },
            ],
            remove: [...EARLY_REMOVED_REQUEST_HEADERS],
          },
        },
        // CloudFront and the ALB each append one X-Forwarded-For hop.
        clientIpDetection: { xForwardedFor: { numTrustedHops: 2 } },
      },
    });
  }

  private gitOps(config: PlatformConfig, labels: Record<string, string>): void {
    new TenantGitOps(this, 'TenantGitOps', { gitops: config.gitops, labels });
  }
}

