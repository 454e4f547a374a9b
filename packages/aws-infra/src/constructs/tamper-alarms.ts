import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** One kind of tampering: API calls (CloudTrail management events) that weaken audit, keys, backups or access. */
export interface TamperSignal {
  /** Construct id of the rule and the name in alert e-mails. */
  readonly id: string;
  readonly description: string;
  /** EventBridge `source` (`aws.<service>`). */
  readonly source: string;
  readonly eventNames: readonly string[];
  /** Calls by the platform's own functions are expected (tenant Pod Identity associations) and do not alert. */
  readonly exceptPlatformFunctions?: boolean;
  /** `eventNames` are prefixes (the service appends a version to its event names). */
  readonly matchNamePrefix?: boolean;
}

/** Every tampering signal that alerts, in one catalogue read by the construct and its tests. */
export const TAMPER_SIGNALS: readonly TamperSignal[] = [
  {
    id: 'AuditTrailTampering',
    description: 'The audit trail was stopped, deleted or its event selection changed',
    source: 'aws.cloudtrail',
    eventNames: ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors'],
  },
  {
    id: 'KeyDestruction',
    description: 'A KMS key was scheduled for deletion, disabled, lost rotation or got a new key policy',
    source: 'aws.kms',
    eventNames: ['ScheduleKeyDeletion', 'DisableKey', 'DisableKeyRotation', 'PutKeyPolicy'],
  },
  {
    id: 'BackupProtectionChanged',
    description: 'A backup vault lock, vault policy, plan or recovery point was removed or changed',
    source: 'aws.backup',
    eventNames: [
      'DeleteBackupVaultLockConfiguration',
      'PutBackupVaultLockConfiguration',
      'PutBackupVaultAccessPolicy',
      'DeleteBackupVaultAccessPolicy',
      'DeleteBackupVault',
      'DeleteRecoveryPoint',
      'UpdateRecoveryPointLifecycle',
      'DeleteBackupPlan',
      'UpdateBackupPlan',
      'DeleteBackupSelection',
    ],
  },
  {
    // Subscriptions, exports and deliveries are read by CloudWatch Logs itself, past the tenant output key's deny.
    id: 'LogProtectionChanged',
    description:
      'A log group lost its retention, key or data-protection policy, was deleted, or got a new subscription, export or delivery',
    source: 'aws.logs',
    eventNames: [
      'PutRetentionPolicy',
      'DeleteRetentionPolicy',
      'DeleteLogGroup',
      'DisassociateKmsKey',
      'DeleteDataProtectionPolicy',
      'PutDataProtectionPolicy',
      'PutAccountPolicy',
      'DeleteAccountPolicy',
      'PutSubscriptionFilter',
      'CreateExportTask',
      'CreateDelivery',
    ],
  },
  {
    id: 'AuditBucketChanged',
    description: 'A bucket lifecycle, policy, versioning or Object Lock configuration changed',
    source: 'aws.s3',
    eventNames: [
      'PutBucketLifecycle',
      'DeleteBucketLifecycle',
      'PutBucketPolicy',
      'DeleteBucketPolicy',
      'PutBucketVersioning',
      'PutObjectLockConfiguration',
    ],
  },
  {
    id: 'ClusterAccessChanged',
    description: 'A Pod Identity association or EKS access entry changed outside the platform functions',
    source: 'aws.eks',
    eventNames: [
      'CreatePodIdentityAssociation',
      'UpdatePodIdentityAssociation',
      'DeletePodIdentityAssociation',
      'CreateAccessEntry',
      'UpdateAccessEntry',
      'DeleteAccessEntry',
      'AssociateAccessPolicy',
      'DisassociateAccessPolicy',
    ],
    exceptPlatformFunctions: true,
  },
  {
    // The kubectl provider holds standing cluster-admin and the platform functions the tenant lifecycle:
    // new code, configuration or invoke permissions on a function is a way into either.
    id: 'FunctionChanged',
    description: 'Lambda function code, configuration, invoke permissions or event sources changed',
    source: 'aws.lambda',
    eventNames: [
      'UpdateFunctionCode',
      'UpdateFunctionConfiguration',
      'AddPermission',
      'CreateEventSourceMapping',
      'UpdateEventSourceMapping',
    ],
    // CloudTrail names Lambda calls with their API version appended (UpdateFunctionCode20150331v2).
    matchNamePrefix: true,
  },
  {
    // A rule cannot report its own deletion: deleting this one first silences the next step (CloudTrail still has both).
    id: 'AlarmsSilenced',
    description: 'An EventBridge rule was deleted, disabled or lost its targets',
    source: 'aws.events',
    eventNames: ['DeleteRule', 'DisableRule', 'RemoveTargets'],
  },
  {
    id: 'AlertsTopicChanged',
    description: 'An SNS topic, its policy or a subscription was removed or changed',
    source: 'aws.sns',
    eventNames: ['DeleteTopic', 'SetTopicAttributes', 'RemovePermission', 'Unsubscribe'],
  },
  {
    id: 'ThreatDetectionChanged',
    description: 'GuardDuty was disabled or its protection plans changed',
    source: 'aws.guardduty',
    eventNames: ['DeleteDetector', 'UpdateDetector', 'UpdateMalwareScanSettings', 'DeleteMembers', 'DisassociateFromAdministratorAccount'],
  },
];

