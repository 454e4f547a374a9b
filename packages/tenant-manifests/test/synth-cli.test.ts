import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ValidationError } from '@openclaw-tenancy/shared';
import { EXAMPLE_PLATFORM_CONFIG, loadPlatformConfigFile } from '../src/platform-config-file';
import { TenantRegistry } from '../src/registry/tenant-registry';
import { REPOSITORY_ROOT } from '../src/repository-layout';
import { assertDeployableWorkspace, configProvenance, usesExampleConfig } from '../src/cli/deployable-workspace';

const REPO = REPOSITORY_ROOT;
const SYNTH_CLI = path.join(REPO, 'packages', 'tenant-manifests', 'src', 'cli', 'synth.ts');
const TSX_CLI = require.resolve('tsx/cli');

/** The example config with every identifying value replaced: what a company would deploy. */
function ownConfigText(): string {
  return fs
    .readFileSync(EXAMPLE_PLATFORM_CONFIG, 'utf8')
    .replace(/111111111111/g, '222233334444')
    .replace('ai.example.com', 'ai.acme.corp')
    .replace('Z0EXAMPLE12345', 'Z1ACMEZONE')
    .replace('hostedZoneName: example.com', 'hostedZoneName: acme.corp')
    .replace('0b6f7a52-3c9e-4d1e-9a57-2f1d6c1e8a90', '11111111-2222-4333-8444-555555555555')
    .replace('eu-west-1_Ex4mpleP0', 'eu-west-1_Acme12345')
    .replace('4example1client2id3abcdefgh', 'acmeclient1234567890abcd')
    .replace('allowedEmailDomains: [example.com]', 'allowedEmailDomains: [acme.corp]')
    .replace('example-org', 'acme')
    .replace('provisioner@example.com', 'provisioner@acme.corp')
    .replace('platform-team@example.com', 'platform@acme.corp');
}

/** A GitOps checkout: config, the example registry copied in (demo tenants included), no deploy/ yet. */
function workspace(configText: string, withDemoTenants: boolean): { root: string; configPath: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-cli-'));
  fs.mkdirSync(path.join(root, 'config'));
  fs.mkdirSync(path.join(root, 'tenants'));
  const configPath = path.join(root, 'config', 'platform.yaml');
  fs.writeFileSync(configPath, configText);
  if (withDemoTenants)
    for (const f of fs.readdirSync(path.join(REPO, 'tenants')))
      fs.copyFileSync(path.join(REPO, 'tenants', f), path.join(root, 'tenants', f));
  return { root, configPath };
}

