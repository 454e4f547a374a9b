/**
 * Runs every preflight check against one config. Checks only read; each
 * check turns its own AWS errors into a failed item, so one unreachable
 * service never hides the others.
 */
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { CheckResult } from './check-result';
import { checkAdminPrincipals } from './checks/admin-principals-check';
import { checkBedrockModelAccess } from './checks/bedrock-model-access-check';
import { checkCallerIdentity } from './checks/caller-identity-check';
import { checkCertificate } from './checks/certificate-check';
import { checkEdgeListener } from './checks/edge-listener-check';
import { checkEmailSender } from './checks/email-sender-check';
import { checkGitCredential } from './checks/git-credential-check';
import { checkGuardDutyFeatures } from './checks/guard-duty-features-check';
import { checkHostedZone } from './checks/hosted-zone-check';
import { checkKubernetesSupport } from './checks/kubernetes-support-check';
import { checkBreakGlassRole, checkGuardDutyDetector } from './checks/security-prerequisites-check';
import { checkServiceQuotas } from './checks/service-quotas-check';
import { checkUserPool } from './checks/user-pool-check';
import { PreflightClients } from './preflight-clients';

export interface PreflightCheck {
  /** What is being checked, shown as progress while it runs. */
  readonly name: string;
  readonly run: (config: PlatformConfig, clients: PreflightClients) => Promise<CheckResult[]>;
  /**
   * Every later check depends on this one passing (e.g. credentials of the
   * configured account): when it fails, preflight stops rather than print the same failure again and again.
   * @default false
   */
  readonly gate?: boolean;
}

/** Every check, in the order the operator guide's prerequisites list them. */
export const PREFLIGHT_CHECKS: readonly PreflightCheck[] = [
  { name: 'credentials', run: checkCallerIdentity, gate: true },
  { name: 'certificate', run: checkCertificate },
  { name: 'hosted zone', run: checkHostedZone },
  { name: 'SES sender', run: checkEmailSender },
  { name: 'Bedrock model access', run: checkBedrockModelAccess },
  { name: 'cluster administrators', run: checkAdminPrincipals },
  { name: 'Kubernetes support window', run: (config, clients) => checkKubernetesSupport(config, clients) },
  { name: 'Git credential', run: checkGitCredential },
  { name: 'user pool', run: checkUserPool },
  { name: 'break-glass role', run: checkBreakGlassRole },
  { name: 'GuardDuty detector', run: checkGuardDutyDetector },
  { name: 'GuardDuty EKS runtime monitoring', run: checkGuardDutyFeatures },
  { name: 'service quotas', run: checkServiceQuotas },
  { name: 'edge listener', run: checkEdgeListener },
];

export interface PreflightReport {
  /** True when no item failed (warnings allowed). */
  readonly ok: boolean;
  readonly account: string;
  readonly region: string;
  readonly results: readonly CheckResult[];
}

export async function runPreflight(
  config: PlatformConfig,
  clients: PreflightClients,
  onProgress: (checkName: string, results: readonly CheckResult[]) => void = () => undefined,
  checks: readonly PreflightCheck[] = PREFLIGHT_CHECKS,
): Promise<PreflightReport> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    const found = await check.run(config, clients);
    onProgress(check.name, found);
    results.push(...found);
    if (check.gate && found.some((r) => r.status === 'fail')) break;
  }
  return { ok: results.every((r) => r.status !== 'fail'), account: config.aws.account, region: config.aws.region, results };
}
