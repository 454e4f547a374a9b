import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import { Construct } from 'constructs';

/**
 * GuardDuty in the platform region with EKS audit-log monitoring and EKS
 * runtime monitoring, GuardDuty managing its security agent add-on on the
 * cluster: a container escape, a crypto-miner or a reverse shell on a node
 * becomes a finding (the tamper alarms forward high-severity ones). A
 * region has one detector; where the organisation already runs GuardDuty,
 * turn `security.guardDutyRuntimeMonitoring` off and enable the same
 * features there.
 */
export class GuardDutyRuntimeMonitoring extends Construct {
  readonly detector: guardduty.CfnDetector;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.detector = new guardduty.CfnDetector(this, 'Detector', {
      enable: true,
      findingPublishingFrequency: 'FIFTEEN_MINUTES',
      features: [
        { name: 'EKS_AUDIT_LOGS', status: 'ENABLED' },
        { name: 'RUNTIME_MONITORING', status: 'ENABLED', additionalConfiguration: [{ name: 'EKS_ADDON_MANAGEMENT', status: 'ENABLED' }] },
      ],
    });
  }
}