function runSynth(root: string, configPath: string): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [TSX_CLI, SYNTH_CLI], {
    env: { ...process.env, OPENCLAW_GITOPS_ROOT: root, OPENCLAW_PLATFORM_CONFIG: configPath },
    encoding: 'utf8',
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('synthesis for a real platform', () => {
  it('says which config it reads, and marks the example', () => {
    expect(usesExampleConfig({ configPath: EXAMPLE_PLATFORM_CONFIG })).toBe(true);
    expect(configProvenance({ configPath: EXAMPLE_PLATFORM_CONFIG })).toMatch(/\(the example; set OPENCLAW_PLATFORM_CONFIG/);
    expect(configProvenance({ configPath: '/srv/acme/config/platform.yaml' })).toBe('platform config: /srv/acme/config/platform.yaml');
  });

  it('lets the example config synthesize its demo tenants', () => {
    const config = loadPlatformConfigFile(EXAMPLE_PLATFORM_CONFIG);
    expect(() =>
      assertDeployableWorkspace({ configPath: EXAMPLE_PLATFORM_CONFIG, config }, new TenantRegistry(REPO).readAll()),
    ).not.toThrow();
  });

  it('fails if a real config still holds example values, naming each key', () => {
    const { configPath } = workspace(fs.readFileSync(EXAMPLE_PLATFORM_CONFIG, 'utf8').replace(/111111111111/g, '222233334444'), false);
    const config = loadPlatformConfigFile(configPath);
    let error: unknown;
    try {
      assertDeployableWorkspace({ configPath, config }, []);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'domain.name',
        'domain.hostedZoneId',
        'identity.userPoolId',
        'gitops.repoUrl',
        'signup.allowedEmailDomains[0]',
      ]),
    );
    // The account (and the certificate ARN that contains it) were changed.
    expect(paths).not.toContain('aws.account');
    expect(paths).not.toContain('domain.certificateArn');
  });

  it('refuses demo tenants on a real platform: the CLI exits 1, names each file and writes no deploy/', () => {
    const { root, configPath } = workspace(ownConfigText(), true);
    const result = runSynth(root, configPath);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`platform config: ${configPath}`);
    expect(result.stderr).toMatch(/tenants\/demo-ada\.yaml: its \w+ inference profile is in account 111111111111/);
    expect(result.stderr).toContain('tenants/demo-grace.yaml');
    expect(result.stderr).not.toContain('demo-margaret');
    expect(fs.existsSync(path.join(root, 'deploy'))).toBe(false);
  });

  it('synthesizes a real platform whose registry is its own, warning until the tenant image is pinned by digest', () => {
    const unpinned = workspace(ownConfigText(), false);
    const warned = runSynth(unpinned.root, unpinned.configPath);
    expect(warned.status).toBe(0);
    expect(warned.stderr).toMatch(/^warning: image\.digest is not set: tenants run ghcr\.io\/openclaw\/openclaw:2026\.9\.6, which a push/);

    const digest = `sha256:${'c'.repeat(64)}`;
    const { root, configPath } = workspace(ownConfigText().replace(/(\n  tag: "[^"]+")/, `$1\n  digest: ${digest}`), false);
    const result = runSynth(root, configPath);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/synthesized 0 tenants \+ platform/);
    expect(fs.existsSync(path.join(root, 'deploy', 'platform', 'platform.yaml'))).toBe(true);
  });
});

describe('the Nx cache of every synthesis keys on the platform config', () => {
  const nx = JSON.parse(fs.readFileSync(path.join(REPO, 'nx.json'), 'utf8'));
  const targetInputs = (pkg: string, target: string): unknown[] =>
    JSON.parse(fs.readFileSync(path.join(REPO, 'packages', pkg, 'package.json'), 'utf8')).nx.targets[target].inputs;
  const FINGERPRINT = path.join(REPO, 'packages', 'tenant-manifests', 'scripts', 'platform-config-fingerprint.cjs');
  const fingerprint = (env: NodeJS.ProcessEnv) =>
    execFileSync(process.execPath, [FINGERPRINT], { cwd: REPO, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });

  it('platformConfig covers the config folder, the variable and the named file', () => {
    expect(nx.namedInputs.platformConfig).toEqual([
      '{workspaceRoot}/config/**/*',
      { env: 'OPENCLAW_PLATFORM_CONFIG' },
      { runtime: 'node packages/tenant-manifests/scripts/platform-config-fingerprint.cjs' },
    ]);
    expect(targetInputs('tenant-manifests', 'synth')).toContain('platformConfig');
    expect(targetInputs('tenant-manifests', 'validate')).toContain('platformConfig');
    expect(targetInputs('aws-infra', 'synth')).toContain('platformConfig');
  });

  it('the fingerprint changes with the bytes of a config outside the workspace', () => {
    const { configPath } = workspace(ownConfigText(), false);
    const before = fingerprint({ OPENCLAW_PLATFORM_CONFIG: configPath });
    fs.appendFileSync(configPath, '# edited\n');
    const after = fingerprint({ OPENCLAW_PLATFORM_CONFIG: configPath });
    expect(before.startsWith(`${configPath}\n`)).toBe(true);
    expect(after).not.toBe(before);
    expect(fingerprint({})).toContain(fs.readFileSync(EXAMPLE_PLATFORM_CONFIG, 'utf8'));
  });
});
