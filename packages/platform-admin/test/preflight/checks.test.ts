import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { GetFoundationModelAvailabilityCommand } from '@aws-sdk/client-bedrock';
import { DescribeUserPoolClientCommand, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeClusterVersionsCommand } from '@aws-sdk/client-eks';
import { ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetRoleCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { GetHostedZoneCommand } from '@aws-sdk/client-route-53';
import { DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { ListServiceQuotasCommand } from '@aws-sdk/client-service-quotas';
import { GetAccountCommand, GetEmailIdentityCommand } from '@aws-sdk/client-sesv2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CheckResult } from '../../src/preflight/check-result';
import { checkAdminPrincipals } from '../../src/preflight/checks/admin-principals-check';
import { checkBedrockModelAccess } from '../../src/preflight/checks/bedrock-model-access-check';
import { callerPrincipal, checkCallerIdentity } from '../../src/preflight/checks/caller-identity-check';
import { certificateCovers, checkCertificate } from '../../src/preflight/checks/certificate-check';
import { checkEdgeListener } from '../../src/preflight/checks/edge-listener-check';
import { checkEmailSender } from '../../src/preflight/checks/email-sender-check';
import { checkGitCredential, gitCredentialShapeProblem } from '../../src/preflight/checks/git-credential-check';
import { checkHostedZone } from '../../src/preflight/checks/hosted-zone-check';
import { checkKubernetesSupport } from '../../src/preflight/checks/kubernetes-support-check';
import { checkBreakGlassRole, checkGuardDutyDetector } from '../../src/preflight/checks/security-prerequisites-check';
import { PLATFORM_POD_IDENTITY_ASSOCIATIONS, checkServiceQuotas, nodeFleetVcpus } from '../../src/preflight/checks/service-quotas-check';
import { checkUserPool } from '../../src/preflight/checks/user-pool-check';
import { awsError, exampleConfig, preflightMocks, resetPreflightMocks, sdkClients } from './preflight-fixtures';

const { acm, route53, ses, bedrock, iam, secrets, quotas, eks, sts, cognito, guardDuty } = preflightMocks;

beforeEach(() => {
  resetPreflightMocks();
});

const config = exampleConfig();
const clients = sdkClients(config);
const only = (results: CheckResult[]): CheckResult => {
  expect(results).toHaveLength(1);
  return results[0] as CheckResult;
};

describe('certificate', () => {
  const issued = {
    Status: 'ISSUED' as const,
    DomainName: 'ai.example.com',
    SubjectAlternativeNames: ['ai.example.com'],
    NotAfter: new Date('2027-06-01T00:00:00Z'),
  };

  it('passes for an ISSUED certificate in us-east-1 that names the host', async () => {
    acm.on(DescribeCertificateCommand, { CertificateArn: config.domain.certificateArn }).resolves({ Certificate: issued });
    const r = only(await checkCertificate(config, clients));
    expect(r).toMatchObject({ id: 'certificate', status: 'pass' });
    expect(r.detail).toContain('valid until 2027-06-01');
    expect(await clients.acm.config.region()).toBe('us-east-1');
  });

  it('fails if the certificate does not exist in us-east-1, with the way to request one', async () => {
    acm.on(DescribeCertificateCommand).rejects(awsError('ResourceNotFoundException'));
    const r = only(await checkCertificate(config, clients));
    expect(r.status).toBe('fail');
    expect(r.fix).toMatch(/request a public certificate for ai\.example\.com in us-east-1/);
  });

  it('fails if the certificate is still pending validation', async () => {
    acm.on(DescribeCertificateCommand).resolves({ Certificate: { ...issued, Status: 'PENDING_VALIDATION' } });
    const r = only(await checkCertificate(config, clients));
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('PENDING_VALIDATION');
    expect(r.fix).toMatch(/DNS validation records/);
  });

  it('fails if the certificate does not cover domain.name', async () => {
    acm
      .on(DescribeCertificateCommand)
      .resolves({ Certificate: { ...issued, DomainName: 'other.example.org', SubjectAlternativeNames: ['other.example.org'] } });
    const r = only(await checkCertificate(config, clients));
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('not ai.example.com');
  });

  it('fails, not passes, when ACM cannot be asked', async () => {
    acm.on(DescribeCertificateCommand).rejects(awsError('AccessDeniedException'));
    const r = only(await checkCertificate(config, clients));
    expect(r.status).toBe('fail');
    expect(r.fix).toMatch(/allow acm:DescribeCertificate/);
  });

  it('fails with a sign-in hint when there are no credentials', async () => {
    acm.on(DescribeCertificateCommand).rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
    expect(only(await checkCertificate(config, clients)).fix).toMatch(/^no AWS credentials in this shell: sign in/);
  });

  it('matches one-label wildcards only', () => {
    expect(certificateCovers(['*.example.com'], 'ai.example.com')).toBe(true);
    expect(certificateCovers(['*.example.com'], 'a.b.example.com')).toBe(false);
    expect(certificateCovers(['example.com'], 'ai.example.com')).toBe(false);
  });
});

describe('hosted zone', () => {
  it('passes for the public zone named in the config', async () => {
    route53
      .on(GetHostedZoneCommand, { Id: 'Z0EXAMPLE12345' })
      .resolves({ HostedZone: { Id: 'Z0EXAMPLE12345', Name: 'example.com.', CallerReference: 'x', Config: { PrivateZone: false } } });
    expect(only(await checkHostedZone(config, clients)).status).toBe('pass');
  });

  it('fails if the zone does not exist', async () => {
    route53.on(GetHostedZoneCommand).rejects(awsError('NoSuchHostedZone'));
    const r = only(await checkHostedZone(config, clients));
    expect(r.status).toBe('fail');
    expect(r.fix).toContain('create-hosted-zone --name example.com');
  });

  it('fails if the zone is private or another name', async () => {
    route53
      .on(GetHostedZoneCommand)
      .resolves({ HostedZone: { Id: 'Z0EXAMPLE12345', Name: 'example.com.', CallerReference: 'x', Config: { PrivateZone: true } } });
    expect(only(await checkHostedZone(config, clients)).detail).toContain('private');
    route53.on(GetHostedZoneCommand).resolves({ HostedZone: { Id: 'Z0EXAMPLE12345', Name: 'example.org.', CallerReference: 'x' } });
    const r = only(await checkHostedZone(config, clients));
    expect(r.status).toBe('fail');
    expect(r.fix).toContain('domain.hostedZoneName to example.org');
  });

  it('warns without a zone, with the record to create by hand', async () => {
    const noZone = exampleConfig((c) => ({ ...c, domain: { name: c.domain.name, certificateArn: c.domain.certificateArn } }));
    const r = only(await checkHostedZone(noZone, clients));
    expect(r.status).toBe('warn');
    expect(r.fix).toContain('DistributionDomainName');
    expect(route53.calls()).toHaveLength(0);
  });
});

describe('SES sender', () => {
  const withSender = exampleConfig((c) => ({
    ...c,
    signup: { ...c.signup, emailSender: { fromAddress: 'no-reply@example.com', sesVerifiedDomain: 'example.com', sesRegion: 'eu-west-1' } },
  }));
  const sesClients = sdkClients(withSender);

  it('passes for a verified domain in an account out of the sandbox', async () => {
    ses.on(GetEmailIdentityCommand, { EmailIdentity: 'example.com' }).resolves({ VerifiedForSendingStatus: true });
    ses.on(GetAccountCommand).resolves({ ProductionAccessEnabled: true, SendingEnabled: true });
    const results = await checkEmailSender(withSender, sesClients);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['ses-identity', 'pass'],
      ['ses-production-access', 'pass'],
    ]);
  });

  it('fails for a missing identity and a sandboxed account, with both fixes', async () => {
    ses.on(GetEmailIdentityCommand).rejects(awsError('NotFoundException'));
    ses.on(GetAccountCommand).resolves({ ProductionAccessEnabled: false, SendingEnabled: true });
    const [identity, sandbox] = await checkEmailSender(withSender, sesClients);
    expect(identity).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('create-email-identity --region eu-west-1 --email-identity example.com'),
    });
    expect(sandbox).toMatchObject({ status: 'fail', fix: expect.stringContaining('Request production access') });
  });

  it('fails for an identity that is not verified yet', async () => {
    ses.on(GetEmailIdentityCommand).resolves({ VerifiedForSendingStatus: false });
    ses.on(GetAccountCommand).resolves({ ProductionAccessEnabled: true });
    expect((await checkEmailSender(withSender, sesClients))[0]).toMatchObject({ status: 'fail', fix: expect.stringContaining('DKIM') });
  });

  it("warns when Cognito's own sender would be used", async () => {
    const r = only(await checkEmailSender(config, clients));
    expect(r.status).toBe('warn');
    expect(r.fix).toContain('signup.emailSender.fromAddress');
    expect(ses.calls()).toHaveLength(0);
  });
});

