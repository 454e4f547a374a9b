import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CLUSTER_KUBERNETES_VERSIONS, HELM_CHARTS, PUBLISHED_KUBERNETES_SUPPORT, envoyGatewayRewritesListenerPerRoute, pinsFor, publishedSupportProblems } from '../src';
import { synthesizePlatform } from './support/platform';

describe('pins checked against their publishers\' compatibility statements', () => {
  test.each(CLUSTER_KUBERNETES_VERSIONS)('every checked pin is published as tested on Kubernetes %s', (k) => {
    expect(publishedSupportProblems(k)).toEqual([]);
  });

  test('every statement cites its source', () => {
    for (const s of PUBLISHED_KUBERNETES_SUPPORT) expect(s.source).toMatch(/^https:\/\/\S+ \(.+\)$/);
  });

  test('fails if a pin is not published for the cluster version, naming the source', () => {
    // GIVEN a statement that no longer lists 1.35 for the pinned KEDA release
    const keda = pinsFor('1.35').find((p) => p.chart === 'keda')!;
    const narrowed = PUBLISHED_KUBERNETES_SUPPORT.map((s) => (s.chart === 'keda' ? { ...s, kubernetes: ['1.33', '1.34'] } : s));
    // THEN the problem names the release, the versions it was tested on and where that is stated
    expect(publishedSupportProblems('1.35', narrowed)).toEqual([expect.stringMatching(new RegExp(`^keda ${keda.version} is tested on Kubernetes 1.33, 1.34, not 1.35 \\(https://keda.sh/`))]);
  });

  test('fails if a pin has no statement at all', () => {
    const without = PUBLISHED_KUBERNETES_SUPPORT.filter((s) => s.chart !== 'external-secrets');
    expect(publishedSupportProblems('1.34', without)).toEqual(['external-secrets 2.6.0 has no published compatibility statement in versions.ts']);
  });
});

describe('the edge listener and the pinned Envoy Gateway (ADR 0123)', () => {
  test('releases before v1.9 rewrite the listener per tenant route; v1.9 and later share identical providers', () => {
    expect(envoyGatewayRewritesListenerPerRoute('v1.8.0')).toBe(true);
    expect(envoyGatewayRewritesListenerPerRoute('v1.8.3')).toBe(true);
    expect(envoyGatewayRewritesListenerPerRoute('v1.9.0')).toBe(false);
    expect(envoyGatewayRewritesListenerPerRoute('v2.0.1')).toBe(false);
  });

  test('synth warns while the pinned release rewrites the listener for every tenant', () => {
    const platform = synthesizePlatform();
    const expectation = Match.stringLikeRegexp('rewrites the shared listener, which drains every open workspace connection');
    if (envoyGatewayRewritesListenerPerRoute(HELM_CHARTS.envoyGateway.version)) Annotations.fromStack(platform.stacks.cluster).hasWarning('*', expectation);
    else Annotations.fromStack(platform.stacks.cluster).hasNoWarning('*', expectation);
  });
});
