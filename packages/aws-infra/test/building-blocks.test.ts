import * as logs from 'aws-cdk-lib/aws-logs';
import { nodeConfigDocument, retentionFor } from '../src';

describe('log retention', () => {
  test.each([
    [1, logs.RetentionDays.ONE_DAY],
    [90, logs.RetentionDays.THREE_MONTHS],
    [100, logs.RetentionDays.FOUR_MONTHS],
    [365, logs.RetentionDays.ONE_YEAR],
  ])('%i days becomes the shortest allowed retention that keeps logs that long', (days, expected) => {
    expect(retentionFor(days)).toBe(expected);
  });

  test('fails if the retention is not a positive whole number', () => {
    expect(() => retentionFor(0)).toThrow(/whole number of days >= 1, got 0/);
  });
});

describe('node configuration', () => {
  test('a NodeConfig sets kubelet maxPods and, when given, merges containerd configuration', () => {
    expect(JSON.parse(nodeConfigDocument({ maxPods: 110 }))).toEqual({
      apiVersion: 'node.eks.aws/v1alpha1',
      kind: 'NodeConfig',
      spec: { kubelet: { config: { maxPods: 110 } } },
    });
    expect(JSON.parse(nodeConfigDocument({ maxPods: 30, containerdConfig: 'x' })).spec.containerd).toEqual({ config: 'x' });
  });
});
