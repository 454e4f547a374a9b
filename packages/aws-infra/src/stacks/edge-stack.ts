import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PlatformConfig, cognitoApiOrigin, publicOrigin } from '@openclaw-tenancy/shared';
import { Construct, IDependable } from 'constructs';
import { AuthUiDeployment } from '../constructs/auth-ui-deployment';
import { EdgeDistribution } from '../constructs/edge-distribution';
import { EDGE_LISTENER_PORT, InternalEdgeLoadBalancer } from '../constructs/internal-edge-load-balancer';
import { PlatformVpc, SUBNET_GROUPS } from '../constructs/platform-vpc';
import { VpcOriginIngress } from '../constructs/vpc-origin-ingress';
import { edgeTargetGroupName } from './cluster-stack';

export interface EdgeStackProps extends StackProps {
  readonly config: PlatformConfig;
  readonly network: PlatformVpc;
  readonly cluster: eks.Cluster;
  /** Charts the TargetGroupBinding needs (load balancer controller, Envoy Gateway). */
  readonly bindingPrerequisites: readonly IDependable[];
  /** ARN of the CLOUDFRONT web ACL (from the us-east-1 WAF stack). */
  readonly webAclArn: string;
  readonly userPool: cognito.IUserPool;
  readonly userPoolClient: cognito.IUserPoolClient;
  /** The `session` platform function: CloudFront's `/_session/*` behaviour invokes it through a function URL. */
  readonly sessionFunction: lambda.IFunction;
  /** The built auth UI (`packages/auth-ui/dist`). */
  readonly authUiDirectory: string;
}

/**
 * Layer 1: everything between a browser and a tenant gateway. CloudFront
 * (TLS, WAF) serves the auth UI from S3, sends `/_session/*` to the session
 * function's URL and `/t/*` through a VPC origin
 * to the internal load balancer in front of Envoy Gateway; the auth UI's
 * config.json and the DNS record are part of the same deployment, so a
 * `cdk diff` after `cdk deploy` is empty.
 */
export class EdgeStack extends Stack {
  readonly loadBalancer: InternalEdgeLoadBalancer;
  readonly edge: EdgeDistribution;
  readonly logBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    const { config } = props;

    // CloudFront standard logging writes with ACLs, hence BucketOwnerPreferred rather than Enforced.
    this.logBucket = new s3.Bucket(this, 'LogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(config.observability.logRetentionDays), noncurrentVersionExpiration: Duration.days(7) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.loadBalancer = new InternalEdgeLoadBalancer(this, 'LoadBalancer', {
      vpc: props.network.vpc,
      subnets: { subnetGroupName: SUBNET_GROUPS.private },
      cluster: props.cluster,
      nodeSecurityGroup: props.cluster.clusterSecurityGroup,
      targetGroupName: edgeTargetGroupName(config),
      accessLogBucket: this.logBucket,
      bindingPrerequisites: props.bindingPrerequisites,
    });

    const hostedZone =
      config.domain.hostedZoneId && config.domain.hostedZoneName
        ? route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
            hostedZoneId: config.domain.hostedZoneId,
            zoneName: config.domain.hostedZoneName,
          })
        : undefined;
    this.edge = new EdgeDistribution(this, 'Edge', {
      domainName: config.domain.name,
      certificateArn: config.domain.certificateArn,
      webAclArn: props.webAclArn,
      tenantLoadBalancer: this.loadBalancer.loadBalancer,
      logBucket: this.logBucket,
      hostedZone,
      cognitoOrigin: cognitoApiOrigin(config.aws.region),
      sessionFunction: props.sessionFunction,
    });

    new VpcOriginIngress(this, 'VpcOriginIngress', {
      vpc: props.network.vpc,
      originSecurityGroup: this.loadBalancer.securityGroup,
      port: EDGE_LISTENER_PORT,
      vpcOrigin: this.edge.vpcOrigin,
    });

    new AuthUiDeployment(this, 'AuthUi', {
      sourceDirectory: props.authUiDirectory,
      bucket: this.edge.siteBucket,
      distribution: this.edge.distribution,
      runtimeConfig: {
        region: this.region,
        userPoolId: props.userPool.userPoolId,
        clientId: props.userPoolClient.userPoolClientId,
        origin: publicOrigin(config),
      },
    });

    new CfnOutput(this, 'DistributionDomainName', { value: this.edge.distribution.distributionDomainName });
    new CfnOutput(this, 'PublicOrigin', { value: publicOrigin(config) });
  }
}
