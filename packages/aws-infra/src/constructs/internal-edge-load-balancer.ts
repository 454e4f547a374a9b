import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PLATFORM_NAMES } from '@openclaw-tenancy/shared';
import { Construct, IDependable } from 'constructs';

export interface InternalEdgeLoadBalancerProps {
  readonly vpc: ec2.IVpc;
  /** Subnets of the load balancer (private; CloudFront reaches it through a VPC origin). */
  readonly subnets: ec2.SubnetSelection;
  readonly cluster: eks.ICluster;
  /** Security group of the nodes the Envoy pods run on (the EKS cluster security group). */
  readonly nodeSecurityGroup: ec2.ISecurityGroup;
  /** Fixed target group name; the load balancer controller's IAM policy is scoped to it. */
  readonly targetGroupName: string;
  /** Access logs go here, under `alb/`. */
  readonly accessLogBucket: s3.IBucket;
  /** The binding is applied after these (the controller and Envoy Gateway charts). */
  readonly bindingPrerequisites: readonly IDependable[];
  /**
   * Idle time before the load balancer closes a connection; long enough for quiet WebSocket sessions.
   * @default Duration.seconds(300)
   */
  readonly idleTimeout?: Duration;
}

/** Sid of the access log bucket statement that refuses the log delivery service writing for another account. */
export const LOG_DELIVERY_OTHER_ACCOUNTS_DENY_SID = 'DenyLogDeliveryForOtherAccounts';

/** Port CloudFront's VPC origin connects to on the load balancer. */
export const EDGE_LISTENER_PORT = 80;

/**
 * The one load balancer in front of every tenant: internal (no public
 * address), reachable only from CloudFront's VPC origin, forwarding to the
 * Envoy Gateway data-plane pods. The AWS Load Balancer Controller keeps the
 * target group filled with the Envoy pod IPs through a TargetGroupBinding, so
 * adding a tenant never touches the load balancer (one target group per
 * tenant would hit the ALB's limits at about 85 tenants).
 */
export class InternalEdgeLoadBalancer extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly securityGroup: ec2.SecurityGroup;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly targetGroupBinding: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: InternalEdgeLoadBalancerProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(props.targetGroupName)) {
      throw new Error(
        `targetGroupName "${props.targetGroupName}" must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen`,
      );
    }
    const port = PLATFORM_NAMES.gatewayListenerPort;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Internal edge ALB: ingress only from the CloudFront VPC origin, egress only to Envoy pods',
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(props.nodeSecurityGroup, ec2.Port.tcp(port), 'To the Envoy Gateway pods');
    new ec2.CfnSecurityGroupIngress(this, 'EnvoyFromLoadBalancer', {
      groupId: props.nodeSecurityGroup.securityGroupId,
      sourceSecurityGroupId: this.securityGroup.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      description: 'Edge ALB to Envoy Gateway pods',
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      internetFacing: false,
      securityGroup: this.securityGroup,
      idleTimeout: props.idleTimeout ?? Duration.seconds(300),
      dropInvalidHeaderFields: true,
      http2Enabled: true,
    });
    this.loadBalancer.logAccessLogs(props.accessLogBucket, 'alb');
    // logAccessLogs also admits the log delivery service, unconditioned: only for this account's deliveries.
    props.accessLogBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: LOG_DELIVERY_OTHER_ACCOUNTS_DENY_SID,
        effect: iam.Effect.DENY,
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['s3:PutObject', 's3:GetBucketAcl'],
        resources: [props.accessLogBucket.bucketArn, props.accessLogBucket.arnForObjects('*')],
        conditions: { StringNotEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'EnvoyTargets', {
      targetGroupName: props.targetGroupName,
      vpc: props.vpc,
      port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: Duration.seconds(30),
      // Envoy answers every path; any HTTP answer (404 for an unrouted path) proves the listener is up.
      healthCheck: {
        path: '/',
        port: String(port),
        healthyHttpCodes: '200-499',
        interval: Duration.seconds(15),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 2,
      },
    });
    this.loadBalancer.addListener('Http', {
      port: EDGE_LISTENER_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultTargetGroups: [this.targetGroup],
    });

    this.targetGroupBinding = new eks.KubernetesManifest(this, 'TargetGroupBinding', {
      cluster: props.cluster,
      overwrite: true,
      manifest: [
        {
          apiVersion: 'elbv2.k8s.aws/v1beta1',
          kind: 'TargetGroupBinding',
          metadata: { name: PLATFORM_NAMES.envoyService, namespace: PLATFORM_NAMES.envoyGatewayNamespace },
          spec: {
            serviceRef: { name: PLATFORM_NAMES.envoyService, port },
            targetGroupARN: this.targetGroup.targetGroupArn,
            targetType: 'ip',
          },
        },
      ],
    });
    for (const prerequisite of props.bindingPrerequisites) this.targetGroupBinding.node.addDependency(prerequisite);
  }
}
