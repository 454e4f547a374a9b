import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import {
  NodeGroupCapacity,
  PlatformNodeGroups,
  TenantCapacity,
  maxFleetVcpus,
  nodeGroupCapacities,
  nodesForTenants,
  quantityMiB,
  reservedMemoryMiB,
  tenantsPerNode,
} from '../src';

const STANDARD_RUNC = { instanceTypes: ['m7g.xlarge', 'm6g.xlarge'], maxPods: 110, tier: 'standard', runtime: 'runc' } as const;

describe('tenant node capacity', () => {
  test('a 16 GiB node holds 10 standard gateways: memory decides, after kube-reserved and the daemon sets', () => {
    // 16384 - (255 + 11*110 + 100) - 768 = 14051 MiB for 1280 MiB gateways
    expect(reservedMemoryMiB(110)).toBe(1565);
    expect(tenantsPerNode(STANDARD_RUNC)).toBe(10);
    expect(tenantsPerNode({ ...STANDARD_RUNC, tier: 'large' })).toBe(6);
    // gVisor: 30 pods per node at most, and every pod carries the sandbox's overhead
    expect(tenantsPerNode({ ...STANDARD_RUNC, maxPods: 30, runtime: 'gvisor' })).toBe(10);
  });

  test('nodes for signup.maxTenants round up, and the smallest instance type counts', () => {
    expect(nodesForTenants(1000, STANDARD_RUNC)).toBe(100);
    expect(nodesForTenants(1001, STANDARD_RUNC)).toBe(101);
    expect(nodesForTenants(1000, { ...STANDARD_RUNC, instanceTypes: ['m7g.2xlarge', 'm7g.xlarge'] })).toBe(100);
  });

  test('fails if an instance type or a quantity is unknown', () => {
    expect(() => tenantsPerNode({ ...STANDARD_RUNC, instanceTypes: ['x9.huge'] })).toThrow(/instance type x9\.huge has no known memory/);
    expect(() => quantityMiB('1.5G')).toThrow('memory quantity "1.5G" is not in Mi or Gi');
    expect(quantityMiB('2Gi')).toBe(2048);
  });
});

describe('PlatformNodeGroups sized from signup.maxTenants', () => {
  function nodeGroups(tenantCapacity: TenantCapacity, groups: { runc?: NodeGroupCapacity; gvisor?: NodeGroupCapacity } = {}): Template {
    const stack = new Stack(new App(), 'Capacity', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const cluster = new eks.Cluster(stack, 'Cluster', {
      version: eks.KubernetesVersion.of('1.33'),
      vpc,
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      kubectlProviderOptions: { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') },
    });
    new PlatformNodeGroups(stack, 'NodeGroups', {
      cluster,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      prerequisites: [],
      tenantCapacity,
      ...groups,
    });
    return Template.fromStack(stack);
  }
  const scaling = (template: Template, label: Record<string, string>) =>
    Object.values(template.findResources('AWS::EKS::Nodegroup', { Properties: { Labels: label } })).map(
      (r) => (r as any).Properties.ScalingConfig,
    );

  test('the default runtime group holds maxTenants gateways; the other keeps its default', () => {
    // GIVEN 1000 standard tenants on runc WHEN synthesized
    const template = nodeGroups({ maxTenants: 1000, tier: 'standard', runtime: 'runc' });
    // THEN runc scales to 100 nodes, gVisor stays at its default 1-10
    const groups = Object.values(template.findResources('AWS::EKS::Nodegroup')).map((r: any) => [
      r.Properties.Labels['openclaw.io/runtime'] ?? r.Properties.Labels['openclaw.io/node-role'],
      r.Properties.ScalingConfig,
    ]);
    expect(groups).toEqual(
      expect.arrayContaining([
        ['tenant', { MinSize: 1, DesiredSize: 1, MaxSize: 100 }],
        ['gvisor', { MinSize: 1, DesiredSize: 1, MaxSize: 10 }],
        ['system', { MinSize: 2, DesiredSize: 2, MaxSize: 3 }],
      ]),
    );
  });

  test('large tenants on gVisor by default size the gVisor group', () => {
    const template = nodeGroups({ maxTenants: 100, tier: 'large', runtime: 'gvisor' });
    expect(scaling(template, { 'openclaw.io/runtime': 'gvisor' })).toEqual([{ MinSize: 1, DesiredSize: 1, MaxSize: 17 }]);
  });

  test('fails if an explicit maximum cannot hold signup.maxTenants, naming the key and the size needed', () => {
    expect(() =>
      nodeGroups(
        { maxTenants: 1000, tier: 'standard', runtime: 'runc' },
        { runc: { instanceTypes: ['m7g.xlarge'], minSize: 1, maxSize: 20, maxPods: 110 } },
      ),
    ).toThrow(
      'node group TenantRunc: maxSize 20 × 10 standard tenants per m7g.xlarge holds 200, fewer than signup.maxTenants 1000; raise maxSize to 100 or lower signup.maxTenants',
    );
  });

  test('fails if signup.maxTenants needs more nodes than a managed node group allows', () => {
    expect(() => nodeGroups({ maxTenants: 5000, tier: 'standard', runtime: 'runc' })).toThrow(
      /signup\.maxTenants 5000 needs 500 m7g\.xlarge nodes in node group TenantRunc .* more than the 450/,
    );
  });
});

describe('fleet vCPUs at the maxima', () => {
  test('1000 standard tenants on runc: 3 system × 2 + 100 runc × 4 + 10 gVisor × 4 vCPUs', () => {
    expect(maxFleetVcpus(nodeGroupCapacities({ maxTenants: 1000, tier: 'standard', runtime: 'runc' }))).toBe(446);
  });

  test('fails for an instance type without a known vCPU count', () => {
    expect(() => maxFleetVcpus({ x: { instanceTypes: ['x9.huge'], minSize: 1, maxSize: 1, maxPods: 10 } })).toThrow(
      /x9\.huge has no known vCPU count/,
    );
  });
});
