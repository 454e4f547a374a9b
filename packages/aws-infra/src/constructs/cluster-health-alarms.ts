import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface ClusterHealthAlarmsProps {
  readonly clusterName: string;
  readonly alarmTopic: sns.ITopic;
  /**
   * Restarts of one pod (all its containers, over its lifetime) that count as a crash loop.
   * @default 5
   */
  readonly podRestartThreshold?: number;
}

/**
 * Alarms on Container Insights metrics published by the
 * amazon-cloudwatch-observability add-on. `pod_number_of_container_restarts`
 * exists per pod only (dimensions ClusterName, Namespace, PodName), so the
 * alarm is a Metrics Insights query taking the maximum over every pod of the
 * cluster, instead of a metric with the ClusterName dimension alone that is
 * never published, so an alarm on it could never fire.
 */
export class ClusterHealthAlarms extends Construct {
  readonly podRestarts: cloudwatch.Alarm;
  readonly failedNodes: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ClusterHealthAlarmsProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(props.clusterName)) {
      throw new Error(`clusterName "${props.clusterName}" cannot be used in a Metrics Insights query; use letters, digits, "-" and "_"`);
    }
    const threshold = props.podRestartThreshold ?? 5;
    const action = new actions.SnsAction(props.alarmTopic);

    this.podRestarts = new cloudwatch.MathExpression({
      expression:
        'SELECT MAX(pod_number_of_container_restarts) FROM SCHEMA(ContainerInsights, ClusterName, Namespace, PodName) ' +
        `WHERE ClusterName = '${props.clusterName}'`,
      period: Duration.minutes(5),
      label: 'Most container restarts of any pod',
    }).createAlarm(this, 'PodRestarts', {
      alarmDescription: `A pod in ${props.clusterName} restarted its containers more than ${threshold} times (crash loop); find it in Container Insights.`,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.podRestarts.addAlarmAction(action);

    this.failedNodes = new cloudwatch.Metric({
      namespace: 'ContainerInsights',
      metricName: 'cluster_failed_node_count',
      dimensionsMap: { ClusterName: props.clusterName },
      statistic: 'Maximum',
      period: Duration.minutes(5),
    }).createAlarm(this, 'FailedNodes', {
      alarmDescription: `A node of ${props.clusterName} is failing (NotReady or under pressure).`,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.failedNodes.addAlarmAction(action);
  }
}
