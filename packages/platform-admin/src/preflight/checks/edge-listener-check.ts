import {
  HELM_CHARTS,
  ENVOY_GATEWAY_SHARED_JWT_PROVIDERS_SINCE,
  envoyGatewayRewritesListenerPerRoute,
} from '@openclaw-tenancy/aws-infra/src/versions';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { CheckResult, pass, warn } from '../check-result';

const ID = 'edge-listener';
const TITLE = 'Edge listener unchanged by tenant sign-ups (pinned Envoy Gateway)';

/**
 * A design limit, not an account setting: with an Envoy Gateway release that
 * keys JWT providers by route, every tenant added or removed rewrites the
 * listener that carries everyone's connections (docs/adr/0123).
 */
export async function checkEdgeListener(
  config: PlatformConfig,
  _clients: unknown,
  envoyGatewayVersion: string = HELM_CHARTS.envoyGateway.version,
): Promise<CheckResult[]> {
  if (!envoyGatewayRewritesListenerPerRoute(envoyGatewayVersion)) {
    return [pass(ID, TITLE, `Envoy Gateway ${envoyGatewayVersion} shares identical JWT providers: adding a tenant changes routes only`)];
  }
  return [
    warn(
      ID,
      TITLE,
      `Envoy Gateway ${envoyGatewayVersion} puts each tenant's JWT provider into the shared listener: every sign-up or offboarding (up to signup.maxTenants ${config.signup.maxTenants}) drains every open workspace connection`,
      `pin Envoy Gateway ${ENVOY_GATEWAY_SHARED_JWT_PROVIDERS_SINCE} or later in packages/aws-infra/src/versions.ts and re-vendor its CRDs (docs/adr/0123); until then, expect reconnects in open workspaces when tenants change`,
    ),
  ];
}
