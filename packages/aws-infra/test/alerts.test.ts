import { Match, Template } from 'aws-cdk-lib/assertions';
import { SynthesizedPlatform, asArray, resourcesOf, synthesizePlatform } from './support/platform';

describe('alerts stack', () => {
  let platform: SynthesizedPlatform;
  let template: Template;
  beforeAll(() => {
    platform = synthesizePlatform();
    template = platform.template(platform.stacks.alerts);
  });

  test('the topic is encrypted with its own rotating CMK', () => {
    const [[keyId, key]] = resourcesOf(template, 'AWS::KMS::Key') as [[string, any]];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
  });

  test('the key policy lets CloudWatch alarms (of this account) use the key', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowCloudWatchAlarms',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
          },
        ]),
      },
    });
  });

  test('the topic policy lets CloudWatch publish and refuses non-TLS publishing', () => {
    const [, policy] = resourcesOf(template, 'AWS::SNS::TopicPolicy')[0]!;
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
    );
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  test('each address in budgets.alertEmails is subscribed by e-mail', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'platform-team@example.com' });
  });

  test('functions that report to the topic may publish and use its key', () => {
    const cp = platform.template(platform.stacks.controlPlane);
    const provisionerStatements = resourcesOf(cp, 'AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('ProvisionerFunctionServiceRoleDefaultPolicy'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const actions = provisionerStatements.flatMap((s: any) => asArray(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['sns:Publish', 'kms:Decrypt', 'kms:GenerateDataKey*']));
  });

  test('every alarm of the platform notifies the alerts topic', () => {
    for (const stack of [platform.stacks.cluster, platform.stacks.controlPlane]) {
      for (const [, alarm] of resourcesOf(platform.template(stack), 'AWS::CloudWatch::Alarm')) {
        expect(alarm.Properties.AlarmActions).toEqual([
          { 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'openclaw-alerts' }) },
        ]);
      }
    }
  });
});
