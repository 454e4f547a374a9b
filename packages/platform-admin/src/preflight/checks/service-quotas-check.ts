import { ListServiceQuotasCommand, ServiceQuota, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { maxFleetVcpus, nodeGroupCapacities } from '@openclaw-tenancy/aws-infra/src/tenant-node-capacity';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { CheckResult, fail, pass, unreachable, warn } from '../check-result';
import { PreflightClients } from '../preflight-clients';

/**
 * Pod Identity associations the platform's own controllers use (load balancer
 * controller, autoscaler, EFS CSI, CloudWatch agent, repository credential
 * sync): fewer than this, so it is the headroom kept above one per tenant.
 */
export const PLATFORM_POD_IDENTITY_ASSOCIATIONS = 10;

export interface QuotaRequirement {
  readonly id: string;
  readonly title: string;
  /** Service Quotas service code. */
  readonly serviceCode: string;
  /** Matches the quota's name in Service Quotas (names are stable; codes differ by service). */
  readonly quotaName: RegExp;
  /** Which client (region) the quota is read in. */
  readonly client: 'platform' | 'bedrock';
  /**
   * The limit AWS documents, used when the quota is not listed in Service
   * Quotas (some are fixed and never listed). The lower value where sources disagree.
   */
  readonly documentedLimit: number;
  readonly documentedSource: string;
  /** What the config needs. */
  readonly needed: (config: PlatformConfig) => number;
  readonly neededBecause: (config: PlatformConfig) => string;
  /** What to do when the quota is too small. */
  readonly fix: (config: PlatformConfig, needed: number, limit: number) => string;
}

/** vCPUs the node groups reach at their maxima for this config (the same sizing the cluster stack uses). */
export function nodeFleetVcpus(config: PlatformConfig): number {
  return maxFleetVcpus(
    nodeGroupCapacities({ maxTenants: config.signup.maxTenants, tier: config.tenantDefaults.tier, runtime: config.tenantDefaults.runtime }),
  );
}

export const QUOTA_REQUIREMENTS: readonly QuotaRequirement[] = [
  {
    id: 'quota:ec2-on-demand-vcpus',
    title: 'EC2 On-Demand Standard instance vCPUs (node groups at their maxima)',
    serviceCode: 'ec2',
    quotaName: /^Running On-Demand Standard \(A, C, D, H, I, M, R, T, Z\) instances$/,
    client: 'platform',
    documentedLimit: 5,
    documentedSource: 'Amazon EC2 User Guide, "On-Demand Instance quotas" (new accounts may start as low as 5 vCPUs)',
    needed: nodeFleetVcpus,
    neededBecause: (c) =>
      `system, runc and gVisor node groups sized for signup.maxTenants ${c.signup.maxTenants} ${c.tenantDefaults.tier} tenants on ${c.tenantDefaults.runtime}`,
    fix: (c, n) =>
      `request an increase of "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances" (L-1216C47A) to at least ${n} vCPUs in ${c.aws.region}, or lower signup.maxTenants`,
  },
  {
    id: 'quota:pod-identity-associations',
    title: 'EKS Pod Identity associations per cluster',
    serviceCode: 'eks',
    quotaName: /pod identity associations/i,
    client: 'platform',
    documentedLimit: 1000,
    documentedSource: 'EKS user guide, "Amazon EKS service quotas" (1,000 per cluster, not adjustable; later sources cite 5,000)',
    needed: (c) => c.signup.maxTenants + PLATFORM_POD_IDENTITY_ASSOCIATIONS,
    neededBecause: (c) =>
      `one per tenant at signup.maxTenants ${c.signup.maxTenants} plus ${PLATFORM_POD_IDENTITY_ASSOCIATIONS} for the platform`,
    fix: (_c, _n, limit) =>
      `lower signup.maxTenants to at most ${Math.max(0, limit - PLATFORM_POD_IDENTITY_ASSOCIATIONS)}, or split tenants across clusters (cells)`,
  },
  {
    id: 'quota:efs-access-points',
    title: 'EFS access points per file system',
    serviceCode: 'elasticfilesystem',
    quotaName: /access points (for each|per) file system/i,
    client: 'platform',
    documentedLimit: 10000,
    documentedSource: 'Amazon EFS user guide, "Amazon EFS quotas" (10,000 access points per file system)',
    needed: (c) => c.signup.maxTenants,
    neededBecause: (c) => `one access point per tenant workspace at signup.maxTenants ${c.signup.maxTenants}`,
    fix: (_c, _n, limit) => `lower signup.maxTenants to at most ${limit}, or give tenants more than one file system (cells)`,
  },
  {
    id: 'quota:bedrock-application-inference-profiles',
    title: 'Bedrock application inference profiles per account and region',
    serviceCode: 'bedrock',
    quotaName: /application inference profiles/i,
    client: 'bedrock',
    documentedLimit: 1000,
    documentedSource:
      'Amazon Bedrock quotas in the AWS General Reference ("Application inference profiles per account", reported at 1,000-2,000)',
    needed: (c) => c.signup.maxTenants * c.models.catalog.length,
    neededBecause: (c) => `one per catalogue model (${c.models.catalog.length}) per tenant at signup.maxTenants ${c.signup.maxTenants}`,
    fix: (c, n) =>
      `request an increase to at least ${n} in Service Quotas (Amazon Bedrock, ${c.models.bedrockRegion}), shorten models.catalog, or lower signup.maxTenants`,
  },
];

async function listQuotas(client: ServiceQuotasClient, serviceCode: string): Promise<ServiceQuota[]> {
  const quotas: ServiceQuota[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListServiceQuotasCommand({ ServiceCode: serviceCode, NextToken: token }));
    quotas.push(...(page.Quotas ?? []));
    token = page.NextToken;
  } while (token);
  return quotas;
}

/** Every quota that grows with tenants, compared with what the config would reach at `signup.maxTenants`. */
export async function checkServiceQuotas(
  config: PlatformConfig,
  clients: Pick<PreflightClients, 'serviceQuotas' | 'bedrockServiceQuotas'>,
): Promise<CheckResult[]> {
  return Promise.all(
    QUOTA_REQUIREMENTS.map(async (q): Promise<CheckResult> => {
      const needed = q.needed(config);
      const client = q.client === 'bedrock' ? clients.bedrockServiceQuotas : clients.serviceQuotas;
      let listed: ServiceQuota | undefined;
      try {
        listed = (await listQuotas(client, q.serviceCode)).find((s) => q.quotaName.test(s.QuotaName ?? ''));
      } catch (e) {
        return unreachable(q.id, q.title, `servicequotas:ListServiceQuotas (${q.serviceCode})`, e);
      }
      const limit = listed?.Value ?? q.documentedLimit;
      const source = listed
        ? `Service Quotas ${listed.QuotaCode ?? ''}`.trim()
        : `not in Service Quotas; documented limit from ${q.documentedSource}`;
      const detail = `${limit} (${source}); the config needs ${needed}: ${q.neededBecause(config)}`;
      if (needed > limit) return fail(q.id, q.title, detail, q.fix(config, needed, limit));
      if (!listed)
        return warn(q.id, q.title, detail, `confirm the limit for this account in the ${q.serviceCode} quotas page before relying on it`);
      return pass(q.id, q.title, detail);
    }),
  );
}
