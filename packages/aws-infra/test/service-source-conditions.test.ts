import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LOG_DELIVERY_OTHER_ACCOUNTS_DENY_SID, pinServiceRoleToSource } from '../src';
import { SynthesizedPlatform, asArray, flattenJoin, resourcesOf, synthesizePlatform } from './support/platform';

const ACCOUNT = '111111111111';

/** Roles of `template` whose trust admits `service` without both `aws:SourceAccount` = the account and an `aws:SourceArn` pattern, as `<logical id>: <problem>`. */
function unpinnedServiceTrust(template: Template, service: string, sourceArn: RegExp): string[] {
  const findings: string[] = [];
  for (const [id, role] of resourcesOf(template, 'AWS::IAM::Role')) {
    for (const statement of role.Properties.AssumeRolePolicyDocument.Statement) {
      if (!asArray(statement.Principal?.Service).includes(service)) continue;
      if (statement.Condition?.StringEquals?.['aws:SourceAccount'] !== ACCOUNT) findings.push(`${id}: no aws:SourceAccount`);
      const arn = statement.Condition?.ArnLike?.['aws:SourceArn'] ?? statement.Condition?.ArnEquals?.['aws:SourceArn'];
      if (arn === undefined || !sourceArn.test(flattenJoin(arn))) findings.push(`${id}: no aws:SourceArn of ${sourceArn}`);
    }
  }
  return findings;
}

describe('confused-deputy conditions on service roles and the edge log bucket', () => {
  let platform: SynthesizedPlatform;
  beforeAll(() => {
    platform = synthesizePlatform();
  });
  const t = (name: keyof SynthesizedPlatform['stacks']) => platform.template(platform.stacks[name]);

  test('the VPC flow log role admits flow-log delivery of this account only, and is the role the flow log names', () => {
    const network = t('network');
    expect(unpinnedServiceTrust(network, 'vpc-flow-logs.amazonaws.com', /^arn:aws:ec2:eu-west-1:111111111111:vpc-flow-log\/\*$/)).toEqual(
      [],
    );
    const [, flowLog] = resourcesOf(network, 'AWS::EC2::FlowLog')[0]!;
    const [roleId] = resourcesOf(network, 'AWS::IAM::Role').find(([, r]) =>
      asArray(r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service).includes('vpc-flow-logs.amazonaws.com'),
    )!;
    expect(flowLog.Properties.DeliverLogsPermissionArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
  });

  test('the EKS cluster role admits EKS acting for this cluster only, and is the role the cluster names', () => {
    const cluster = t('cluster');
    expect(unpinnedServiceTrust(cluster, 'eks.amazonaws.com', /^arn:aws:eks:eu-west-1:111111111111:cluster\/openclaw$/)).toEqual([]);
    const [, eksCluster] = resourcesOf(cluster, 'AWS::EKS::Cluster')[0]!;
    const roleId = eksCluster.Properties.RoleArn['Fn::GetAtt'][0];
    expect(cluster.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service).toBe('eks.amazonaws.com');
  });

  test('the edge log bucket refuses the log delivery service writing for another account; S3 server access logging is pinned to the site bucket', () => {
    const [, policy] = resourcesOf(t('edge'), 'AWS::S3::BucketPolicy').find(([id]) => id.startsWith('LogBucket'))!;
    const statements: any[] = policy.Properties.PolicyDocument.Statement;
    const deny = statements.find((s) => s.Sid === LOG_DELIVERY_OTHER_ACCOUNTS_DENY_SID);
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Condition: { StringNotEquals: { 'aws:SourceAccount': ACCOUNT } },
    });
    // Every action the delivery service is allowed falls under the deny.
    const delivered = statements
      .filter((s) => s.Effect === 'Allow' && s.Principal?.Service === 'delivery.logs.amazonaws.com')
      .flatMap((s) => asArray(s.Action));
    expect(delivered.length).toBeGreaterThan(0);
    for (const action of delivered) expect(asArray(deny.Action)).toContain(action);
    const serverAccessLogging = statements.find((s) => s.Principal?.Service === 'logging.s3.amazonaws.com');
    expect(serverAccessLogging.Condition).toMatchObject({
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
      ArnLike: { 'aws:SourceArn': expect.anything() },
    });
  });

  test('fails if a service role trusts its service without source conditions', () => {
    const stack = new Stack(new App(), 'Fixture', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    new iam.Role(stack, 'Open', { assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com') });
    new iam.Role(stack, 'AccountOnly', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': ACCOUNT } }),
    });
    expect(unpinnedServiceTrust(Template.fromStack(stack), 'vpc-flow-logs.amazonaws.com', /vpc-flow-log/).sort()).toEqual([
      expect.stringMatching(/^AccountOnly.*: no aws:SourceArn/),
      expect.stringMatching(/^Open.*: no aws:SourceAccount/),
      expect.stringMatching(/^Open.*: no aws:SourceArn/),
    ]);
  });

  test("pinServiceRoleToSource keeps the statement's other conditions and refuses a role it cannot change or a service the role does not trust", () => {
    const stack = new Stack(new App(), 'Fixture', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('eks.amazonaws.com').withConditions({ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }),
    });
    pinServiceRoleToSource(role, 'eks.amazonaws.com', { account: ACCOUNT, arnPattern: 'arn:aws:eks:eu-west-1:111111111111:cluster/c' });
    const [, synthesized] = resourcesOf(Template.fromStack(stack), 'AWS::IAM::Role')[0]!;
    expect(synthesized.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      StringEquals: { 'aws:RequestedRegion': 'eu-west-1', 'aws:SourceAccount': ACCOUNT },
      ArnLike: { 'aws:SourceArn': 'arn:aws:eks:eu-west-1:111111111111:cluster/c' },
    });
    const imported = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/x');
    expect(() => pinServiceRoleToSource(imported, 'eks.amazonaws.com', { account: ACCOUNT, arnPattern: 'p' })).toThrow(
      'Fixture/Imported is not a role created in this app, so its trust policy cannot be pinned to p',
    );
    expect(() => pinServiceRoleToSource(role, 'vpc-flow-logs.amazonaws.com', { account: ACCOUNT, arnPattern: 'p' })).toThrow(
      'the trust policy of Fixture/Role has 0 statements for vpc-flow-logs.amazonaws.com; expected exactly one to pin to p',
    );
  });
});
