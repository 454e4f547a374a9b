import * as logs from 'aws-cdk-lib/aws-logs';
import { applicationProfileArnPattern, catalogModelArns, nodeConfigDocument, retentionFor, tenantSecretIdRoot } from '../src';

const ctx = { partition: 'aws', account: '111111111111', bedrockRegion: 'eu-west-1' };

describe('catalog model ARNs', () => {
  test('a cross-region profile id maps to its system profile and the region-wildcarded foundation model', () => {
    expect(catalogModelArns(['eu.anthropic.claude-sonnet-4-6'], ctx)).toEqual({
      systemProfileArns: ['arn:aws:bedrock:eu-west-1:111111111111:inference-profile/eu.anthropic.claude-sonnet-4-6'],
      foundationModelArns: ['arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-6'],
    });
  });

  test('a plain model id is a foundation model pinned to the Bedrock region', () => {
    expect(catalogModelArns(['deepseek.v3.2'], ctx)).toEqual({ systemProfileArns: [], foundationModelArns: ['arn:aws:bedrock:eu-west-1::foundation-model/deepseek.v3.2'] });
  });

  test('duplicates collapse (global and geo profiles of one model share the model ARN)', () => {
    const arns = catalogModelArns(['global.anthropic.claude-opus-4-6-v1', 'us.anthropic.claude-opus-4-6-v1'], ctx);
    expect(arns.foundationModelArns).toEqual(['arn:aws:bedrock:*::foundation-model/anthropic.claude-opus-4-6-v1']);
    expect(arns.systemProfileArns).toHaveLength(2);
  });

  test('application profiles of the account in the Bedrock region', () => {
    expect(applicationProfileArnPattern(ctx)).toBe('arn:aws:bedrock:eu-west-1:111111111111:application-inference-profile/*');
  });
});

describe('tenant names used in IAM', () => {
  test('the secret id root is the tenant-independent part of shared\'s secret prefix', () => {
    expect(tenantSecretIdRoot()).toBe('openclaw/tenants/');
  });
});

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
    expect(JSON.parse(nodeConfigDocument({ maxPods: 110 }))).toEqual({ apiVersion: 'node.eks.aws/v1alpha1', kind: 'NodeConfig', spec: { kubelet: { config: { maxPods: 110 } } } });
    expect(JSON.parse(nodeConfigDocument({ maxPods: 30, containerdConfig: 'x' })).spec.containerd).toEqual({ config: 'x' });
  });
});
