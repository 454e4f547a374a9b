import { Stack, StackProps } from 'aws-cdk-lib';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { Construct } from 'constructs';
import { AlertsTopic } from '../constructs/alerts-topic';

export interface AlertsStackProps extends StackProps {
  readonly config: PlatformConfig;
}

/** Layer 8 (part): the alerts topic every alarm and admin notification goes to. */
export class AlertsStack extends Stack {
  readonly alerts: AlertsTopic;

  constructor(scope: Construct, id: string, props: AlertsStackProps) {
    super(scope, id, props);
    this.alerts = new AlertsTopic(this, 'Alerts', { emails: props.config.budgets.alertEmails });
  }
}