describe('Bedrock model access', () => {
  const available = {
    agreementAvailability: { status: 'AVAILABLE' as const },
    authorizationStatus: 'AUTHORIZED' as const,
    entitlementAvailability: 'AVAILABLE' as const,
    regionAvailability: 'AVAILABLE' as const,
  };

  it('checks the foundation model behind every catalogue entry and passes when each is invocable', async () => {
    bedrock.on(GetFoundationModelAvailabilityCommand).callsFake((input: { modelId: string }) => ({ modelId: input.modelId, ...available }));
    const results = await checkBedrockModelAccess(config, clients);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['bedrock-model:opus', 'pass'],
      ['bedrock-model:sonnet', 'pass'],
      ['bedrock-model:deepseek', 'pass'],
    ]);
    // A cross-region profile id is checked as the model it routes to.
    expect(bedrock.commandCalls(GetFoundationModelAvailabilityCommand).map((c) => c.args[0].input.modelId)).toEqual([
      'anthropic.claude-opus-4-6-v1',
      'anthropic.claude-sonnet-4-6',
      'deepseek.v3.2',
    ]);
    expect(await clients.bedrock.config.region()).toBe('us-east-1');
  });

  it('fails for a model without access, naming what is missing and where to request it', async () => {
    bedrock.on(GetFoundationModelAvailabilityCommand).resolves({ modelId: 'x', ...available });
    bedrock
      .on(GetFoundationModelAvailabilityCommand, { modelId: 'anthropic.claude-sonnet-4-6' })
      .resolves({ modelId: 'x', ...available, authorizationStatus: 'NOT_AUTHORIZED', agreementAvailability: { status: 'NOT_AVAILABLE' } });
    const sonnet = (await checkBedrockModelAccess(config, clients)).find((r) => r.id === 'bedrock-model:sonnet');
    expect(sonnet).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('authorization NOT_AUTHORIZED, agreement NOT_AVAILABLE'),
      fix: expect.stringContaining('#/modelaccess'),
    });
  });

  it('fails for an id that is not a model', async () => {
    bedrock.on(GetFoundationModelAvailabilityCommand).rejects(awsError('ResourceNotFoundException'));
    const results = await checkBedrockModelAccess(config, clients);
    expect(results.every((r) => r.status === 'fail' && /list-foundation-models/.test(r.fix ?? ''))).toBe(true);
  });
});