export interface TamperAlarmsProps {
  /** Receives one message per matching call; its policy must admit `events.amazonaws.com` (AlertsTopic does). */
  readonly topic: sns.ITopic;
  /** Roles of the platform functions whose calls of `exceptPlatformFunctions` signals are expected (provisioner, offboarder). */
  readonly platformFunctionRoleArns: readonly string[];
  /**
   * Also alert on GuardDuty findings of at least this severity.
   * @default - no finding alerts
   */
  readonly guardDutyMinimumSeverity?: number;
}

/**
 * EventBridge rules on the CloudTrail management events of tampering, each
 * sending the event to the alerts topic. For signals the platform causes
 * itself, calls from the platform functions' roles are left out; a call by
 * an IAM user or the root user has no session issuer, so a second rule
 * catches every caller that is not an assumed role.
 */
export class TamperAlarms extends Construct {
  readonly rules: readonly events.Rule[];

  constructor(scope: Construct, id: string, props: TamperAlarmsProps) {
    super(scope, id);
    if (props.guardDutyMinimumSeverity !== undefined && !(props.guardDutyMinimumSeverity >= 1 && props.guardDutyMinimumSeverity <= 10)) {
      throw new Error(`guardDutyMinimumSeverity must be between 1 and 10 (GuardDuty's scale), got ${props.guardDutyMinimumSeverity}`);
    }
    // The topic's own policy and key policy admit EventBridge of this account (AlertsTopic); the stock SnsTopic
    // target would add grants without that condition.
    const target: events.IRuleTarget = { bind: () => ({ arn: props.topic.topicArn }) };
    const rules: events.Rule[] = [];
    const rule = (ruleId: string, description: string, pattern: events.EventPattern) => {
      const r = new events.Rule(this, ruleId, { description, eventPattern: pattern });
      r.addTarget(target);
      rules.push(r);
    };
    for (const signal of TAMPER_SIGNALS) {
      const base = { source: [signal.source], detailType: ['AWS API Call via CloudTrail'] };
      const eventName = signal.matchNamePrefix ? signal.eventNames.map((prefix) => ({ prefix })) : [...signal.eventNames];
      const calls = { eventSource: [`${signal.source.slice('aws.'.length)}.amazonaws.com`], eventName };
      if (signal.exceptPlatformFunctions && props.platformFunctionRoleArns.length > 0) {
        rule(signal.id, `${signal.description} (by an assumed role other than the platform functions)`, {
          ...base,
          detail: {
            ...calls,
            userIdentity: { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': [...props.platformFunctionRoleArns] }] } } },
          },
        });
        rule(`${signal.id}ByUserOrRoot`, `${signal.description} (by an IAM user, the root user or a service)`, {
          ...base,
          detail: { ...calls, userIdentity: { type: [{ 'anything-but': ['AssumedRole'] }] } },
        });
      } else {
        rule(signal.id, signal.description, { ...base, detail: calls });
      }
    }
    if (props.guardDutyMinimumSeverity !== undefined) {
      rule('GuardDutyFinding', `GuardDuty finding of severity ${props.guardDutyMinimumSeverity} or more`, {
        source: ['aws.guardduty'],
        detailType: ['GuardDuty Finding'],
        detail: { severity: [{ numeric: ['>=', props.guardDutyMinimumSeverity] }] },
      });
    }
    this.rules = rules;
  }
}
