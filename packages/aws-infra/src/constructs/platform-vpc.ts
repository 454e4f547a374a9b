import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENDPOINT_SUBNET_PREFIX, NetworkLayout, PUBLIC_SUBNET_PREFIX, networkLayout } from '@openclaw-tenancy/shared';
import { pinServiceRoleToSource } from '../service-role-source';

export interface PlatformVpcProps {
  /** IPv4 range of the VPC; its first half goes to node and pod subnets. */
  readonly vpcCidr: string;
  /** Availability zones to span (2 or 3); one NAT gateway in each. */
  readonly availabilityZones: readonly string[];
  /** Retention of the VPC flow log group. */
  readonly flowLogRetention: logs.RetentionDays;
  /**
   * AWS services reached through interface endpoints instead of the NAT gateways.
   * @default - what nodes, tenants and controllers call: STS, ECR (api, dkr), Secrets Manager, Bedrock runtime, EKS Auth (Pod Identity), CloudWatch Logs, SQS
   */
  readonly interfaceEndpoints?: readonly ec2.InterfaceVpcEndpointAwsService[];
}

/** Subnet group names; stacks select subnets by these. */
export const SUBNET_GROUPS = { private: 'private', endpoints: 'endpoints', public: 'public' } as const;

/**
 * The platform network: private subnets for nodes and pods (sized for VPC CNI
 * prefix delegation), small isolated subnets holding only the interface
 * endpoints, and public subnets holding only NAT gateways. Nothing from the
 * internet is routed to a private subnet.
 */
export class PlatformVpc extends Construct {
  static readonly DEFAULT_INTERFACE_ENDPOINTS: readonly ec2.InterfaceVpcEndpointAwsService[] = [
    ec2.InterfaceVpcEndpointAwsService.STS,
    ec2.InterfaceVpcEndpointAwsService.ECR,
    ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
    ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME,
    ec2.InterfaceVpcEndpointAwsService.EKS_AUTH,
    ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
    ec2.InterfaceVpcEndpointAwsService.SQS,
  ];

  readonly vpc: ec2.Vpc;
  readonly layout: NetworkLayout;
  /** Admits HTTPS from inside the VPC to the interface endpoints. */
  readonly endpointSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: PlatformVpcProps) {
    super(scope, id);
    const azCount = props.availabilityZones.length;
    if (azCount < 2 || azCount > 3) {
      throw new Error(
        `availabilityZones must list 2 or 3 zones, got ${azCount} (${props.availabilityZones.join(', ')}); set network.availabilityZones to 2 or 3`,
      );
    }
    this.layout = networkLayout(props.vpcCidr, azCount);

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.vpcCidr),
      availabilityZones: [...props.availabilityZones],
      natGateways: azCount,
      restrictDefaultSecurityGroup: true,
      // Same order and sizes as networkLayout(): largest first, so the allocation is aligned and predictable.
      subnetConfiguration: [
        { name: SUBNET_GROUPS.private, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: this.layout.privateSubnetPrefix },
        { name: SUBNET_GROUPS.endpoints, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: ENDPOINT_SUBNET_PREFIX },
        { name: SUBNET_GROUPS.public, subnetType: ec2.SubnetType.PUBLIC, cidrMask: PUBLIC_SUBNET_PREFIX, mapPublicIpOnLaunch: false },
      ],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', { retention: props.flowLogRetention, removalPolicy: RemovalPolicy.DESTROY });
    const flowLog = this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    // Any flow log of this account may deliver with the role, none of another's; the flow log's own id would be a cycle.
    const stack = Stack.of(this);
    pinServiceRoleToSource(flowLog.iamRole!, 'vpc-flow-logs.amazonaws.com', {
      account: stack.account,
      arnPattern: stack.formatArn({
        service: 'ec2',
        resource: 'vpc-flow-log',
        resourceName: '*',
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
    });

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Interface endpoints: HTTPS from inside the VPC only',
      allowAllOutbound: false,
    });
    this.endpointSecurityGroup.addIngressRule(
      ec2.Peer.ipv4(props.vpcCidr),
      ec2.Port.tcp(443),
      'HTTPS from nodes, pods and the control plane',
    );

    for (const service of props.interfaceEndpoints ?? PlatformVpc.DEFAULT_INTERFACE_ENDPOINTS) {
      this.vpc.addInterfaceEndpoint(endpointId(service), {
        service,
        subnets: { subnetGroupName: SUBNET_GROUPS.endpoints },
        securityGroups: [this.endpointSecurityGroup],
        privateDnsEnabled: true,
        open: false,
      });
    }
  }
}

/** A stable construct id from the service's short name, e.g. `com.amazonaws.eu-west-1.ecr.dkr` → `EcrDkrEndpoint`. */
function endpointId(service: ec2.InterfaceVpcEndpointAwsService): string {
  return `${service.shortName
    .split(/[.-]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('')}Endpoint`;
}