describe('cluster administrators', () => {
  it('passes when every principal exists', async () => {
    iam
      .on(GetRoleCommand, { RoleName: 'platform-admins' })
      .resolves({ Role: { RoleName: 'platform-admins', Arn: 'a', Path: '/', RoleId: 'r', CreateDate: new Date() } });
    expect(only(await checkAdminPrincipals(config, clients)).status).toBe('pass');
  });

  it('fails for a principal that does not exist, naming the list entry', async () => {
    const two = exampleConfig((c) => ({
      ...c,
      cluster: {
        ...c.cluster,
        adminPrincipalArns: ['arn:aws:iam::111111111111:role/ops/platform-admins', 'arn:aws:iam::111111111111:user/alice'],
      },
    }));
    iam.on(GetRoleCommand, { RoleName: 'platform-admins' }).resolves({});
    iam.on(GetUserCommand).rejects(awsError('NoSuchEntityException'));
    const [role, user] = await checkAdminPrincipals(two, clients);
    expect(role?.status).toBe('pass');
    expect(user).toMatchObject({ status: 'fail', fix: 'create the user alice (or correct cluster.adminPrincipalArns[1])' });
  });

  it('fails when nobody would administer the cluster', async () => {
    const none = exampleConfig((c) => ({ ...c, cluster: { ...c.cluster, adminPrincipalArns: [] } }));
    const r = only(await checkAdminPrincipals(none, clients));
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('deploying principal does not become a cluster admin');
  });

  it('warns for a principal of another account, which it cannot read', async () => {
    const other = exampleConfig((c) => ({
      ...c,
      cluster: { ...c.cluster, adminPrincipalArns: ['arn:aws:iam::222222222222:role/admins'] },
    }));
    expect(only(await checkAdminPrincipals(other, clients)).status).toBe('warn');
    expect(iam.calls()).toHaveLength(0);
  });
});

