import { ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { breakGlassRoleArn } from '@openclaw-tenancy/aws-infra/src/constructs/key-destruction-guard';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { CheckResult, awsErrorName, fail, pass, unreachable, warn } from '../check-result';
import { PreflightClients } from '../preflight-clients';

const BREAK_GLASS = { id: 'break-glass-role', title: 'Break-glass role (security.breakGlassRoleArn)' } as const;
const GUARD_DUTY = { id: 'guardduty-detector', title: 'GuardDuty detector (security.guardDutyRuntimeMonitoring)' } as const;

/**
 * The break-glass role may be created after the first deploy (docs/adr/0112),
 * so a missing one warns; until it exists nobody can delete, disable or
 * re-police a platform key, or read tenant container output.
 */
export async function checkBreakGlassRole(config: PlatformConfig, clients: Pick<PreflightClients, 'iam'>): Promise<CheckResult[]> {
  let arn: string;
  try {
    arn = breakGlassRoleArn(config);
  } catch (e) {
    return [
      fail(
        BREAK_GLASS.id,
        BREAK_GLASS.title,
        (e as Error).message,
        `set security.breakGlassRoleArn to a role of account ${config.aws.account}`,
      ),
    ];
  }
  const name = arn.split('/').pop() ?? '';
  try {
    await clients.iam.send(new GetRoleCommand({ RoleName: name }));
    return [pass(BREAK_GLASS.id, BREAK_GLASS.title, `${arn} exists`)];
  } catch (e) {
    if (awsErrorName(e) === 'NoSuchEntityException' || awsErrorName(e) === 'NoSuchEntity') {
      return [
        warn(
          BREAK_GLASS.id,
          BREAK_GLASS.title,
          `${arn} does not exist yet: until it does, nobody can delete, disable or re-police a platform key or read tenant container output`,
          `create the role ${name} (its use should need two people, e.g. MFA of a principal in a separate account), or set security.breakGlassRoleArn to an existing one`,
        ),
      ];
    }
    return [unreachable(BREAK_GLASS.id, BREAK_GLASS.title, 'iam:GetRole', e)];
  }
}

/** A region holds one GuardDuty detector: the audit stack can only create it where none exists. */
export async function checkGuardDutyDetector(config: PlatformConfig, clients: Pick<PreflightClients, 'guardDuty'>): Promise<CheckResult[]> {
  let detectors: string[];
  try {
    detectors = (await clients.guardDuty.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
  } catch (e) {
    return [unreachable(GUARD_DUTY.id, GUARD_DUTY.title, 'guardduty:ListDetectors', e)];
  }
  const region = config.aws.region;
  if (config.security.guardDutyRuntimeMonitoring) {
    return detectors.length === 0
      ? [pass(GUARD_DUTY.id, GUARD_DUTY.title, `no detector in ${region} yet: the audit stack creates one with EKS runtime monitoring`)]
      : [
          fail(
            GUARD_DUTY.id,
            GUARD_DUTY.title,
            `${region} already has detector ${detectors[0]}: the audit stack cannot create a second one`,
            'set security.guardDutyRuntimeMonitoring: false and enable EKS runtime monitoring (with the automated agent) in the existing detector',
          ),
        ];
  }
  return detectors.length > 0
    ? [
        pass(
          GUARD_DUTY.id,
          GUARD_DUTY.title,
          `detector ${detectors[0]} in ${region} is managed outside the platform; make sure EKS runtime monitoring is on there`,
        ),
      ]
    : [
        warn(
          GUARD_DUTY.id,
          GUARD_DUTY.title,
          `no GuardDuty detector in ${region} and security.guardDutyRuntimeMonitoring is false: nothing watches the nodes at runtime`,
          'set security.guardDutyRuntimeMonitoring: true, or enable GuardDuty with EKS runtime monitoring in this region',
        ),
      ];
}
