import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EdgeWebAcl, WafStack } from '../src';
import { configWith, synthesizePlatform, testApp } from './support/platform';

describe('WAF stack (us-east-1)', () => {
  let template: Template;
  let stack: WafStack;
  beforeAll(() => {
    const platform = synthesizePlatform();
    stack = platform.stacks.waf;
    template = platform.template(stack);
  });

  test('is deployed to us-east-1, the only region of CLOUDFRONT-scoped web ACLs', () => {
    expect(stack.region).toBe('us-east-1');
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
  });

  test('applies the AWS Common Rule Set first', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'AWSManagedRulesCommonRuleSet',
          Priority: 0,
          OverrideAction: { None: {} },
          Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
        }),
      ]),
    });
  });

  test('blocks an IP above edge.wafRateLimitPer5Minutes requests in 5 minutes (2000 in the example)', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'RateLimitPerIp',
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
        }),
      ]),
    });
  });

  test('has no Bot Control rule while edge.botControl is false', () => {
    const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL')) as any[];
    expect(acl.Properties.Rules.map((r: any) => r.Name)).toEqual(['AWSManagedRulesCommonRuleSet', 'RateLimitPerIp']);
  });

  test('adds Bot Control to the same web ACL when edge.botControl is true (applies on update)', () => {
    // GIVEN
    const config = configWith((raw) => (raw.edge.botControl = true));
    // WHEN
    const t = Template.fromStack(new WafStack(testApp(), 'Waf', { env: { account: '111111111111', region: 'us-east-1' }, config }));
    // THEN the rule is part of the WebACL resource (CloudFormation updates it in place)
    t.resourceCountIs('AWS::WAFv2::WebACL', 1);
    t.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'AWSManagedRulesBotControlRuleSet',
          Statement: {
            ManagedRuleGroupStatement: {
              Name: 'AWSManagedRulesBotControlRuleSet',
              ManagedRuleGroupConfigs: [{ AWSManagedRulesBotControlRuleSet: { InspectionLevel: 'COMMON' } }],
            },
          },
        }),
      ]),
    });
  });

  test('logs requests to a log group whose name starts with aws-waf-logs-, redacting the session cookie', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-'), RetentionInDays: 90 });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
      LogDestinationConfigs: ['arn:aws:logs:us-east-1:111111111111:log-group:aws-waf-logs-openclaw-edge'],
      RedactedFields: Match.arrayWith([{ SingleHeader: { Name: 'cookie' } }, { SingleHeader: { Name: 'authorization' } }]),
    });
  });

  test('fails if the rate limit is below the WAF minimum', () => {
    const s = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    expect(
      () => new EdgeWebAcl(s, 'Acl', { rateLimitPer5Minutes: 5, botControl: false, logRetention: logs.RetentionDays.ONE_WEEK }),
    ).toThrow(/rateLimitPer5Minutes must be a whole number of at least 10/);
  });

  test('fails if the web ACL is put in a stack outside us-east-1', () => {
    const s = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    expect(
      () => new EdgeWebAcl(s, 'Acl', { rateLimitPer5Minutes: 2000, botControl: false, logRetention: logs.RetentionDays.ONE_WEEK }),
    ).toThrow(/must be deployed in us-east-1, not eu-west-1/);
  });
});
