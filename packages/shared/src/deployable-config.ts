/**
 * A config that validates can still be half-right: copied from the example and
 * only partly edited. These rules refuse, for a config that will be deployed,
 * every value that belongs to the example or to a reserved example domain,
 * naming the key. The example config itself is exempt: it is what the offline
 * build synthesizes.
 */
import { PlatformConfig } from './platform-config';
import { TenantRecord } from './tenant-record';
import { ValidationError, ValidationIssue } from './validation';

/** Domains reserved for documentation and testing (RFC 2606, RFC 6761): mail to them never arrives, names never resolve. */
const RESERVED_EXAMPLE_DOMAIN = /(^|\.)(example\.(com|net|org)|example|invalid|test|localhost)$/;

/** True for a DNS name inside a reserved example domain, e.g. `ai.example.com` or `corp.test`. */
export function isReservedExampleDomain(name: string): boolean {
  return RESERVED_EXAMPLE_DOMAIN.test(name.toLowerCase());
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/**
 * Keys whose example value identifies the example's account and resources;
 * the same value in a deployed config means the key was never edited.
 */
const EXAMPLE_IDENTITY_KEYS: ReadonlyArray<{ readonly path: string; readonly get: (c: PlatformConfig) => string | undefined }> = [
  { path: 'aws.account', get: (c) => c.aws.account },
  { path: 'domain.name', get: (c) => c.domain.name },
  { path: 'domain.certificateArn', get: (c) => c.domain.certificateArn },
  { path: 'domain.hostedZoneId', get: (c) => c.domain.hostedZoneId },
  { path: 'identity.userPoolId', get: (c) => c.identity?.userPoolId },
  { path: 'identity.appClientId', get: (c) => c.identity?.appClientId },
  { path: 'gitops.repoUrl', get: (c) => c.gitops.repoUrl },
];

/** Every key of `config` still holding an example value or a reserved example domain. */
export function exampleValueIssues(config: PlatformConfig, example: PlatformConfig): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const key of EXAMPLE_IDENTITY_KEYS) {
    const value = key.get(config);
    if (value !== undefined && value === key.get(example))
      issues.push({ path: key.path, message: `"${value}" is the example's value; set your own` });
  }
  config.cluster.adminPrincipalArns.forEach((arn, i) => {
    if (example.cluster.adminPrincipalArns.includes(arn))
      issues.push({
        path: `cluster.adminPrincipalArns[${i}]`,
        message: `"${arn}" is the example's administrator; name a role of your account`,
      });
  });
  const reserved = (path: string, name: string, what: string) => {
    if (isReservedExampleDomain(name)) issues.push({ path, message: `"${what}" is in a reserved example domain (RFC 2606); use your own` });
  };
  reserved('domain.name', config.domain.name, config.domain.name);
  if (config.domain.hostedZoneName) reserved('domain.hostedZoneName', config.domain.hostedZoneName, config.domain.hostedZoneName);
  config.signup.allowedEmailDomains.forEach((d, i) => d !== '*' && reserved(`signup.allowedEmailDomains[${i}]`, d, d));
  config.budgets.alertEmails.forEach((a, i) => reserved(`budgets.alertEmails[${i}]`, domainOf(a), a));
  const sender = config.signup.emailSender;
  if (sender) reserved('signup.emailSender.fromAddress', domainOf(sender.fromAddress), sender.fromAddress);
  // A key reported twice (same example value, also a reserved domain) is one problem.
  return issues.filter((issue, i) => issues.findIndex((o) => o.path === issue.path) === i);
}

/** One line saying which config a synthesis reads, so nobody deploys the example by accident. */
export function configProvenance(configPath: string, isExample: boolean): string {
  return isExample
    ? `platform config: ${configPath} (the example; set OPENCLAW_PLATFORM_CONFIG to your platform's config)`
    : `platform config: ${configPath}`;
}

/** Hours of sign-up a deployment should need at most to admit `signup.maxTenants` people: one working week. */
export const MAX_ONBOARDING_HOURS = 40;

/**
 * Sign-up limits sized for a company: at `signup.confirmationsPerDomainPerHour`
 * the allowed domains together must be able to admit `signup.maxTenants`
 * people within {@link MAX_ONBOARDING_HOURS}. (With one domain, the per-domain
 * limit is the whole company's hourly intake.) A `*` domain list has no bound to check.
 */
export function signupIntakeIssues(config: PlatformConfig): ValidationIssue[] {
  const { allowedEmailDomains, confirmationsPerDomainPerHour, maxTenants, attemptsPerHour } = config.signup;
  // Every sign-up is at least one attempt, so the platform-wide burst limit bounds the intake too.
  if (Math.ceil(maxTenants / attemptsPerHour) > MAX_ONBOARDING_HOURS) {
    return [
      {
        path: 'signup.attemptsPerHour',
        message: `${attemptsPerHour} sign-up attempts an hour admit signup.maxTenants ${maxTenants} in ${Math.ceil(maxTenants / attemptsPerHour)} hours at best; raise it to at least ${Math.ceil(maxTenants / MAX_ONBOARDING_HOURS)} (one working week) or lower signup.maxTenants`,
      },
    ];
  }
  if (allowedEmailDomains.includes('*')) return [];
  const hours = Math.ceil(maxTenants / (confirmationsPerDomainPerHour * allowedEmailDomains.length));
  if (hours <= MAX_ONBOARDING_HOURS) return [];
  const needed = Math.ceil(maxTenants / (MAX_ONBOARDING_HOURS * allowedEmailDomains.length));
  return [
    {
      path: 'signup.confirmationsPerDomainPerHour',
      message: `${confirmationsPerDomainPerHour} an hour per domain admits signup.maxTenants ${maxTenants} across ${allowedEmailDomains.length} domain(s) in ${hours} hours; raise it to at least ${needed} (one working week) or lower signup.maxTenants`,
    },
  ];
}

/** Everything that makes a valid config unfit to deploy: example values left in it, sign-up limits no company can onboard with. */
export function deployableConfigIssues(config: PlatformConfig, example: PlatformConfig): ValidationIssue[] {
  return [...exampleValueIssues(config, example), ...signupIntakeIssues(config)];
}

/** Throws a {@link ValidationError} naming every key that makes a config unfit to deploy (see {@link deployableConfigIssues}). */
export function assertDeployableConfig(config: PlatformConfig, example: PlatformConfig, source: string): void {
  const issues = deployableConfigIssues(config, example);
  if (issues.length > 0) throw new ValidationError(source, issues);
}

/**
 * Tenants that belong to another platform: a live record whose inference
 * profiles live in another account or region than this config's Bedrock can
 * reach (the example registry's demo tenants, a registry copied from another
 * installation). Their workspaces could never call a model here, and they
 * must not reach this platform's `deploy/`. Paths are `tenants/<id>.yaml`.
 */
export function foreignTenantIssues(records: readonly TenantRecord[], config: PlatformConfig): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  // Tombstones count too: their folder (the retained data) reaches `deploy/` like any tenant's.
  for (const record of records) {
    for (const [alias, arn] of Object.entries(record.inferenceProfiles ?? {})) {
      const [, , , region, account] = arn.split(':');
      if (account !== config.aws.account || region !== config.models.bedrockRegion) {
        issues.push({
          path: `tenants/${record.id}.yaml`,
          message: `its ${alias} inference profile is in account ${account} ${region}, not aws.account ${config.aws.account} ${config.models.bedrockRegion}: a tenant of another platform (an example tenant?); remove it with git rm tenants/${record.id}.yaml`,
        });
        break;
      }
    }
  }
  return issues;
}