describe('Git credential', () => {
  const name = config.gitops.credentialsSecretName;

  it('passes for a secret holding a username and a password, and never prints them', async () => {
    secrets.on(DescribeSecretCommand, { SecretId: name }).resolves({ Name: name });
    secrets
      .on(GetSecretValueCommand, { SecretId: name })
      .resolves({ SecretString: JSON.stringify({ username: 'bot', password: 'ghp_s3cr3tvalue' }) });
    const r = only(await checkGitCredential(config, clients));
    expect(r.status).toBe('pass');
    expect(JSON.stringify(r)).not.toContain('ghp_s3cr3tvalue');
  });

  it('fails for a missing secret, with a create command that keeps the token out of the shell history', async () => {
    secrets.on(DescribeSecretCommand).rejects(awsError('ResourceNotFoundException'));
    const r = only(await checkGitCredential(config, clients));
    expect(r.status).toBe('fail');
    expect(r.fix).toContain(`create-secret --region eu-west-1 --name ${name} --secret-string file://`);
  });

  it('fails for a value of the wrong shape without echoing it', async () => {
    secrets.on(DescribeSecretCommand).resolves({ Name: name });
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ token: 'ghp_s3cr3tvalue' }) });
    const r = only(await checkGitCredential(config, clients));
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('lacks a non-empty string "username" and "password"');
    expect(JSON.stringify(r)).not.toContain('ghp_s3cr3tvalue');
  });

  it('fails for a secret scheduled for deletion', async () => {
    secrets.on(DescribeSecretCommand).resolves({ Name: name, DeletedDate: new Date() });
    expect(only(await checkGitCredential(config, clients)).fix).toContain('restore-secret');
  });

  it("checks Argo CD's separate credential too, and fails it on its own", async () => {
    const separate = exampleConfig((c) => ({
      ...c,
      gitops: { ...c.gitops, argoCdCredentialsSecretName: 'openclaw/platform/argocd-read' },
    }));
    secrets.on(DescribeSecretCommand).resolves({ Name: name });
    secrets.on(GetSecretValueCommand, { SecretId: name }).resolves({ SecretString: '{"username":"bot","password":"p"}' });
    secrets.on(DescribeSecretCommand, { SecretId: 'openclaw/platform/argocd-read' }).rejects(awsError('ResourceNotFoundException'));
    const results = await checkGitCredential(separate, clients);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['git-credential', 'pass'],
      ['git-credential:argocd', 'fail'],
    ]);
    expect(results[1]?.fix).toContain('--name openclaw/platform/argocd-read');
  });

  it('describes every wrong shape', () => {
    expect(gitCredentialShapeProblem(undefined)).toMatch(/no string value/);
    expect(gitCredentialShapeProblem('ghp_plain-token')).toBe('the value is not JSON');
    expect(gitCredentialShapeProblem('["a"]')).toBe('the value is not a JSON object');
    expect(gitCredentialShapeProblem('{"username":"bot","password":""}')).toMatch(/"password"/);
    expect(gitCredentialShapeProblem('{"username":"bot","password":"p","sshKey":"k"}')).toMatch(/"sshKey"/);
    expect(gitCredentialShapeProblem('{"username":"bot","password":"p"}')).toBeUndefined();
  });
});

