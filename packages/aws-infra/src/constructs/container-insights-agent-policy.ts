import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge, nagResource } from '../compliance';

export interface ContainerInsightsAgentPolicyProps {
  /** The cluster whose `/aws/containerinsights/<cluster>/…` log groups the agent writes. */
  readonly clusterName: string;
}

/** Metric namespaces the CloudWatch agent of Container Insights publishes to. */
export const CONTAINER_INSIGHTS_METRIC_NAMESPACES = ['ContainerInsights', 'ContainerInsights/Prometheus', 'CWAgent'] as const;

/**
 * What the CloudWatch agent and Fluent Bit of the observability add-on need,
 * instead of the AWS-managed CloudWatchAgentServerPolicy: write events into
 * this cluster's Container Insights log groups (which CDK creates with their
 * retention) and publish Container Insights metrics. No log group creation,
 * no retention or policy changes, no other log group: after a node breakout
 * these credentials cannot shorten or forge the audit copies.
 */
export class ContainerInsightsAgentPolicy extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ContainerInsightsAgentPolicyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const logGroups = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `/aws/containerinsights/${props.clusterName}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `CloudWatch agent of Container Insights (${props.clusterName}): its own log groups and metrics only`,
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteOwnLogGroups',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [logGroups, `${logGroups}:log-stream:*`],
        }),
        new iam.PolicyStatement({
          sid: 'PublishContainerInsightsMetrics',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': [...CONTAINER_INSIGHTS_METRIC_NAMESPACES] } },
        }),
        new iam.PolicyStatement({
          sid: 'DescribeNodeResources',
          actions: ['ec2:DescribeInstances', 'ec2:DescribeTags', 'ec2:DescribeVolumes', 'logs:DescribeLogGroups'],
          resources: ['*'],
        }),
      ],
    });
    acknowledge(
      this.policy,
      'AwsSolutions-IAM5[Resource::*]',
      'cloudwatch:PutMetricData (limited by the cloudwatch:namespace condition to Container Insights), EC2 Describe* and logs:DescribeLogGroups have no resource-level permissions; all are read-only or metric writes.',
    );
    acknowledge(
      this.policy,
      `AwsSolutions-IAM5[Resource::${nagResource(this, logGroups)}]`,
      'The agent writes into the Container Insights log groups of this cluster only (application, dataplane, host, performance), which CDK creates with their retention.',
    );
    acknowledge(
      this.policy,
      `AwsSolutions-IAM5[Resource::${nagResource(this, logGroups)}:log-stream:*]`,
      "Log streams are created per node and container at runtime, inside this cluster's Container Insights log groups only.",
    );
  }
}
