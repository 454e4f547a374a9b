import { Construct } from 'constructs';
import {
  HttpRoute,
  HttpRouteSpecRules,
  HttpRouteSpecRulesFilters,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesFiltersUrlRewritePathType,
  HttpRouteSpecRulesMatchesPathType,
} from '../imports/httproutes-gateway.networking.k8s.io';
import {
  GATEWAY_PORT,
  GATEWAY_READINESS_PATH,
  OWNER_OPERATOR_SCOPES,
  PLATFORM_NAMES,
  SCOPES_HEADER,
  TenantNames,
} from '@openclaw-tenancy/shared';

export interface TenantRouteProps {
  readonly names: TenantNames;
  /** Host name the route answers on (the platform domain). */
  readonly hostname: string;
}

/**
 * `/t/<id>` on the shared edge Gateway, to this tenant's Service only. Gateway
 * API path prefixes match whole segments, so `/t/alice` never matches
 * `/t/alice-2`.
 */
export class TenantRoute extends Construct {
  public readonly route: HttpRoute;

  constructor(scope: Construct, id: string, props: TenantRouteProps) {
    super(scope, id);
    const { names } = props;
    // Runs after jwt_authn: drops the token (the tenant's process must never see it) and caps the
    // operator scopes, since trusted-proxy HTTP calls without the header get admin by default.
    const edgeHeaders: HttpRouteSpecRulesFilters = {
      type: HttpRouteSpecRulesFiltersType.REQUEST_HEADER_MODIFIER,
      requestHeaderModifier: {
        set: [{ name: SCOPES_HEADER, value: OWNER_OPERATOR_SCOPES.join(',') }],
        remove: ['cookie', 'authorization'],
      },
    };
    const backendRefs = [{ name: names.service, port: GATEWAY_PORT }];
    const rules: HttpRouteSpecRules[] = [
      {
        // The provisioning view polls this; OpenClaw answers readiness only at its root path.
        // Exact beats PathPrefix in Gateway API precedence, so readiness never reaches the SPA.
        name: 'readiness',
        matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.EXACT, value: names.readinessPath } }],
        filters: [
          edgeHeaders,
          {
            type: HttpRouteSpecRulesFiltersType.URL_REWRITE,
            urlRewrite: {
              path: { type: HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_FULL_PATH, replaceFullPath: GATEWAY_READINESS_PATH },
            },
          },
        ],
        backendRefs,
      },
      {
        // OpenClaw serves the workspace icon to operator.admin only, which the edge never grants: the Control UI's own
        // icon answers instead of a refusal per opened chat. The longer prefix beats the workspace rule.
        name: 'workspace-icon',
        matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: names.workspaceIconPath } }],
        filters: [
          edgeHeaders,
          {
            type: HttpRouteSpecRulesFiltersType.URL_REWRITE,
            urlRewrite: {
              path: { type: HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_FULL_PATH, replaceFullPath: names.controlUiIconPath },
            },
          },
        ],
        backendRefs,
      },
      {
        name: 'workspace',
        matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: names.routePath } }],
        filters: [edgeHeaders],
        backendRefs,
        // Control UI sessions are long-lived WebSockets; a request timeout would cut them.
        timeouts: { request: '0s' },
      },
    ];
    this.route = new HttpRoute(this, 'Resource', {
      metadata: { name: names.httpRoute, namespace: names.namespace, labels: names.labels },
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
        rules,
      },
    });
  }
}
