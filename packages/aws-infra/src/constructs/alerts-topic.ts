import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlertsTopicProps {
  /** Addresses subscribed by e-mail (each must confirm the subscription once). */
  readonly emails: readonly string[];
  /**
   * Topic display name, shown as the sender of alert e-mails.
   * @default 'OpenClaw platform alerts'
   */
  readonly displayName?: string;
}

/**
 * Where every platform alarm and admin notification goes. The topic is
 * encrypted with its own CMK whose key policy lets CloudWatch alarms use it
 * (with a key that does not, alarm notifications are silently dropped);
 * platform Lambdas publish through IAM grants, which the key's account
 * statement honours.
 */
export class AlertsTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlertsTopicProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': account } };

    this.key = new kms.Key(this, 'Key', {
      description: 'Encryption of the platform alerts topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromThisAccount,
      }),
    );

    // EventBridge delivers the tamper alarms (TamperAlarms) to this encrypted topic.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEventBridgeRules',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromThisAccount,
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: props.displayName ?? 'OpenClaw platform alerts',
      masterKey: this.key,
      enforceSSL: true,
    });
    // The explicit topic policy (enforceSSL) replaces SNS's default one, so CloudWatch is named here.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromThisAccount,
      }),
    );
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEventBridgeRules',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromThisAccount,
      }),
    );
    for (const email of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
  }
}
