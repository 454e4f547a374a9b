import { applicationProfileArnPattern, catalogModelArns, modelSourceArn, systemProfileGeography } from '../src';

const ctx = { partition: 'aws', account: '111111111111', bedrockRegion: 'eu-west-1' };

describe('catalog model ARNs', () => {
  it('a cross-region profile id maps to its system profile and the region-wildcarded foundation model', () => {
    expect(catalogModelArns(['eu.anthropic.claude-sonnet-4-6'], ctx)).toEqual({
      systemProfileArns: ['arn:aws:bedrock:eu-west-1:111111111111:inference-profile/eu.anthropic.claude-sonnet-4-6'],
      foundationModelArns: ['arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-6'],
    });
  });

  it('a plain model id is a foundation model pinned to the Bedrock region', () => {
    expect(catalogModelArns(['deepseek.v3.2'], ctx)).toEqual({
      systemProfileArns: [],
      foundationModelArns: ['arn:aws:bedrock:eu-west-1::foundation-model/deepseek.v3.2'],
    });
  });

  it('duplicates collapse (global and geo profiles of one model share the model ARN)', () => {
    const arns = catalogModelArns(['global.anthropic.claude-opus-4-6-v1', 'us.anthropic.claude-opus-4-6-v1'], ctx);
    expect(arns.foundationModelArns).toEqual(['arn:aws:bedrock:*::foundation-model/anthropic.claude-opus-4-6-v1']);
    expect(arns.systemProfileArns).toHaveLength(2);
  });

  it('application profiles of the account in the Bedrock region', () => {
    expect(applicationProfileArnPattern(ctx)).toBe('arn:aws:bedrock:eu-west-1:111111111111:application-inference-profile/*');
  });
});

describe('modelSourceArn', () => {
  it('copies a tenant profile from the system profile, or from the foundation model in the Bedrock region', () => {
    expect(modelSourceArn('us.anthropic.claude-opus-4-6-v1', { ...ctx, bedrockRegion: 'us-east-1' })).toBe(
      'arn:aws:bedrock:us-east-1:111111111111:inference-profile/us.anthropic.claude-opus-4-6-v1',
    );
    expect(modelSourceArn('deepseek.v3.2', ctx)).toBe('arn:aws:bedrock:eu-west-1::foundation-model/deepseek.v3.2');
  });

  it('knows where each geography can be called from', () => {
    expect(systemProfileGeography('us-gov.x.y')?.regionPrefix).toBe('us-gov-');
    expect(systemProfileGeography('global.x.y')?.regionPrefix).toBe('');
    expect(systemProfileGeography('deepseek.v3.2')).toBeUndefined();
  });
});
