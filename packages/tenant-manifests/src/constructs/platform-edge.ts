import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import {
  EARLY_REMOVED_REQUEST_HEADERS,
  EARLY_REMOVED_REQUEST_HEADER_PREFIX,
  EDGE_SESSION_COOKIE,
  IdentityEndpoints,
  PART_OF,
  PLATFORM_NAMES,
  forwardingHeadersExceptProxyWrittenPattern,
} from '@openclaw-tenancy/shared';
import {
  ClientTrafficPolicy,
  ClientTrafficPolicySpecHeadersEarlyRequestHeadersRemoveOnMatchType,
} from '../imports/clienttrafficpolicies-gateway.envoyproxy.io';
import {
  EnvoyProxy,
  EnvoyProxySpecProviderKubernetesEnvoyServiceType,
  EnvoyProxySpecProviderType,
} from '../imports/envoyproxies-gateway.envoyproxy.io';
import { GatewayClass } from '../imports/gatewayclasses-gateway.networking.k8s.io';
import { Gateway, GatewaySpecListenersAllowedRoutesNamespacesFrom } from '../imports/gateways-gateway.networking.k8s.io';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType } from '../imports/httproutes-gateway.networking.k8s.io';
import { SecurityPolicy, SecurityPolicySpecAuthorizationDefaultAction } from '../imports/securitypolicies-gateway.envoyproxy.io';
import { COGNITO_PROVIDER } from './tenant-edge-policy';

/** The label every namespace that may attach routes to the edge carries: the tenant namespaces and the edge's own. */
export const EDGE_ROUTE_NAMESPACE_LABEL = 'app.kubernetes.io/part-of';

export interface PlatformEdgeProps {
  /** Labels of every platform object. */
  readonly labels: Readonly<Record<string, string>>;
  /** The user pool the unmatched-path policy verifies tokens against (the same provider as each tenant's). */
  readonly identity: IdentityEndpoints;
  /** Public host name (`domain.name`); the tenant routes use the same. */
  readonly hostname: string;
}

/**
 * The edge in the cluster: Envoy Gateway's GatewayClass, Gateway and Envoy
 * settings; the listener-level removal of client identity and forwarding
 * headers before any filter; and the route for every `/t/…` path no tenant
 * route matches, which refuses exactly like an existing tenant that is not
 * the caller's (401 without a token, 403 with one) instead of 404, so paths
 * reveal no tenant or employee.
 */
export class PlatformEdge extends Construct {
  constructor(scope: Construct, id: string, props: PlatformEdgeProps) {
    super(scope, id);
    const labels = { ...props.labels };
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
            // Only the platform's namespaces (each tenant's and the edge's own, for the unmatched-path route) attach
            // routes; a selector is one conjunction, so the label both carry is the one that admits them.
            allowedRoutes: {
              namespaces: {
                from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
                selector: { matchLabels: { [EDGE_ROUTE_NAMESPACE_LABEL]: PART_OF } },
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
              {
                type: ClientTrafficPolicySpecHeadersEarlyRequestHeadersRemoveOnMatchType.PREFIX,
                value: EARLY_REMOVED_REQUEST_HEADER_PREFIX,
              },
              {
                type: ClientTrafficPolicySpecHeadersEarlyRequestHeadersRemoveOnMatchType.REGULAR_EXPRESSION,
                value: forwardingHeadersExceptProxyWrittenPattern(),
              },
            ],
            remove: [...EARLY_REMOVED_REQUEST_HEADERS],
          },
        },
        // CloudFront and the ALB each append one X-Forwarded-For hop.
        clientIpDetection: { xForwardedFor: { numTrustedHops: 2 } },
      },
    });

    // Gateway API precedence: every tenant's longer `/t/<id>` prefix wins; this route gets only the rest.
    new HttpRoute(this, 'UnmatchedTenantRoute', {
      metadata: { name: PLATFORM_NAMES.unmatchedTenantRoute, namespace: PLATFORM_NAMES.edgeNamespace, labels },
      spec: {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: PLATFORM_NAMES.gateway,
            namespace: PLATFORM_NAMES.edgeNamespace,
            sectionName: PLATFORM_NAMES.gatewayListener,
          },
        ],
        hostnames: [props.hostname],
        // No backend: nothing behind it, and the policy refuses every request before routing would.
        rules: [
          { name: 'unmatched-tenant-paths', matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/t' } }] },
        ],
      },
    });
    new SecurityPolicy(this, 'UnmatchedTenantPolicy', {
      metadata: { name: PLATFORM_NAMES.unmatchedTenantRoute, namespace: PLATFORM_NAMES.edgeNamespace, labels },
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: PLATFORM_NAMES.unmatchedTenantRoute }],
        // The tenants' provider: the same token gets the same 401 (missing, expired, forged) or 403 (genuine) here.
        jwt: {
          providers: [
            {
              name: COGNITO_PROVIDER,
              issuer: props.identity.issuer,
              audiences: [props.identity.audience],
              remoteJwks: { uri: props.identity.jwksUri },
              extractFrom: { cookies: [EDGE_SESSION_COOKIE] },
            },
          ],
        },
        authorization: { defaultAction: SecurityPolicySpecAuthorizationDefaultAction.DENY },
      },
    });
  }
}
