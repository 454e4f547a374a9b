import {
  MAX_ONBOARDING_HOURS,
  PlatformConfig,
  ValidationError,
  assertDeployableConfig,
  exampleValueIssues,
  foreignTenantIssues,
  isReservedExampleDomain,
  parsePlatformConfig,
  signupIntakeIssues,
} from '../src';
import { exampleConfigRaw } from './support/example-config';

const exampleRaw = exampleConfigRaw;
const example = parsePlatformConfig(exampleRaw());

/** A config a company would deploy: every identifying value is its own. */
function ownConfig(): Record<string, any> {
  const raw = exampleRaw();
  raw.aws.account = '222233334444';
  raw.domain = {
    name: 'ai.corp.acme',
    certificateArn: 'arn:aws:acm:us-east-1:222233334444:certificate/11111111-2222-4333-8444-555555555555',
    hostedZoneId: 'Z1ACMEZONE',
    hostedZoneName: 'corp.acme',
  };
  raw.identity = { userPoolId: 'eu-west-1_Acme12345', appClientId: 'acmeclient1234567890abcd' };
  raw.cluster.adminPrincipalArns = ['arn:aws:iam::222233334444:role/eks-admins'];
  raw.signup.allowedEmailDomains = ['acme.corp'];
  raw.gitops.repoUrl = 'https://github.com/acme/openclaw-platform.git';
  raw.budgets.alertEmails = ['platform@acme.corp'];
  return raw;
}

describe('exampleValueIssues', () => {
  it('accepts a config whose identifying values are all its own', () => {
    expect(exampleValueIssues(parsePlatformConfig(ownConfig()), example)).toEqual([]);
  });

  it('fails if the example config is deployed as it is, naming every key', () => {
    const paths = exampleValueIssues(example, example).map((i) => i.path);
    expect(paths).toEqual([
      'aws.account',
      'domain.name',
      'domain.certificateArn',
      'domain.hostedZoneId',
      'identity.userPoolId',
      'identity.appClientId',
      'gitops.repoUrl',
      'cluster.adminPrincipalArns[0]',
      'domain.hostedZoneName',
      'signup.allowedEmailDomains[0]',
      'budgets.alertEmails[0]',
    ]);
  });

  it('fails if one key was left at its example value', () => {
    const raw = ownConfig();
    raw.domain.certificateArn = exampleRaw().domain.certificateArn;
    expect(exampleValueIssues(parsePlatformConfig(raw), example)).toEqual([
      { path: 'domain.certificateArn', message: `"${example.domain.certificateArn}" is the example's value; set your own` },
    ]);
  });

  it('fails for reserved example domains in sign-up domains, alert and sender addresses', () => {
    const raw = ownConfig();
    raw.signup.allowedEmailDomains = ['acme.corp', 'example.org'];
    raw.signup.emailSender = { fromAddress: 'no-reply@mail.invalid' };
    raw.budgets.alertEmails = ['ops@acme.test'];
    const issues = exampleValueIssues(parsePlatformConfig(raw), example);
    expect(issues.map((i) => i.path)).toEqual([
      'signup.allowedEmailDomains[1]',
      'budgets.alertEmails[0]',
      'signup.emailSender.fromAddress',
    ]);
    expect(issues[0]?.message).toBe('"example.org" is in a reserved example domain (RFC 2606); use your own');
  });

  it('assertDeployableConfig throws a ValidationError with the source and changes nothing', () => {
    const config: PlatformConfig = parsePlatformConfig(ownConfig());
    const before = JSON.stringify(config);
    expect(() => assertDeployableConfig(config, example, 'mine.yaml')).not.toThrow();
    expect(() => assertDeployableConfig(example, example, 'config/platform.yaml')).toThrow(ValidationError);
    expect(() => assertDeployableConfig(example, example, 'config/platform.yaml')).toThrow(
      /^config\/platform\.yaml is invalid:\n {2}- aws\.account: "111111111111" is the example's value/,
    );
    expect(JSON.stringify(config)).toBe(before);
  });

  it('knows the reserved domains and nothing else', () => {
    for (const d of ['example.com', 'ai.example.com', 'example.net', 'example.org', 'x.example', 'a.invalid', 'b.test', 'localhost'])
      expect(isReservedExampleDomain(d)).toBe(true);
    for (const d of ['acme.com', 'myexample.com', 'example.co', 'testing.io', 'example.com.au'])
      expect(isReservedExampleDomain(d)).toBe(false);
  });
});

describe('foreignTenantIssues', () => {
  const own = parsePlatformConfig(ownConfig());
  const record = (id: string, account: string, extra: Record<string, unknown> = {}): any => ({
    apiVersion: 'openclaw.io/v1',
    kind: 'Tenant',
    id,
    owner: '3c7a9d8e-2b1f-4e6a-9c0d-1a2b3c4d5e6f',
    tier: 'standard',
    runtime: 'runc',
    status: 'active',
    createdAt: '2026-11-02T09:00:00Z',
    inferenceProfiles: { opus: `arn:aws:bedrock:us-east-1:${account}:application-inference-profile/abc123` },
    ...extra,
  });

  it('accepts tenants whose profiles are in this account and Bedrock region, and tenants without profiles yet', () => {
    expect(
      foreignTenantIssues([record('alice', '222233334444'), record('bob', '222233334444', { inferenceProfiles: undefined })], own),
    ).toEqual([]);
  });

  it('fails for a demo tenant of the example account, naming its file and the fix', () => {
    expect(foreignTenantIssues([record('alice', '222233334444'), record('demo-ada', '111111111111')], own)).toEqual([
      {
        path: 'tenants/demo-ada.yaml',
        message:
          'its opus inference profile is in account 111111111111 us-east-1, not aws.account 222233334444 us-east-1: a tenant of another platform (an example tenant?); remove it with git rm tenants/demo-ada.yaml',
      },
    ]);
  });

  it('fails for a profile in another Bedrock region, and for a tombstone of another platform (its retained folder would be synthesized)', () => {
    const moved = parsePlatformConfig({ ...ownConfig(), models: { ...ownConfig().models, bedrockRegion: 'us-west-2' } });
    expect(foreignTenantIssues([record('alice', '222233334444')], moved).map((i) => i.path)).toEqual(['tenants/alice.yaml']);
    expect(
      foreignTenantIssues([record('gone', '111111111111', { status: 'deleted', deletedAt: '2026-11-21T12:00:00Z' })], own).map(
        (i) => i.path,
      ),
    ).toEqual(['tenants/gone.yaml']);
  });
});

