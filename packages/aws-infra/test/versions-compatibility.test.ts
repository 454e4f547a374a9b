import { SUPPORTED_KUBERNETES_VERSIONS } from '@openclaw-tenancy/shared';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { REPOSITORY_ROOT } from '@openclaw-tenancy/tenant-manifests';
import { parseAllDocuments } from 'yaml';
import {
  EDGE_LISTENER_REWRITTEN_PER_TENANT,
  ENVOY_GATEWAY_SHARED_JWT_PROVIDERS_SINCE,
  HELM_CHARTS,
  PUBLISHED_KUBERNETES_SUPPORT,
  envoyGatewayRewritesListenerPerRoute,
  pinsFor,
  publishedSupportProblems,
  warnIfEdgeListenerRewrittenPerTenant,
} from '../src';
import { synthesizePlatform } from './support/platform';

const DEPLOYED_TENANTS = path.join(REPOSITORY_ROOT, 'deploy', 'tenants');

describe("pins checked against their publishers' compatibility statements", () => {
  test.each(SUPPORTED_KUBERNETES_VERSIONS)('every checked pin is published as tested on Kubernetes %s', (k) => {
    expect(publishedSupportProblems(k)).toEqual([]);
  });

  test('every statement cites its source', () => {
    for (const s of PUBLISHED_KUBERNETES_SUPPORT) expect(s.source).toMatch(/^https:\/\/\S+ \(.+\)$/);
  });

  test.each(SUPPORTED_KUBERNETES_VERSIONS)(
    'on Kubernetes %s every Helm chart is checked except the three without a tested-versions statement',
    (k) => {
      // The AWS Load Balancer Controller and the Prometheus chart publish only a minimum Kubernetes version;
      // the Cluster Autoscaler chart is checked through the image it runs ('cluster-autoscaler image').
      const checked = new Set(pinsFor(k).map((p) => `${p.chart} ${p.version}`));
      const unchecked = Object.values(HELM_CHARTS)
        .filter((c) => !checked.has(`${c.chart} ${c.version}`))
        .map((c) => c.chart);
      expect(unchecked.sort()).toEqual(['aws-load-balancer-controller', 'cluster-autoscaler', 'prometheus']);
    },
  );

  test('fails if a pin is not published for the cluster version, naming the source', () => {
    // GIVEN a statement that no longer lists 1.35 for the pinned Envoy Gateway release
    const gateway = pinsFor('1.35').find((p) => p.chart === 'gateway-helm')!;
    const narrowed = PUBLISHED_KUBERNETES_SUPPORT.map((s) => (s.chart === 'gateway-helm' ? { ...s, kubernetes: ['1.33', '1.34'] } : s));
    // THEN the problem names the release, the versions it was tested on and where that is stated
    expect(publishedSupportProblems('1.35', narrowed)).toEqual([
      expect.stringMatching(
        new RegExp(`^gateway-helm ${gateway.version} is tested on Kubernetes 1.33, 1.34, not 1.35 \\(https://gateway.envoyproxy.io/`),
      ),
    ]);
  });

  test('fails if a pin has no statement at all', () => {
    const without = PUBLISHED_KUBERNETES_SUPPORT.filter((s) => s.chart !== 'external-secrets');
    expect(publishedSupportProblems('1.34', without)).toEqual([
      'external-secrets 2.6.0 has no published compatibility statement in versions.ts',
    ]);
  });
});

describe('the edge listener and the pinned Envoy Gateway (ADR 0123)', () => {
  test('releases before v1.9 rewrite the listener per tenant route; v1.9 and later share identical providers', () => {
    expect(envoyGatewayRewritesListenerPerRoute('v1.8.0')).toBe(true);
    expect(envoyGatewayRewritesListenerPerRoute('v1.8.3')).toBe(true);
    expect(envoyGatewayRewritesListenerPerRoute('v1.9.0')).toBe(false);
    expect(envoyGatewayRewritesListenerPerRoute('v2.0.1')).toBe(false);
  });

  const LISTENER_WARNING = Match.stringLikeRegexp(`\\[ack: ${EDGE_LISTENER_REWRITTEN_PER_TENANT}\\]`);

  test('the pinned release shares identical providers, so the synth does not warn', () => {
    expect(envoyGatewayRewritesListenerPerRoute(HELM_CHARTS.envoyGateway.version)).toBe(false);
    Annotations.fromStack(synthesizePlatform().stacks.cluster).hasNoWarning('*', LISTENER_WARNING);
  });

  test('a release older than the one that shares providers warns again, naming the release to move to', () => {
    // GIVEN the check run against a downgraded pin and against the first release that shares providers
    const downgraded = new Stack(new App(), 'Downgraded');
    warnIfEdgeListenerRewrittenPerTenant(downgraded, 'v1.8.3');
    const current = new Stack(new App(), 'Current');
    warnIfEdgeListenerRewrittenPerTenant(current, ENVOY_GATEWAY_SHARED_JWT_PROVIDERS_SINCE);
    // THEN only the downgrade warns, with the drained connections and the release that fixes it
    Annotations.fromStack(downgraded).hasWarning('*', LISTENER_WARNING);
    Annotations.fromStack(downgraded).hasWarning(
      '*',
      Match.stringLikeRegexp(
        `^Envoy Gateway v1\\.8\\.3 keys JWT providers by route: .*drains every open workspace connection; move to ${ENVOY_GATEWAY_SHARED_JWT_PROVIDERS_SINCE} or later`,
      ),
    );
    Annotations.fromStack(current).hasNoWarning('*', LISTENER_WARNING);
  });
});

describe('the synthesized tenant edge policies the ADR 0123 reasoning rests on', () => {
  // Every tenant route's SecurityPolicy in the committed GitOps tree (the example's tenants).
  const policies = fs
    .readdirSync(DEPLOYED_TENANTS)
    .flatMap((tenant) =>
      parseAllDocuments(fs.readFileSync(path.join(DEPLOYED_TENANTS, tenant, 'manifests.yaml'), 'utf8')).map((d) => d.toJS()),
    )
    .filter((o) => o?.kind === 'SecurityPolicy');

  test('every tenant carries the same JWT provider, so a release that shares identical providers keeps one listener entry', () => {
    expect(policies.length).toBeGreaterThanOrEqual(2);
    const providers = new Set(policies.map((p) => JSON.stringify(p.spec.jwt.providers)));
    expect(providers.size).toBe(1);
  });

  test('what differs per tenant is the authorization on its own route, not the provider', () => {
    const authorizations = new Set(policies.map((p) => JSON.stringify(p.spec.authorization)));
    expect(authorizations.size).toBe(policies.length);
    for (const p of policies) expect(p.spec.targetRefs).toEqual([expect.objectContaining({ kind: 'HTTPRoute' })]);
  });
});
