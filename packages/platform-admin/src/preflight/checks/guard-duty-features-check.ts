import { GetDetectorCommand, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GUARD_DUTY_PLATFORM_FEATURES } from '@openclaw-tenancy/aws-infra/src/constructs/guard-duty-runtime-monitoring';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { CheckResult, fail, pass, unreachable } from '../check-result';
import { PreflightClients } from '../preflight-clients';

const ITEM = { id: 'guardduty-eks-runtime-monitoring', title: 'EKS runtime monitoring in the existing GuardDuty detector' } as const;

/** Older detectors report runtime monitoring for EKS under its former feature name. */
const FEATURE_ALIASES: Readonly<Record<string, readonly string[]>> = {
  RUNTIME_MONITORING: ['RUNTIME_MONITORING', 'EKS_RUNTIME_MONITORING'],
};

interface DetectorFeature {
  readonly Name?: string;
  readonly Status?: string;
  readonly AdditionalConfiguration?: readonly { readonly Name?: string; readonly Status?: string }[];
}

/** The platform features `features` lacks, as `FEATURE` or `FEATURE/ADDITIONAL_CONFIGURATION`. */
export function missingGuardDutyFeatures(features: readonly DetectorFeature[]): string[] {
  const missing: string[] = [];
  for (const wanted of GUARD_DUTY_PLATFORM_FEATURES) {
    const names = FEATURE_ALIASES[wanted.name] ?? [wanted.name];
    const found = features.find((f) => f.Name !== undefined && names.includes(f.Name) && f.Status === 'ENABLED');
    if (!found) {
      missing.push(wanted.name);
      continue;
    }
    for (const extra of wanted.additionalConfiguration) {
      if (!found.AdditionalConfiguration?.some((c) => c.Name === extra && c.Status === 'ENABLED')) missing.push(`${wanted.name}/${extra}`);
    }
  }
  return missing;
}

/** The `aws guardduty update-detector` command that turns the platform's features on in `detectorId`. */
export function enableFeaturesCommand(region: string, detectorId: string): string {
  const features = GUARD_DUTY_PLATFORM_FEATURES.map((f) => ({
    Name: f.name,
    Status: 'ENABLED',
    ...(f.additionalConfiguration.length
      ? { AdditionalConfiguration: f.additionalConfiguration.map((Name) => ({ Name, Status: 'ENABLED' })) }
      : {}),
  }));
  return `aws guardduty update-detector --region ${region} --detector-id ${detectorId} --features '${JSON.stringify(features)}'`;
}

/**
 * With `security.guardDutyRuntimeMonitoring` off, the platform relies on a
 * detector managed elsewhere (one per region) for runtime findings on its
 * nodes: it must have EKS audit logs and runtime monitoring with the
 * GuardDuty-managed EKS agent. With the key on, or with no detector at all,
 * `guardduty-detector` reports instead and this item is absent.
 */
export async function checkGuardDutyFeatures(config: PlatformConfig, clients: Pick<PreflightClients, 'guardDuty'>): Promise<CheckResult[]> {
  if (config.security.guardDutyRuntimeMonitoring) return [];
  let detectorId: string | undefined;
  try {
    detectorId = (await clients.guardDuty.send(new ListDetectorsCommand({}))).DetectorIds?.[0];
  } catch (e) {
    return [unreachable(ITEM.id, ITEM.title, 'guardduty:ListDetectors', e)];
  }
  if (detectorId === undefined) return [];
  let features: readonly DetectorFeature[];
  try {
    features = (await clients.guardDuty.send(new GetDetectorCommand({ DetectorId: detectorId }))).Features ?? [];
  } catch (e) {
    return [unreachable(ITEM.id, ITEM.title, 'guardduty:GetDetector', e)];
  }
  const region = config.aws.region;
  const missing = missingGuardDutyFeatures(features);
  return missing.length === 0
    ? [
        pass(
          ITEM.id,
          ITEM.title,
          `detector ${detectorId} in ${region} has EKS audit logs and runtime monitoring with the managed EKS agent`,
        ),
      ]
    : [
        fail(
          ITEM.id,
          ITEM.title,
          `detector ${detectorId} in ${region} lacks ${missing.join(', ')}: nothing would report a container escape or a reverse shell on the platform's nodes`,
          `enable them in the detector (its administrator account, if GuardDuty is managed centrally): ${enableFeaturesCommand(region, detectorId)}`,
        ),
      ];
}
