import { Construct } from 'constructs';
import { IntOrString, KubeNetworkPolicy, NetworkPolicyEgressRule } from 'cdk8s-plus-29/lib/imports/k8s';
import { GATEWAY_PORT, PLATFORM_NAMES, TenantNames } from '@openclaw-tenancy/shared';

/** The EKS Pod Identity agent's link-local address (port 80); IMDS (169.254.169.254) stays unreachable. */
export const POD_IDENTITY_AGENT_CIDR = '169.254.170.23/32';
/** All of link-local (IMDS lives here) is excluded from the HTTPS-to-internet rule. */
export const LINK_LOCAL_CIDR = '169.254.0.0/16';

export interface TenantNetworkPolicyProps {
  readonly names: TenantNames;
  /** The VPC range: excluded from internet egress, so tenants cannot reach nodes, other pods or internal services. */
  readonly vpcCidr: string;
  /** The cluster's Service (ClusterIP) range: excluded from internet egress, so no in-cluster Service is reachable on 443. */
  readonly serviceCidr: string;
  /** Subnets holding interface VPC endpoints (Bedrock, Secrets Manager, STS…): the only VPC addresses tenants may reach, on 443. */
  readonly endpointSubnetCidrs: readonly string[];
}

/**
 * Default deny in both directions for every pod of the namespace, plus the
 * few flows the gateway needs: ingress from the edge data plane only, egress
 * to cluster DNS, the Pod Identity agent, the VPC endpoints and HTTPS on the
 * internet. Plain HTTP, SSH, SMTP, IMDS, the rest of the VPC and every
 * ClusterIP Service are blocked.
 */
export class TenantNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: TenantNetworkPolicyProps) {
    super(scope, id);
    const { names } = props;
    new KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: { name: names.defaultDenyPolicy, namespace: names.namespace, labels: names.labels },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });

    const https = [{ protocol: 'TCP', port: IntOrString.fromNumber(443) }];
    const egress: NetworkPolicyEgressRule[] = [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: IntOrString.fromNumber(53) },
          { protocol: 'TCP', port: IntOrString.fromNumber(53) },
        ],
      },
      { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(80) }] },
      { to: props.endpointSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: https },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [props.vpcCidr, props.serviceCidr, LINK_LOCAL_CIDR] } }], ports: https },
    ];
    new KubeNetworkPolicy(this, 'Gateway', {
      metadata: { name: names.gatewayNetworkPolicy, namespace: names.namespace, labels: names.labels },
      spec: {
        podSelector: { matchLabels: { ...names.selectorLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': PLATFORM_NAMES.envoyGatewayNamespace } },
                podSelector: { matchLabels: { [PLATFORM_NAMES.envoyOwningGatewayNameLabel]: PLATFORM_NAMES.gateway } },
              },
            ],
            ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(GATEWAY_PORT) }],
          },
        ],
        egress,
      },
    });
  }
}
