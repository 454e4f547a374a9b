import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface TenantJobQueueProps {
  /** Receives the alarm raised as soon as a message lands in the dead-letter queue. */
  readonly alarmTopic: sns.ITopic;
  /**
   * Time a consumer has for one message; AWS recommends at least 6 × the consumer's timeout.
   * @default Duration.minutes(15)
   */
  readonly visibilityTimeout?: Duration;
  /**
   * Deliveries before a message moves to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
}

/** Who may put jobs into a queue and take them out; everyone else is denied by the queue policy. */
export interface TenantJobQueueAccess {
  /** Roles that send jobs (e.g. PostConfirmation for provisioning). */
  readonly producerArns: readonly string[];
  /** Roles that receive and delete jobs (the consuming function). */
  readonly consumerArns: readonly string[];
  /** Roles that may do both, inspect and redrive the dead-letter queue (operators, the break-glass role). */
  readonly operatorArns: readonly string[];
}

/** Queue actions that take, hide or drop jobs. */
export const JOB_QUEUE_CONSUME_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:PurgeQueue',
] as const;

/**
 * A queue of tenant jobs (provision, offboard) with a dead-letter queue. Both
 * refuse non-TLS access and are encrypted; a message in the DLQ means a
 * tenant is stuck, so it alarms immediately.
 */
export class TenantJobQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: TenantJobQueueProps) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(`maxReceiveCount must be a whole number from 1 to 1000, got ${maxReceiveCount}`);
    }
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout ?? Duration.minutes(15),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
    this.deadLetterAlarm = this.deadLetterQueue
      .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' })
      .createAlarm(this, 'DeadLetterAlarm', {
        alarmDescription: `A tenant job failed ${maxReceiveCount} times and is parked in the dead-letter queue; inspect it and redrive after fixing the cause.`,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.deadLetterAlarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
  }

  /**
   * Denies sending to anyone but the producers and operators, and consuming to
   * anyone but the consumers and operators, whatever their IAM policies say:
   * an account principal with `sqs:*` cannot inject a job (an offboarding of
   * someone else's tenant) or swallow one. The dead-letter queue admits operators only.
   */
  admitOnly(access: TenantJobQueueAccess): void {
    if (access.producerArns.length + access.operatorArns.length === 0)
      throw new Error('admitOnly: no producer or operator; the queue would accept no job');
    if (access.consumerArns.length + access.operatorArns.length === 0)
      throw new Error('admitOnly: no consumer or operator; no job could ever be taken');
    const deny = (queue: sqs.Queue, sid: string, queueActions: readonly string[], allowed: readonly string[]) =>
      queue.addToResourcePolicy(
        new iam.PolicyStatement({
          sid,
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: [...queueActions],
          resources: [queue.queueArn],
          conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...new Set(allowed)] } },
        }),
      );
    deny(this.queue, 'SendOnlyFromPlatformProducers', ['sqs:SendMessage'], [...access.producerArns, ...access.operatorArns]);
    deny(this.queue, 'ConsumeOnlyByPlatformConsumers', JOB_QUEUE_CONSUME_ACTIONS, [...access.consumerArns, ...access.operatorArns]);
    deny(
      this.deadLetterQueue,
      'SendOnlyFromOperators',
      ['sqs:SendMessage'],
      access.operatorArns.length ? access.operatorArns : access.producerArns,
    );
    deny(
      this.deadLetterQueue,
      'ConsumeOnlyByOperators',
      JOB_QUEUE_CONSUME_ACTIONS,
      access.operatorArns.length ? access.operatorArns : access.consumerArns,
    );
  }
}
