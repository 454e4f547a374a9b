import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { networkLayout } from '@openclaw-tenancy/shared';
import { NetworkStack, PlatformVpc, SUBNET_GROUPS } from '../src';
import { SynthesizedPlatform, configWith, resourcesOf, synthesizePlatform, testApp } from './support/platform';

const env = { account: '111111111111', region: 'eu-west-1' };

function subnetCidrs(template: Template, group: string): string[] {
  return resourcesOf(template, 'AWS::EC2::Subnet')
    .filter(([, s]) => s.Properties.Tags.some((t: any) => t.Key === 'aws-cdk:subnet-name' && t.Value === group))
    .map(([, s]) => s.Properties.CidrBlock);
}

describe('network stack', () => {
  let platform: SynthesizedPlatform;
  let template: Template;
  beforeAll(() => {
    platform = synthesizePlatform();
    template = platform.template(platform.stacks.network);
  });

  test('the VPC uses network.vpcCidr', () => {
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.40.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true });
  });

  test('two availability zones by default, one NAT gateway in each', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    expect(subnetCidrs(template, SUBNET_GROUPS.private)).toHaveLength(2);
  });

  test('subnets follow networkLayout(): /18 private subnets for prefix delegation, endpoint and public subnets', () => {
    const layout = networkLayout('10.40.0.0/16', 2);
    expect(layout.privateSubnetCidrs).toEqual(['10.40.0.0/18', '10.40.64.0/18']);
    expect(subnetCidrs(template, SUBNET_GROUPS.private)).toEqual(layout.privateSubnetCidrs);
    expect(subnetCidrs(template, SUBNET_GROUPS.endpoints)).toEqual(layout.endpointSubnetCidrs);
    expect(subnetCidrs(template, SUBNET_GROUPS.public)).toEqual(layout.publicSubnetCidrs);
  });

  test('public subnets do not give instances public addresses', () => {
    for (const [, subnet] of resourcesOf(template, 'AWS::EC2::Subnet')) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
  });

  test('no route from the internet reaches a private subnet: their default route is a NAT gateway', () => {
    const routes = resourcesOf(template, 'AWS::EC2::Route').map(([, r]) => r.Properties);
    const viaIgw = routes.filter((r) => r.GatewayId);
    const viaNat = routes.filter((r) => r.NatGatewayId);
    expect(viaNat).toHaveLength(2);
    expect(viaIgw).toHaveLength(2);
    // Internet-gateway routes belong to the public route tables only.
    const publicTables = resourcesOf(template, 'AWS::EC2::RouteTable')
      .filter(([, t]) => t.Properties.Tags.some((tag: any) => tag.Key === 'Name' && /\/public/.test(tag.Value)))
      .map(([id]) => id);
    for (const r of viaIgw) expect(publicTables).toContain(r.RouteTableId.Ref);
  });

  test('flow logs capture all traffic into CloudWatch Logs with the configured retention', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  test('S3 and DynamoDB gateway endpoints exist', () => {
    for (const service of ['s3', 'dynamodb']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(`\\.${service}$`)])] }),
      });
    }
  });

  test('interface endpoints for what tenants, nodes and Lambdas call, with private DNS, on the endpoint subnets', () => {
    const endpoints = resourcesOf(template, 'AWS::EC2::VPCEndpoint').filter(([, e]) => e.Properties.VpcEndpointType === 'Interface');
    const services = endpoints.map(([, e]) => JSON.stringify(e.Properties.ServiceName));
    for (const s of ['sts', 'ecr.api', 'ecr.dkr', 'secretsmanager', 'bedrock-runtime', 'eks-auth', 'logs', 'sqs']) {
      expect(services.some((name) => name.endsWith(`.${s}"`))).toBe(true);
    }
    for (const [, e] of endpoints) {
      expect(e.Properties.PrivateDnsEnabled).toBe(true);
      expect(e.Properties.SubnetIds).toHaveLength(2);
    }
  });

  test('the endpoint security group admits only HTTPS from the VPC', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Interface endpoints'),
      SecurityGroupIngress: [{ CidrIp: '10.40.0.0/16', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
    });
  });

  test('no security group anywhere in the platform admits 0.0.0.0/0 or ::/0', () => {
    const openToWorld: string[] = [];
    for (const stack of Object.values(platform.stacks)) {
      const t = platform.template(stack);
      const rules = [
        ...resourcesOf(t, 'AWS::EC2::SecurityGroup').flatMap(([id, sg]) =>
          (sg.Properties.SecurityGroupIngress ?? []).map((r: any) => [id, r] as const),
        ),
        ...resourcesOf(t, 'AWS::EC2::SecurityGroupIngress').map(([id, r]) => [id, r.Properties] as const),
      ];
      for (const [id, rule] of rules)
        if (rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0') openToWorld.push(`${stack.stackName}/${id}`);
    }
    expect(openToWorld).toEqual([]);
  });

  test('three availability zones when network.availabilityZones is 3', () => {
    // GIVEN
    const config = configWith((raw) => (raw.network.availabilityZones = 3));
    // WHEN
    const stack = new NetworkStack(testApp(), 'Network', { env, config });
    const t = Template.fromStack(stack);
    // THEN
    t.resourceCountIs('AWS::EC2::NatGateway', 3);
    expect(subnetCidrs(t, SUBNET_GROUPS.private)).toEqual(['10.40.0.0/19', '10.40.32.0/19', '10.40.64.0/19']);
  });

  test('fails if PlatformVpc gets a single zone', () => {
    const stack = new Stack(new App(), 'S', { env });
    expect(
      () =>
        new PlatformVpc(stack, 'Vpc', {
          vpcCidr: '10.0.0.0/16',
          availabilityZones: ['eu-west-1a'],
          flowLogRetention: logs.RetentionDays.ONE_WEEK,
        }),
    ).toThrow(/availabilityZones must list 2 or 3 zones, got 1/);
  });

  test('fails if the VPC range is too small for the zones', () => {
    expect(() => networkLayout('10.0.0.0/28', 3)).toThrow(/"10\.0\.0\.0\/28" is too small for 3 availability zones/);
  });
});
