import { PlatformConfig, ValidationError, looksLikePlaceholder, parsePlatformConfig } from '../src';
import { exampleConfigRaw } from './support/example-config';

const example = exampleConfigRaw;

function issuesOf(raw: unknown): Array<{ path: string; message: string }> {
  try {
    parsePlatformConfig(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return [...(e as ValidationError).issues];
  }
  throw new Error('expected the config to be rejected');
}

describe('parsePlatformConfig', () => {
  it('accepts the committed example config', () => {
    const config: PlatformConfig = parsePlatformConfig(example());
    expect(config.signup.allowedEmailDomains).toEqual(['example.com']);
    expect(config.models.primary).toBe('opus');
  });

  it('takes pinned gVisor digests as sha512sum prints them, and names the key of one that is not', () => {
    const digests = { runsc: 'a'.repeat(128), containerdShimRunscV1: 'b'.repeat(128) };
    expect(parsePlatformConfig({ ...example(), security: { gvisorSha512: digests } }).security.gvisorSha512).toEqual(digests);
    expect(issuesOf({ ...example(), security: { gvisorSha512: { ...digests, runsc: 'A'.repeat(128) } } })).toEqual([
      { path: 'security.gvisorSha512.runsc', message: expect.stringMatching(/not a SHA-512 digest \(128 lower-case hex digits/) },
    ]);
    expect(issuesOf({ ...example(), security: { gvisorSha512: { runsc: digests.runsc } } }).map((i) => i.path)).toEqual([
      'security.gvisorSha512.containerdShimRunscV1',
    ]);
  });

  it('fills documented defaults', () => {
    const raw = example();
    delete raw.budgets;
    delete raw.network;
    delete raw.signup.confirmationsPerDomainPerHour;
    const config = parsePlatformConfig(raw);
    expect(config.budgets.defaultMonthlyUsd).toBe(100);
    expect(config.budgets.alertThresholdsPercent).toEqual([80, 100]);
    expect(config.network).toEqual({ vpcCidr: '10.40.0.0/16', availabilityZones: 2, serviceIpv4Cidr: '172.20.0.0/16' });
    expect(config.signup.confirmationsPerDomainPerHour).toBe(5);
  });

  it.each(['platformName', 'aws', 'domain', 'cluster', 'image', 'models', 'signup', 'gitops'])(
    'fails if the required key %s is missing',
    (key) => {
      const raw = example();
      delete raw[key];
      expect(issuesOf(raw)).toEqual([{ path: key, message: 'is required' }]);
    },
  );

  it.each([
    ['signup.allowedEmailDomains', (r: any) => delete r.signup.allowedEmailDomains, 'is required'],
    ['gitops.repoUrl', (r: any) => delete r.gitops.repoUrl, 'is required'],
    ['signup.allowedEmailDomains', (r: any) => (r.signup.allowedEmailDomains = []), 'needs at least 1 item'],
    ['signup.allowedEmailDomains[0]', (r: any) => (r.signup.allowedEmailDomains = ['your-company.com']), 'looks like a placeholder'],
    ['gitops.repoUrl', (r: any) => (r.gitops.repoUrl = 'https://github.com/<owner>/repo.git'), 'looks like a placeholder'],
    [
      'gitops.repoUrl',
      (r: any) => (r.gitops.repoUrl = 'http://github.com/x/y.git'),
      'plain http is only allowed for localhost or private addresses',
    ],
    ['gitops.repoUrl', (r: any) => (r.gitops.repoUrl = 'https://user:pw@github.com/x/y.git'), 'without credentials'],
    ['gitops.platformRevision', (r: any) => (r.gitops.platformRevision = 'v1..2'), 'not a commit id or tag name'],
    ['signup.emailSender.fromAddress', (r: any) => (r.signup.emailSender = { sesRegion: 'eu-west-1' }), 'is required'],
    [
      'signup.emailSender.sesRegion',
      (r: any) => (r.signup.emailSender = { fromAddress: 'no-reply@example.com', sesRegion: 'Ireland' }),
      'not an AWS region',
    ],
    ['aws.account', (r: any) => (r.aws.account = 111111111111), 'expected a string'],
    ['aws.account', (r: any) => (r.aws.account = '1234'), '12 digits'],
    ['aws.region', (r: any) => (r.aws.region = 'Europe'), 'not an AWS region'],
    ['network.vpcCidr', (r: any) => (r.network.vpcCidr = '10.40.0.0/33'), 'prefix length'],
    ['network.vpcCidr', (r: any) => (r.network.vpcCidr = '10.40.1.0/16'), 'host bits'],
    ['network.vpcCidr', (r: any) => (r.network.vpcCidr = 'ten'), 'IPv4 CIDR'],
    ['network.vpcCidr', (r: any) => (r.network.vpcCidr = '10.40.0.0/24'), '/18 or larger'],
    ['network.availabilityZones', (r: any) => (r.network.availabilityZones = 4), 'at most 3'],
    ['network.availabilityZones', (r: any) => (r.network.availabilityZones = '2'), 'expected a number'],
    ['image.tag', (r: any) => (r.image.tag = 'latest'), 'pin an exact version'],
    ['image.digest', (r: any) => (r.image.digest = 'sha256:abc'), 'not an image digest'],
    [
      'domain.certificateArn',
      (r: any) => (r.domain.certificateArn = 'arn:aws:acm:eu-west-1:111111111111:certificate/0b6f7a52-3c9e-4d1e-9a57-2f1d6c1e8a90'),
      'us-east-1',
    ],
    ['models.primary', (r: any) => (r.models.primary = 'gpt'), 'not an alias'],
    ['models.fallbacks[0]', (r: any) => (r.models.fallbacks = ['opus']), 'primary model cannot also be a fallback'],
    ['signup.selfSignUpEnabled', (r: any) => (r.signup.selfSignUpEnabled = 'yes'), 'expected true or false'],
    ['tenantDefaults.runtime', (r: any) => (r.tenantDefaults.runtime = 'kata'), 'not one of: runc, gvisor'],
    ['budgets.alertEmails[0]', (r: any) => (r.budgets.alertEmails = ['not-an-email']), 'exactly one "@"'],
    ['signup.maxTenants', (r: any) => (r.signup.maxTenants = 1.5), 'whole number'],
    ['domain.hostedZoneName', (r: any) => (r.domain.hostedZoneName = 'other.org'), 'not inside the zone'],
    ['models.catalog[0].id', (r: any) => (r.models.bedrockRegion = 'eu-west-1'), 'can only be called from a us-* region'],
    ['models.catalog[0].alias', (r: any) => (r.models.catalog[0].alias = 'x-opus'), 'no "-"'],
  ])('names %s when it is bad', (key, mutate, message) => {
    const raw = example();
    mutate(raw);
    const issues = issuesOf(raw);
    expect(issues.map((i) => i.path)).toContain(key);
    expect(issues.find((i) => i.path === key)?.message).toContain(message);
  });

  it('accepts a plain-http repository only on a private address (the local platform)', () => {
    const raw = example();
    raw.gitops.repoUrl = 'http://10.203.0.1:9418/gitops.git';
    expect(parsePlatformConfig(raw).gitops.repoUrl).toBe('http://10.203.0.1:9418/gitops.git');
  });

  it('refuses a Service range that overlaps the VPC or that EKS would not accept, naming the key', () => {
    const overlapping = example();
    overlapping.network.serviceIpv4Cidr = '10.40.128.0/20';
    expect(issuesOf(overlapping)).toEqual([
      { path: 'network.serviceIpv4Cidr', message: expect.stringMatching(/overlaps network.vpcCidr/) },
    ]);
    const containing = example();
    containing.network.serviceIpv4Cidr = '10.32.0.0/12';
    expect(issuesOf(containing).map((i) => i.path)).toEqual(['network.serviceIpv4Cidr']);
    const tooSmall = example();
    tooSmall.network.serviceIpv4Cidr = '172.20.0.0/28';
    expect(issuesOf(tooSmall)).toEqual([{ path: 'network.serviceIpv4Cidr', message: expect.stringMatching(/\/12 and \/24/) }]);
  });

  it('rejects unknown keys at any depth, naming them', () => {
    const raw = example();
    raw.signup.allowedEmailDomain = ['x.com'];
    raw.colour = 'blue';
    const issues = issuesOf(raw);
    expect(issues.map((i) => i.path).sort()).toEqual(['colour', 'signup.allowedEmailDomain']);
    expect(issues[0]?.message).toMatch(/unknown key; allowed keys here are/);
  });

  it('reports every problem at once in one readable error', () => {
    const raw = example();
    raw.aws.region = 'x';
    raw.image.tag = 'latest';
    expect(() => parsePlatformConfig(raw, 'config/my.yaml')).toThrow(
      /^config\/my\.yaml is invalid:\n {2}- aws\.region: .*\n {2}- image\.tag: /,
    );
  });

  it('rejects a non-object', () => {
    expect(issuesOf('hello')).toEqual([{ path: '', message: 'expected an object, got "hello"' }]);
  });
});

describe('looksLikePlaceholder', () => {
  it.each(['your-org', 'CHANGE_ME', '<account>', 'replace-me', 'TODO', 'xxx', 'a...b'])('flags %s', (v) =>
    expect(looksLikePlaceholder(v)).toBe(true),
  );
  it.each(['example-org', 'mastodon.social', 'openclaw', 'ai.example.com'])('accepts %s', (v) =>
    expect(looksLikePlaceholder(v)).toBe(false),
  );
});
