import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IDependable } from 'constructs';
import { acknowledge, acknowledgeSingleton } from '../compliance';

export interface VpcOriginIngressProps {
  readonly vpc: ec2.IVpc;
  /** Security group of the origin (the internal load balancer). */
  readonly originSecurityGroup: ec2.ISecurityGroup;
  readonly port: number;
  /** The CloudFront VPC origin; its creation is what makes CloudFront create the security group. */
  readonly vpcOrigin: IDependable;
}

/**
 * CloudFront sends VPC-origin traffic from ENIs carrying a security group it
 * creates itself (`CloudFront-VPCOrigins-Service-SG`) in the origin's VPC. Its
 * id exists only after the first VPC origin, so it is looked up at deploy
 * time and named as the only source the load balancer accepts: neither the
 * VPC range (tenant pods live there) nor CloudFront's global prefix list
 * (any distribution of any customer) is opened.
 */
export class VpcOriginIngress extends Construct {
  /** Name CloudFront gives the security group of its VPC-origin ENIs. */
  static readonly CLOUDFRONT_SECURITY_GROUP_NAME = 'CloudFront-VPCOrigins-Service-SG';

  readonly cloudFrontSecurityGroupId: string;

  constructor(scope: Construct, id: string, props: VpcOriginIngressProps) {
    super(scope, id);
    const call: cr.AwsSdkCall = {
      service: 'EC2',
      action: 'describeSecurityGroups',
      parameters: {
        Filters: [
          { Name: 'vpc-id', Values: [props.vpc.vpcId] },
          { Name: 'group-name', Values: [VpcOriginIngress.CLOUDFRONT_SECURITY_GROUP_NAME] },
        ],
      },
      physicalResourceId: cr.PhysicalResourceId.fromResponse('SecurityGroups.0.GroupId'),
      outputPaths: ['SecurityGroups.0.GroupId'],
    };
    const lookup = new cr.AwsCustomResource(this, 'Lookup', {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    lookup.node.addDependency(props.vpcOrigin);
    this.cloudFrontSecurityGroupId = lookup.getResponseField('SecurityGroups.0.GroupId');

    new ec2.CfnSecurityGroupIngress(this, 'FromCloudFront', {
      groupId: props.originSecurityGroup.securityGroupId,
      sourceSecurityGroupId: this.cloudFrontSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: props.port,
      toPort: props.port,
      description: 'CloudFront VPC origin',
    });

    acknowledge(
      lookup,
      'AwsSolutions-IAM5[Resource::*]',
      'ec2:DescribeSecurityGroups has no resource-level permissions; the lookup is read-only.',
    );
    acknowledgeSingleton(Stack.of(this), `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`, [
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'The AwsCustomResource handler of aws-cdk-lib (security group lookup) only writes its own logs with the basic execution policy.',
      },
    ]);
  }
}
