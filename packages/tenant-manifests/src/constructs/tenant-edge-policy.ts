import { Construct } from 'constructs';
import {
  SecurityPolicy,
  SecurityPolicySpecAuthorizationDefaultAction,
  SecurityPolicySpecAuthorizationRulesAction,
} from '../imports/securitypolicies-gateway.envoyproxy.io';
import { EDGE_SESSION_COOKIE, IDENTITY_HEADER, IdentityEndpoints, TENANT_ID_CLAIM, TenantNames } from '@openclaw-tenancy/shared';

/** Name of the JWT provider inside the policy (referenced by the authorization rule). */
export const COGNITO_PROVIDER = 'cognito';

export interface TenantEdgePolicyProps {
  readonly names: TenantNames;
  /** The tenant's owner in the registry (Cognito `sub`): the only identity admitted, as OpenClaw's `allowUsers`. */
  readonly owner: string;
  readonly identity: IdentityEndpoints;
}

/**
 * The edge contract for this tenant's route, enforced by Envoy Gateway: a
 * Cognito ID token from the session cookie, verified against the pool's JWKS,
 * issuer and audience (the app client; access tokens carry no `aud` and fail),
 * whose tenant claim is this tenant and whose `sub` is the registry owner
 * (two independent facts: a stale or mis-set tenant attribute opens nothing),
 * else 401/403. The verified `sub` is
 * written into the identity header OpenClaw's trusted-proxy mode reads; a
 * client-sent copy is removed at the listener (platform ClientTrafficPolicy)
 * before this filter runs.
 */
export class TenantEdgePolicy extends Construct {
  constructor(scope: Construct, id: string, props: TenantEdgePolicyProps) {
    super(scope, id);
    const { names, owner, identity } = props;
    new SecurityPolicy(this, 'Resource', {
      metadata: { name: names.securityPolicy, namespace: names.namespace, labels: names.labels },
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: names.httpRoute }],
        jwt: {
          providers: [
            {
              name: COGNITO_PROVIDER,
              issuer: identity.issuer,
              audiences: [identity.audience],
              remoteJwks: { uri: identity.jwksUri },
              extractFrom: { cookies: [EDGE_SESSION_COOKIE] },
              claimToHeaders: [{ claim: 'sub', header: IDENTITY_HEADER }],
            },
          ],
        },
        authorization: {
          defaultAction: SecurityPolicySpecAuthorizationDefaultAction.DENY,
          rules: [
            {
              name: 'tenant-owner-id-token',
              action: SecurityPolicySpecAuthorizationRulesAction.ALLOW,
              principal: {
                jwt: {
                  provider: COGNITO_PROVIDER,
                  claims: [
                    { name: TENANT_ID_CLAIM, values: [names.tenantId] },
                    { name: 'token_use', values: ['id'] },
                    { name: 'sub', values: [owner] },
                  ],
                },
              },
            },
          ],
        },
      },
    });
  }
}
