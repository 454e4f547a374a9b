import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { GetFoundationModelAvailabilityCommand } from '@aws-sdk/client-bedrock';
import { DescribeUserPoolClientCommand, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeClusterVersionsCommand } from '@aws-sdk/client-eks';
import { ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetHostedZoneCommand } from '@aws-sdk/client-route-53';
import { DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { ListServiceQuotasCommand } from '@aws-sdk/client-service-quotas';
import { EXAMPLE_PLATFORM_CONFIG } from '@openclaw-tenancy/tenant-manifests';
import { USAGE, UsageError, main, parsePreflightArgs } from '../../src/cli/main';
import { PLATFORM_ADMIN_SUBCOMMANDS } from '../../src/cli/subcommands';
import { awsError, preflightMocks, resetPreflightMocks } from './preflight-fixtures';

const { acm, bedrock, iam, route53, secrets, quotas, eks, sts, cognito, guardDuty } = preflightMocks;

function accountWithOneProblem(): void {
  resetPreflightMocks();
  acm.on(DescribeCertificateCommand).resolves({ Certificate: { Status: 'ISSUED', DomainName: 'ai.example.com' } });
  route53.on(GetHostedZoneCommand).resolves({ HostedZone: { Id: 'Z0EXAMPLE12345', Name: 'example.com.', CallerReference: 'x' } });
  bedrock.on(GetFoundationModelAvailabilityCommand).resolves({
    modelId: 'm',
    agreementAvailability: { status: 'AVAILABLE' },
    authorizationStatus: 'AUTHORIZED',
    entitlementAvailability: 'AVAILABLE',
    regionAvailability: 'AVAILABLE',
  });
  iam.on(GetRoleCommand).resolves({});
  guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: '111111111111', Arn: 'arn:aws:sts::111111111111:assumed-role/platform-admins/alice' });
  cognito.on(DescribeUserPoolCommand).resolves({ UserPool: {} });
  cognito.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: {} });
  eks.on(DescribeClusterVersionsCommand).resolves({ clusterVersions: [{ clusterVersion: '1.33', versionStatus: 'STANDARD_SUPPORT' }] });
  // The one problem: no Git credential yet.
  secrets.on(DescribeSecretCommand).rejects(awsError('ResourceNotFoundException'));
  secrets.on(GetSecretValueCommand).rejects(new Error('must not be read when absent'));
  quotas.on(ListServiceQuotasCommand).resolves({ Quotas: [] });
  quotas
    .on(ListServiceQuotasCommand, { ServiceCode: 'bedrock' })
    .resolves({ Quotas: [{ QuotaName: 'Application inference profiles per account', Value: 5000 }] });
  quotas
    .on(ListServiceQuotasCommand, { ServiceCode: 'eks' })
    .resolves({ Quotas: [{ QuotaName: 'Pod Identity associations per cluster', Value: 5000 }] });
  quotas
    .on(ListServiceQuotasCommand, { ServiceCode: 'ec2' })
    .resolves({ Quotas: [{ QuotaName: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances', Value: 1000 }] });
}

function capture(): { stdout: () => string; stderr: () => string; restore: () => void } {
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  return { stdout: () => out, stderr: () => err, restore: () => (o.mockRestore(), e.mockRestore()) };
}

describe('platform-admin preflight', () => {
  it('prints a checklist with the fix under each failed item and exits 1', async () => {
    accountWithOneProblem();
    const io = capture();
    try {
      expect(await main(['preflight', '--config', EXAMPLE_PLATFORM_CONFIG])).toBe(1);
    } finally {
      io.restore();
    }
    const out = io.stdout();
    expect(out).toMatch(/\[PASS\] ACM certificate for CloudFront/);
    expect(out).toMatch(
      /\[FAIL\] Git credential secret \(gitops.credentialsSecretName\): openclaw\/platform\/gitops-credentials does not exist in eu-west-1\n {7}fix: write \{"username"/,
    );
    expect(out).toMatch(/\[WARN\] SES identity/);
    expect(out).toMatch(/passed, \d+ warnings, 1 failed \(account 111111111111, eu-west-1\): not ready/);
  });

  it('--json writes one parseable report on stdout and progress on stderr', async () => {
    accountWithOneProblem();
    const io = capture();
    try {
      expect(await main(['preflight', '--config', EXAMPLE_PLATFORM_CONFIG, '--json'])).toBe(1);
    } finally {
      io.restore();
    }
    const report = JSON.parse(io.stdout()) as { ok: boolean; results: Array<{ id: string; status: string; fix?: string }> };
    expect(report.ok).toBe(false);
    expect(report.results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(['git-credential']);
    expect(report.results.every((r) => r.status === 'pass' || typeof r.fix === 'string')).toBe(true);
    expect(io.stderr()).toContain('checked service quotas');
  });

  it('stops after the credentials check when the credentials are not for aws.account', async () => {
    accountWithOneProblem();
    sts.on(GetCallerIdentityCommand).rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
    const io = capture();
    try {
      expect(await main(['preflight', '--config', EXAMPLE_PLATFORM_CONFIG, '--json'])).toBe(1);
    } finally {
      io.restore();
    }
    const report = JSON.parse(io.stdout()) as { results: Array<{ id: string; fix?: string }> };
    expect(report.results.map((r) => r.id)).toEqual(['caller-account']);
    expect(report.results[0]?.fix).toMatch(/^no AWS credentials in this shell/);
    expect(acm.calls()).toHaveLength(0);
  });

  it('exits 0 when nothing fails', async () => {
    accountWithOneProblem();
    secrets.on(DescribeSecretCommand).resolves({ Name: 'n' });
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"username":"bot","password":"p"}' });
    const io = capture();
    try {
      expect(await main(['preflight', '--config', EXAMPLE_PLATFORM_CONFIG])).toBe(0);
    } finally {
      io.restore();
    }
    expect(io.stdout()).toContain('ready to deploy');
  });

  it('refuses bad usage with a specific message and calls no AWS API', () => {
    expect(() => parsePreflightArgs([], '/repo')).toThrow(
      new UsageError('preflight needs --config <file>: the platform config you are about to deploy'),
    );
    expect(() => parsePreflightArgs(['--config'], '/repo')).toThrow(/--config needs a file/);
    expect(() => parsePreflightArgs(['--config', 'a.yaml', '--fast'], '/repo')).toThrow('unknown option --fast for preflight');
    expect(parsePreflightArgs(['--config', 'config/p.yaml', '--json'], '/repo')).toEqual({ configPath: '/repo/config/p.yaml', json: true });
    return expect(main(['deploy'])).rejects.toThrow('unknown subcommand "deploy"; one of: preflight');
  });

  it('refuses an invalid config naming the key, before any AWS call', async () => {
    resetPreflightMocks();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-'));
    const file = path.join(dir, 'platform.yaml');
    fs.writeFileSync(file, fs.readFileSync(EXAMPLE_PLATFORM_CONFIG, 'utf8').replace('maxTenants: 1000', 'maxTenants: lots'));
    await expect(main(['preflight', '--config', file])).rejects.toThrow(/signup\.maxTenants/);
    expect(Object.values(preflightMocks).every((m) => m.calls().length === 0)).toBe(true);
  });

  it('--help lists every subcommand', async () => {
    const io = capture();
    try {
      expect(await main(['--help'])).toBe(0);
    } finally {
      io.restore();
    }
    for (const s of PLATFORM_ADMIN_SUBCOMMANDS) expect(USAGE).toContain(`  ${s} `);
    expect(io.stdout()).toBe(USAGE);
  });
});
