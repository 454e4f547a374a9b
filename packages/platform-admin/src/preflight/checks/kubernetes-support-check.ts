import { DescribeClusterVersionsCommand } from '@aws-sdk/client-eks';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { CheckResult, fail, pass, unreachable, warn } from '../check-result';
import { PreflightClients } from '../preflight-clients';

const ID = 'kubernetes-support';
const TITLE = 'EKS support window of cluster.kubernetesVersion';

/** Standard support ending sooner than this leaves too little time to plan the next upgrade. */
export const SUPPORT_WARNING_DAYS = 90;

export async function checkKubernetesSupport(
  config: PlatformConfig,
  clients: Pick<PreflightClients, 'eks'>,
  now: Date = new Date(),
): Promise<CheckResult[]> {
  const version = config.cluster.kubernetesVersion;
  let info;
  try {
    info = (
      await clients.eks.send(new DescribeClusterVersionsCommand({ clusterVersions: [version], includeAll: true }))
    ).clusterVersions?.find((v) => v.clusterVersion === version);
  } catch (e) {
    return [unreachable(ID, TITLE, 'eks:DescribeClusterVersions', e)];
  }
  if (!info || info.versionStatus === 'UNSUPPORTED') {
    return [
      fail(
        ID,
        TITLE,
        `EKS in ${config.aws.region} does not offer Kubernetes ${version}`,
        'set cluster.kubernetesVersion to a version EKS supports (aws eks describe-cluster-versions) that packages/aws-infra/src/versions.ts has pins for',
      ),
    ];
  }
  const endStandard = info.endOfStandardSupportDate;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  if (info.versionStatus === 'EXTENDED_SUPPORT') {
    return [
      warn(
        ID,
        TITLE,
        `Kubernetes ${version} is in extended support${info.endOfExtendedSupportDate ? ` until ${day(info.endOfExtendedSupportDate)}` : ''}: the control plane costs six times the standard rate`,
        'set cluster.kubernetesVersion to a version in standard support and upgrade one minor version at a time',
      ),
    ];
  }
  if (endStandard && endStandard.getTime() - now.getTime() < SUPPORT_WARNING_DAYS * 24 * 3600 * 1000) {
    return [
      warn(
        ID,
        TITLE,
        `standard support of Kubernetes ${version} ends on ${day(endStandard)}`,
        "plan the upgrade to the next minor version (the guide's Day 2 section) before that date",
      ),
    ];
  }
  return [pass(ID, TITLE, `Kubernetes ${version} is in standard support${endStandard ? ` until ${day(endStandard)}` : ''}`)];
}
