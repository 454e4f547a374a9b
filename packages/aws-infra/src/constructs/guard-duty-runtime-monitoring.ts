import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import { Construct } from 'constructs';

/** A detector feature and the additional configuration it needs, as GuardDuty names them. */
export interface GuardDutyFeature {
  readonly name: string;
  readonly additionalConfiguration: readonly string[];
}

/**
 * What the platform relies on in the region's detector, whoever manages it:
 * EKS audit-log monitoring, and runtime monitoring with GuardDuty managing
 * its security agent add-on on EKS.
 */
export const GUARD_DUTY_PLATFORM_FEATURES: readonly GuardDutyFeature[] = [
  { name: 'EKS_AUDIT_LOGS', additionalConfiguration: [] },
  { name: 'RUNTIME_MONITORING', additionalConfiguration: ['EKS_ADDON_MANAGEMENT'] },
];

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
      features: GUARD_DUTY_PLATFORM_FEATURES.map((feature) => ({
        name: feature.name,
        status: 'ENABLED',
        ...(feature.additionalConfiguration.length
          ? { additionalConfiguration: feature.additionalConfiguration.map((name) => ({ name, status: 'ENABLED' })) }
          : {}),
      })),
    });
  }
}