describe('service quotas', () => {
  const listed = (serviceCode: string, quotas: Array<{ QuotaName: string; Value: number }>) =>
    quotas.map((q, i) => ({ ServiceCode: serviceCode, QuotaCode: `L-${serviceCode.toUpperCase()}${i}`, ...q }));
  const enough = () => {
    quotas.on(ListServiceQuotasCommand, { ServiceCode: 'eks' }).resolves({
      Quotas: listed('eks', [
        { QuotaName: 'Clusters', Value: 100 },
        { QuotaName: 'Pod Identity associations per cluster', Value: 5000 },
      ]),
    });
    quotas
      .on(ListServiceQuotasCommand, { ServiceCode: 'elasticfilesystem' })
      .resolves({ Quotas: listed('efs', [{ QuotaName: 'Access points for each file system', Value: 10000 }]) });
    quotas
      .on(ListServiceQuotasCommand, { ServiceCode: 'bedrock' })
      .resolves({ Quotas: listed('bedrock', [{ QuotaName: 'Application inference profiles per account', Value: 5000 }]) });
    quotas.on(ListServiceQuotasCommand, { ServiceCode: 'ec2' }).resolves({
      Quotas: listed('ec2', [{ QuotaName: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances', Value: 1152 }]),
    });
  };

  it('passes when each quota covers signup.maxTenants', async () => {
    enough();
    const results = await checkServiceQuotas(config, clients);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['quota:ec2-on-demand-vcpus', 'pass'],
      ['quota:pod-identity-associations', 'pass'],
      ['quota:efs-access-points', 'pass'],
      ['quota:bedrock-application-inference-profiles', 'pass'],
    ]);
    expect(results[3]?.detail).toContain('the config needs 3000');
  });

  it('fails for application inference profiles at maxTenants x catalogue models, with the increase to request', async () => {
    enough();
    quotas
      .on(ListServiceQuotasCommand, { ServiceCode: 'bedrock' })
      .resolves({ Quotas: listed('bedrock', [{ QuotaName: 'Application inference profiles per account', Value: 1000 }]) });
    const r = (await checkServiceQuotas(config, clients)).find((x) => x.id === 'quota:bedrock-application-inference-profiles');
    expect(r).toMatchObject({ status: 'fail', fix: expect.stringContaining('request an increase to at least 3000') });
  });

  it('fails against the documented limit when a quota is not listed (Pod Identity: 1,000 per cluster)', async () => {
    enough();
    quotas
      .on(ListServiceQuotasCommand, { ServiceCode: 'eks' })
      .resolves({ Quotas: listed('eks', [{ QuotaName: 'Clusters', Value: 100 }]) });
    const r = (await checkServiceQuotas(config, clients)).find((x) => x.id === 'quota:pod-identity-associations');
    expect(r).toMatchObject({
      status: 'fail',
      fix: `lower signup.maxTenants to at most ${1000 - PLATFORM_POD_IDENTITY_ASSOCIATIONS}, or split tenants across clusters (cells)`,
    });
    expect(r?.detail).toContain('not in Service Quotas');
  });

  it('warns when an unlisted documented limit is enough, so the operator confirms it', async () => {
    enough();
    quotas.on(ListServiceQuotasCommand, { ServiceCode: 'elasticfilesystem' }).resolves({ Quotas: [] });
    const r = (await checkServiceQuotas(config, clients)).find((x) => x.id === 'quota:efs-access-points');
    expect(r?.status).toBe('warn');
  });

  it('fails when the node groups at their maxima need more vCPUs than EC2 allows, with the increase to request', async () => {
    enough();
    quotas
      .on(ListServiceQuotasCommand, { ServiceCode: 'ec2' })
      .resolves({ Quotas: listed('ec2', [{ QuotaName: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances', Value: 32 }]) });
    const r = (await checkServiceQuotas(config, clients)).find((x) => x.id === 'quota:ec2-on-demand-vcpus');
    expect(r).toMatchObject({ status: 'fail', fix: expect.stringContaining(`to at least ${nodeFleetVcpus(config)} vCPUs in eu-west-1`) });
  });

  it('reads every page of quotas', async () => {
    enough();
    quotas
      .on(ListServiceQuotasCommand, { ServiceCode: 'eks' })
      .resolvesOnce({ Quotas: listed('eks', [{ QuotaName: 'Clusters', Value: 100 }]), NextToken: 'p2' })
      .resolves({ Quotas: listed('eks', [{ QuotaName: 'Pod Identity associations per cluster', Value: 5000 }]) });
    const r = (await checkServiceQuotas(config, clients)).find((x) => x.id === 'quota:pod-identity-associations');
    expect(r?.status).toBe('pass');
  });
});

describe('edge listener (design limit, no AWS call)', () => {
  it('warns while the pinned Envoy Gateway rewrites the listener per tenant, with the release to move to', async () => {
    const r = only(await checkEdgeListener(config, clients, 'v1.8.0'));
    expect(r).toMatchObject({ status: 'warn', fix: expect.stringContaining('pin Envoy Gateway v1.9.0 or later') });
    expect(r.detail).toContain('drains every open workspace connection');
  });

  it('passes for a release that shares identical JWT providers', async () => {
    expect(only(await checkEdgeListener(config, clients, 'v1.9.2')).status).toBe('pass');
  });
});

describe('Kubernetes support window', () => {
  const now = new Date('2026-12-04T00:00:00Z');
  const version = (extra: Record<string, unknown>) => ({ clusterVersions: [{ clusterVersion: '1.33', ...extra }] });

  it('passes for a version in standard support beyond the warning window', async () => {
    eks
      .on(DescribeClusterVersionsCommand, { clusterVersions: ['1.33'], includeAll: true })
      .resolves(version({ versionStatus: 'STANDARD_SUPPORT', endOfStandardSupportDate: new Date('2027-07-29T00:00:00Z') }));
    const r = only(await checkKubernetesSupport(config, clients, now));
    expect(r).toMatchObject({ status: 'pass', detail: 'Kubernetes 1.33 is in standard support until 2027-07-29' });
  });

  it('warns when standard support ends within 90 days, and for extended support (six times the price)', async () => {
    eks
      .on(DescribeClusterVersionsCommand)
      .resolves(version({ versionStatus: 'STANDARD_SUPPORT', endOfStandardSupportDate: new Date('2027-01-15T00:00:00Z') }));
    expect(only(await checkKubernetesSupport(config, clients, now))).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('plan the upgrade'),
    });
    eks
      .on(DescribeClusterVersionsCommand)
      .resolves(version({ versionStatus: 'EXTENDED_SUPPORT', endOfExtendedSupportDate: new Date('2028-01-29T00:00:00Z') }));
    expect(only(await checkKubernetesSupport(config, clients, now))).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('six times'),
    });
  });

  it('fails for a version EKS no longer offers', async () => {
    eks.on(DescribeClusterVersionsCommand).resolves({ clusterVersions: [] });
    expect(only(await checkKubernetesSupport(config, clients, now))).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('cluster.kubernetesVersion'),
    });
  });
});

