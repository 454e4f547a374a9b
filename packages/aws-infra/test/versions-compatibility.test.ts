import { CLUSTER_KUBERNETES_VERSIONS, PUBLISHED_KUBERNETES_SUPPORT, pinsFor, publishedSupportProblems } from '../src';

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
