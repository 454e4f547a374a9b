import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { Construct } from 'constructs';
import { AWS_PARTITION_REGIONS, AuditQuery } from '../constructs/audit-query';
import { AuditDataEvents, AuditTrail } from '../constructs/audit-trail';
import { GuardDutyRuntimeMonitoring } from '../constructs/guard-duty-runtime-monitoring';
import { TamperAlarms } from '../constructs/tamper-alarms';

export interface AuditStackProps extends StackProps {
  readonly config: PlatformConfig;
  /** Receives the tamper alarms and high-severity GuardDuty findings. */
  readonly alertsTopic: sns.ITopic;
  /** The platform resources whose every call is recorded. */
  readonly dataEvents: AuditDataEvents;
  /** Roles of the functions that manage tenant Pod Identity associations (their calls do not alarm). */
  readonly platformFunctionRoleArns: readonly string[];
}

/** GuardDuty findings of this severity or more reach the alerts topic (GuardDuty's "high" band starts at 7). */
export const GUARD_DUTY_ALERT_SEVERITY = 7;

/**
 * Layer 10: the CloudTrail audit trail (with data events of the privileged
 * paths), the Athena table and queries over it, the tamper alarms and
 * GuardDuty runtime monitoring.
 */
export class AuditStack extends Stack {
  readonly trail: AuditTrail;
  readonly query: AuditQuery;
  readonly tamperAlarms: TamperAlarms;
  readonly guardDuty?: GuardDutyRuntimeMonitoring;

  constructor(scope: Construct, id: string, props: AuditStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.trail = new AuditTrail(this, 'Trail', {
      retentionDays: config.observability.auditLogRetentionDays,
      trailName: `${config.platformName}-audit`,
      dataEvents: props.dataEvents,
    });
    this.query = new AuditQuery(this, 'Query', {
      trailBucket: this.trail.bucket,
      key: this.trail.key,
      accessLogBucket: this.trail.accessLogBucket,
      regions: [...AWS_PARTITION_REGIONS, config.aws.region, config.models.bedrockRegion],
      databaseName: `${config.platformName.replace(/-/g, '_')}_audit`,
    });
    if (config.security.guardDutyRuntimeMonitoring) this.guardDuty = new GuardDutyRuntimeMonitoring(this, 'GuardDuty');
    this.tamperAlarms = new TamperAlarms(this, 'TamperAlarms', {
      topic: props.alertsTopic,
      platformFunctionRoleArns: props.platformFunctionRoleArns,
      guardDutyMinimumSeverity: GUARD_DUTY_ALERT_SEVERITY,
    });
    new CfnOutput(this, 'AthenaWorkGroup', { value: this.query.workGroup.ref });
  }
}