describe("credentials and the caller's own cluster access", () => {
  it('passes for the configured account and says plainly that an administrator role will reach the cluster', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '111111111111', Arn: 'arn:aws:sts::111111111111:assumed-role/platform-admins/alice' });
    const [account, access] = await checkCallerIdentity(config, clients);
    expect(account?.status).toBe('pass');
    expect(access).toMatchObject({
      status: 'pass',
      detail: 'role platform-admins is in cluster.adminPrincipalArns: you will be a cluster administrator',
    });
  });

  it('warns a deployer who is not an administrator that kubectl will not work for them', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111111111111', Arn: 'arn:aws:sts::111111111111:assumed-role/deployer/ci' });
    const [, access] = await checkCallerIdentity(config, clients);
    expect(access).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('it will not be able to use kubectl'),
      fix: expect.stringContaining('cluster.adminPrincipalArns'),
    });
  });

  it('fails for credentials of another account, before anything else misleads', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '222222222222', Arn: 'arn:aws:iam::222222222222:user/bob' });
    const results = await checkCallerIdentity(config, clients);
    expect(results).toEqual([
      expect.objectContaining({
        id: 'caller-account',
        status: 'fail',
        fix: 'sign in to account 111111111111 (or correct aws.account) and run preflight again',
      }),
    ]);
  });

  it('reads the principal behind an STS caller ARN', () => {
    expect(callerPrincipal('arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_abc/alice@example.org')).toEqual({
      kind: 'role',
      name: 'AWSReservedSSO_Admin_abc',
    });
    expect(callerPrincipal('arn:aws:iam::111111111111:user/ops/bob')).toEqual({ kind: 'user', name: 'bob' });
    expect(callerPrincipal('arn:aws:iam::111111111111:root')).toEqual({ kind: 'other', name: 'arn:aws:iam::111111111111:root' });
  });
});

