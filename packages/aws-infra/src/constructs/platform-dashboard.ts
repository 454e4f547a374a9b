import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface PlatformDashboardProps {
  /**
   * Name of the dashboard.
   * @default - `<stack name>-operations`
   */
  readonly dashboardName?: string;
  /** The EKS cluster whose Container Insights metrics show the gateways. */
  readonly clusterName: string;
  readonly userPool: cognito.IUserPool;
  readonly userPoolClient: cognito.IUserPoolClient;
  /** PostConfirmation: one invocation per confirmed sign-up. */
  readonly signUpFunction: lambda.IFunction;
  /** The provisioner: its duration is the provisioning latency of one job. */
  readonly provisioningFunction: lambda.IFunction;
  /** Every platform function; errors per function. */
  readonly functions: readonly lambda.IFunction[];
  /** The job queues; the age of the oldest job is the wait before provisioning or offboarding starts. */
  readonly jobQueues: readonly sqs.IQueue[];
  /** Their dead-letter queues: any message there is a job that failed every retry. */
  readonly deadLetterQueues: readonly sqs.IQueue[];
  readonly distribution: cloudfront.IDistribution;
  /** Where the tenants' inference profiles and so their Bedrock metrics are (`models.bedrockRegion`). */
  readonly bedrockRegion: string;
  /**
   * How many inference profiles the top-consumers widget lists.
   * @default 10
   */
  readonly topConsumers?: number;
}

/** CloudFront publishes its metrics in us-east-1 only, with `Region=Global`. */
const CLOUDFRONT_METRICS_REGION = 'us-east-1';
const FIVE_MINUTES = Duration.minutes(5);

/**
 * One CloudWatch dashboard for day-2 operations: sign-ups, provisioning
 * latency and queue age, dead-letter depth, function errors, tenant gateway
 * restarts per pod and running pods per namespace (Container Insights), the top
 * Bedrock consumers (one application inference profile per tenant and model),
 * and the edge's 4xx/5xx rates.
 */
export class PlatformDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: PlatformDashboardProps) {
    super(scope, id);
    const topConsumers = props.topConsumers ?? 10;
    if (!Number.isInteger(topConsumers) || topConsumers < 1 || topConsumers > 500) {
      throw new Error(`topConsumers must be a whole number from 1 to 500 (a Metrics Insights LIMIT), got ${topConsumers}`);
    }
    if (props.functions.length === 0) throw new Error('functions is empty: pass the platform functions whose errors the dashboard shows');
    if (props.deadLetterQueues.length === 0) throw new Error('deadLetterQueues is empty: pass the dead-letter queue of every job queue');
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.bedrockRegion))
      throw new Error(`bedrockRegion must be a region name like us-east-1, got "${props.bedrockRegion}"`);
    // The cluster name is quoted inside SEARCH expressions.
    if (!/^[0-9A-Za-z][A-Za-z0-9\-_]*$/.test(props.clusterName))
      throw new Error(`clusterName must be an EKS cluster name, got "${props.clusterName}"`);

    // A SEARCH schema matches only metrics published with exactly its dimensions: restarts are per pod
    // (PodName, Namespace, ClusterName), running pods per namespace (Namespace, ClusterName).
    const containerInsights = (schema: string, metricName: string, stat: string, label: string) =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('{ContainerInsights,${schema}} MetricName="${metricName}" ClusterName="${props.clusterName}"', '${stat}', 300)`,
        label,
        period: FIVE_MINUTES,
      });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? `${Stack.of(this).stackName}-operations`,
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Sign-ups',
            width: 8,
            left: [
              new cloudwatch.Metric({
                namespace: 'AWS/Cognito',
                metricName: 'SignUpSuccesses',
                dimensionsMap: { UserPool: props.userPool.userPoolId, UserPoolClient: props.userPoolClient.userPoolClientId },
                statistic: 'Sum',
                period: Duration.hours(1),
                label: 'sign-ups',
              }),
              props.signUpFunction.metricInvocations({ period: Duration.hours(1), label: 'confirmations (PostConfirmation)' }),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: 'Provisioning latency and queue wait',
            width: 8,
            left: [
              props.provisioningFunction.metricDuration({ statistic: 'p50', period: FIVE_MINUTES, label: 'provisioner p50' }),
              props.provisioningFunction.metricDuration({ statistic: 'p99', period: FIVE_MINUTES, label: 'provisioner p99' }),
            ],
            right: props.jobQueues.map((q) =>
              q.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, label: `oldest job, ${q.queueName}` }),
            ),
          }),
          new cloudwatch.GraphWidget({
            title: 'Dead-letter queues (failed jobs)',
            width: 8,
            left: props.deadLetterQueues.map((q) =>
              q.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: FIVE_MINUTES, label: q.queueName }),
            ),
            leftAnnotations: [{ value: 1, label: 'any message is a failed job', color: cloudwatch.Color.RED }],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Function errors',
            width: 8,
            left: props.functions.map((f) => f.metricErrors({ period: FIVE_MINUTES, label: f.functionName })),
          }),
          new cloudwatch.GraphWidget({
            title: 'Gateway restarts per pod',
            width: 8,
            left: [containerInsights('ClusterName,Namespace,PodName', 'pod_number_of_container_restarts', 'Maximum', 'restarts')],
          }),
          new cloudwatch.GraphWidget({
            title: 'Running pods per namespace (0: suspended or not ready)',
            width: 8,
            left: [containerInsights('ClusterName,Namespace', 'namespace_number_of_running_pods', 'Average', 'running pods')],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: `Top ${topConsumers} Bedrock consumers (output tokens per inference profile; platform-admin usage names the tenant and the cost)`,
            width: 12,
            left: [
              new cloudwatch.MathExpression({
                expression: `SELECT SUM(OutputTokenCount) FROM SCHEMA("AWS/Bedrock", ModelId) GROUP BY ModelId ORDER BY SUM() DESC LIMIT ${topConsumers}`,
                label: 'output tokens',
                period: Duration.hours(1),
                searchRegion: props.bedrockRegion,
              }),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: 'Edge error rates (CloudFront)',
            width: 12,
            left: (['4xxErrorRate', '5xxErrorRate'] as const).map(
              (metricName) =>
                new cloudwatch.Metric({
                  namespace: 'AWS/CloudFront',
                  metricName,
                  dimensionsMap: { DistributionId: props.distribution.distributionId, Region: 'Global' },
                  statistic: 'Average',
                  period: FIVE_MINUTES,
                  region: CLOUDFRONT_METRICS_REGION,
                  label: metricName,
                }),
            ),
            leftYAxis: { min: 0, max: 100, label: '%' },
          }),
        ],
      ],
    });
  }
}