describe('operator access and repository credential keys', () => {
  const withKeys = (cluster: Record<string, unknown>, gitops: Record<string, unknown> = {}) => {
    const raw = ownConfig();
    raw.cluster = { ...raw.cluster, ...cluster };
    raw.gitops = { ...raw.gitops, ...gitops };
    return raw;
  };
  const issuePaths = (raw: unknown): string[] => {
    try {
      parsePlatformConfig(raw);
      return [];
    } catch (e) {
      return (e as ValidationError).issues.map((i) => `${i.path}: ${i.message}`);
    }
  };

  it('accepts small public API ranges and a separate Argo CD credential', () => {
    const config = parsePlatformConfig(
      withKeys(
        { publicApiAccessCidrs: ['203.0.113.0/24', '198.51.100.7/32'] },
        { argoCdCredentialsSecretName: 'openclaw/platform/argocd-read' },
      ),
    );
    expect(config.cluster.publicApiAccessCidrs).toEqual(['203.0.113.0/24', '198.51.100.7/32']);
    expect(config.gitops.argoCdCredentialsSecretName).toBe('openclaw/platform/argocd-read');
    expect(parsePlatformConfig(ownConfig()).cluster.publicApiAccessCidrs).toBeUndefined();
  });

  it('fails if the API endpoint would be opened to the internet or a huge range', () => {
    expect(issuePaths(withKeys({ publicApiAccessCidrs: ['0.0.0.0/0'] }))).toEqual([
      'cluster.publicApiAccessCidrs[0]: "0.0.0.0/0": open the API endpoint to /16 or smaller ranges (your egress addresses), never to the internet',
    ]);
    expect(issuePaths(withKeys({ publicApiAccessCidrs: ['10.0.0.0/8'] }))[0]).toMatch(/^cluster\.publicApiAccessCidrs\[0\]/);
    expect(issuePaths(withKeys({ publicApiAccessCidrs: [] }))[0]).toMatch(/^cluster\.publicApiAccessCidrs: needs at least 1 item/);
    expect(issuePaths(withKeys({}, { argoCdCredentialsSecretName: 'has space' }))[0]).toMatch(
      /^gitops\.argoCdCredentialsSecretName: .*not a Secrets Manager name/,
    );
  });
});

describe('signupIntakeIssues', () => {
  const withSignup = (signup: Record<string, unknown>) => {
    const raw = ownConfig();
    raw.signup = { ...raw.signup, ...signup };
    return parsePlatformConfig(raw);
  };

  it('accepts limits that onboard signup.maxTenants within a working week', () => {
    expect(signupIntakeIssues(withSignup({ maxTenants: 1000, confirmationsPerDomainPerHour: 25 }))).toEqual([]);
    expect(
      signupIntakeIssues(
        withSignup({ maxTenants: 1000, confirmationsPerDomainPerHour: 13, allowedEmailDomains: ['acme.corp', 'acme-labs.corp'] }),
      ),
    ).toEqual([]);
    expect(signupIntakeIssues(withSignup({ maxTenants: 1000, confirmationsPerDomainPerHour: 1, allowedEmailDomains: ['*'] }))).toEqual([]);
  });

  it('fails for five an hour per domain at 1,000 tenants, naming the key and the limit needed', () => {
    expect(signupIntakeIssues(withSignup({ maxTenants: 1000, confirmationsPerDomainPerHour: 5 }))).toEqual([
      {
        path: 'signup.confirmationsPerDomainPerHour',
        message: `5 an hour per domain admits signup.maxTenants 1000 across 1 domain(s) in 200 hours; raise it to at least 25 (one working week) or lower signup.maxTenants`,
      },
    ]);
    expect(MAX_ONBOARDING_HOURS).toBe(40);
  });

  it('fails for a platform-wide attempt limit that cannot admit signup.maxTenants in a working week, even with "*" domains', () => {
    expect(
      signupIntakeIssues(
        withSignup({ maxTenants: 10000, attemptsPerHour: 100, confirmationsPerDomainPerHour: 1, allowedEmailDomains: ['*'] }),
      ),
    ).toEqual([
      {
        path: 'signup.attemptsPerHour',
        message: `100 sign-up attempts an hour admit signup.maxTenants 10000 in 100 hours at best; raise it to at least 250 (one working week) or lower signup.maxTenants`,
      },
    ]);
  });

  it('assertDeployableConfig refuses it like an example value', () => {
    const config = withSignup({ maxTenants: 1000, confirmationsPerDomainPerHour: 5 });
    expect(() => assertDeployableConfig(config, example, 'mine.yaml')).toThrow(
      /mine\.yaml is invalid:\n {2}- signup\.confirmationsPerDomainPerHour: 5 an hour/,
    );
  });
});