describe('user pool of the tenant routes (identity)', () => {
  it('passes before the first deploy, when identity is not set yet', async () => {
    const none = exampleConfig((c) => ({ ...c, identity: undefined }));
    expect(only(await checkUserPool(none, clients))).toMatchObject({ status: 'pass', detail: expect.stringContaining('not set yet') });
    expect(cognito.calls()).toHaveLength(0);
  });

  it('passes when the pool and its app client exist', async () => {
    cognito.on(DescribeUserPoolCommand, { UserPoolId: 'eu-west-1_Ex4mpleP0' }).resolves({ UserPool: { Id: 'eu-west-1_Ex4mpleP0' } });
    cognito
      .on(DescribeUserPoolClientCommand, { UserPoolId: 'eu-west-1_Ex4mpleP0', ClientId: '4example1client2id3abcdefgh' })
      .resolves({ UserPoolClient: {} });
    expect(only(await checkUserPool(config, clients)).status).toBe('pass');
  });

  it('fails for values that name no pool or no client, pointing at the stack outputs', async () => {
    cognito.on(DescribeUserPoolCommand).rejects(awsError('ResourceNotFoundException'));
    expect(only(await checkUserPool(config, clients))).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('outputs of the openclaw-control-plane stack'),
    });
    cognito.on(DescribeUserPoolCommand).resolves({ UserPool: {} });
    cognito.on(DescribeUserPoolClientCommand).rejects(awsError('ResourceNotFoundException'));
    expect(only(await checkUserPool(config, clients)).detail).toContain('is not an app client of eu-west-1_Ex4mpleP0');
  });
});

describe('security prerequisites', () => {
  it('passes for an existing break-glass role (the default name is <platformName>-break-glass)', async () => {
    iam.on(GetRoleCommand, { RoleName: 'openclaw-break-glass' }).resolves({});
    expect(only(await checkBreakGlassRole(config, clients))).toMatchObject({
      status: 'pass',
      detail: 'arn:aws:iam::111111111111:role/openclaw-break-glass exists',
    });
  });

  it('warns while the break-glass role does not exist yet, saying what nobody can do until then', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntityException'));
    expect(only(await checkBreakGlassRole(config, clients))).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('nobody can delete, disable or re-police'),
      fix: expect.stringContaining('create the role openclaw-break-glass'),
    });
  });

  it('fails for a break-glass role of another account', async () => {
    const other = exampleConfig((c) => ({ ...c, security: { ...c.security, breakGlassRoleArn: 'arn:aws:iam::222222222222:role/bg' } }));
    expect(only(await checkBreakGlassRole(other, clients))).toMatchObject({
      status: 'fail',
      fix: 'set security.breakGlassRoleArn to a role of account 111111111111',
    });
  });

  it('GuardDuty: passes where the audit stack can create the detector, fails where one exists already', async () => {
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    expect(only(await checkGuardDutyDetector(config, clients)).status).toBe('pass');
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: ['abc123'] });
    expect(only(await checkGuardDutyDetector(config, clients))).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('set security.guardDutyRuntimeMonitoring: false'),
    });
  });

  it('GuardDuty off: passes with an existing detector, warns without any', async () => {
    const off = exampleConfig((c) => ({ ...c, security: { ...c.security, guardDutyRuntimeMonitoring: false } }));
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: ['abc123'] });
    expect(only(await checkGuardDutyDetector(off, clients)).status).toBe('pass');
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    expect(only(await checkGuardDutyDetector(off, clients)).status).toBe('warn');
  });
});
