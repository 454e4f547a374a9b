import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FieldSpec, PLATFORM_CONFIG_SPEC, SUPPORTED_KUBERNETES_VERSIONS } from '@openclaw-tenancy/shared';
import { stringify as stringifyYaml } from 'yaml';
import {
  EXAMPLE_PLATFORM_CONFIG,
  PLATFORM_CONFIG_ENV,
  loadPlatformConfigFile,
  loadPlatformConfigText,
  platformConfigPathFromEnv,
} from '@openclaw-tenancy/tenant-manifests';
import { createPlatform } from '../src';
import { FIXTURE_AUTH_UI, FIXTURE_ENTRIES, configWith, exampleRawConfig, testApp } from './support/platform';

/** Dotted paths of every required key (required objects are walked into). */
function requiredKeyPaths(spec: FieldSpec, prefix = ''): string[] {
  if (spec.kind !== 'object') return [];
  const out: string[] = [];
  for (const [key, field] of Object.entries(spec.fields)) {
    const keyPath = prefix ? `${prefix}.${key}` : key;
    const required = field.default === undefined && !field.optional;
    if (required) out.push(keyPath);
    if (required || field.default !== undefined) out.push(...requiredKeyPaths(field.spec, keyPath));
  }
  return out;
}

function deleteAt(raw: Record<string, any>, keyPath: string): void {
  const parts = keyPath.split('.');
  let node: any = raw;
  for (const p of parts.slice(0, -1)) {
    node[p] ??= {};
    node = node[p];
  }
  delete node[parts[parts.length - 1]!];
}

function expectInvalid(edit: (raw: Record<string, any>) => void, keyPath: string, message: RegExp | string): void {
  let error: Error | undefined;
  try {
    configWith(edit);
  } catch (e) {
    error = e as Error;
  }
  expect(error?.message).toContain(`- ${keyPath}: `);
  expect(error?.message).toMatch(message);
}

describe('platform config', () => {
  test('the committed example config is valid and is the default', () => {
    // GIVEN no OPENCLAW_PLATFORM_CONFIG
    // WHEN the app picks its config
    const file = platformConfigPathFromEnv({});
    // THEN it is the example, and it validates
    expect(file).toBe(EXAMPLE_PLATFORM_CONFIG);
    expect(loadPlatformConfigFile(file).platformName).toBe('openclaw');
  });

  test('OPENCLAW_PLATFORM_CONFIG selects another file', () => {
    expect(platformConfigPathFromEnv({ [PLATFORM_CONFIG_ENV]: 'my/platform.yaml' })).toBe(path.resolve('my/platform.yaml'));
  });

  const required = requiredKeyPaths(PLATFORM_CONFIG_SPEC);

  test('the schema has required keys to check', () => {
    expect(required).toEqual(
      expect.arrayContaining(['aws.account', 'domain.certificateArn', 'signup.allowedEmailDomains', 'gitops.repoUrl', 'cluster.name']),
    );
  });

  test.each(required)('fails if required key %s is missing', (keyPath) => {
    expectInvalid((raw) => deleteAt(raw, keyPath), keyPath, /is required/);
  });

  test.each([
    ['network.availabilityZones', 'two', /expected a number/],
    ['signup.selfSignUpEnabled', 'yes', /expected true or false/],
    ['signup.allowedEmailDomains', 'example.com', /expected a list/],
    ['edge.wafRateLimitPer5Minutes', '2000', /expected a number/],
    ['aws.account', 111111111111, /expected a string/],
    ['budgets.alertEmails', [42], /expected a string/],
  ])('fails if %s has the wrong type (%j)', (keyPath, value, message) => {
    expectInvalid(
      (raw) => {
        const parts = keyPath.split('.');
        raw[parts[0]!][parts[1]!] = value;
      },
      keyPath.endsWith('alertEmails') ? `${keyPath}[0]` : keyPath,
      message,
    );
  });

  test.each([
    ['10.40.0.0/33', /prefix length/],
    ['10.40.1.0/16', /host bits set/],
    ['banana', /expected an IPv4 CIDR/],
    ['10.40.0.0/24', /\/18 or larger/],
  ])('fails if network.vpcCidr is an invalid CIDR (%s)', (cidr, message) => {
    expectInvalid((raw) => (raw.network.vpcCidr = cidr), 'network.vpcCidr', message);
  });

  test('fails if there is an unknown top-level key', () => {
    expectInvalid((raw) => (raw.netwrok = { vpcCidr: '10.0.0.0/16' }), 'netwrok', /unknown key/);
  });

  test('fails if there is an unknown nested key', () => {
    expectInvalid((raw) => (raw.edge.botcontrol = true), 'edge.botcontrol', /unknown key; allowed keys here are: .*botControl/);
  });

  test('fails if a required value is still a placeholder', () => {
    expectInvalid((raw) => (raw.gitops.repoUrl = 'https://github.com/your-org/openclaw-platform.git'), 'gitops.repoUrl', /placeholder/);
  });

  test('fails if the file is not YAML', () => {
    expect(() => loadPlatformConfigText('platformName: [unclosed', 'broken.yaml')).toThrow(
      /broken\.yaml is invalid:\n {2}- \(root\): is not valid YAML/,
    );
  });

  test('fails if the config file does not exist, naming the environment variable', () => {
    expect(() => loadPlatformConfigFile('/nonexistent/platform.yaml')).toThrow(
      /\/nonexistent\/platform\.yaml does not exist; set OPENCLAW_PLATFORM_CONFIG/,
    );
  });

  test('fails at config validation, naming the choices, if the Kubernetes version is one the app cannot deploy', () => {
    // GIVEN a version without a kubectl layer / add-on set
    // WHEN the config is validated THEN it is refused there, naming the key and exactly the deployable versions
    expect(() => configWith((raw) => (raw.cluster.kubernetesVersion = '1.31'))).toThrow(
      /- cluster\.kubernetesVersion: "1\.31" is not one of: 1\.33, 1\.34, 1\.35$/m,
    );
  });

  test.each(SUPPORTED_KUBERNETES_VERSIONS)('every Kubernetes version the config accepts synthesizes (%s)', (version) => {
    const config = configWith((raw) => (raw.cluster.kubernetesVersion = version));
    expect(() => createPlatform(testApp(), config, { functionEntries: FIXTURE_ENTRIES, authUiDirectory: FIXTURE_AUTH_UI })).not.toThrow();
  });

  test('fails if availabilityZones asks for more zones than the region has in cdk.context.json', () => {
    const config = configWith((raw) => (raw.network.availabilityZones = 3));
    const app = testApp();
    app.node.setContext('availability-zones:account=111111111111:region=eu-west-1', ['eu-west-1a', 'eu-west-1b']);
    expect(() => createPlatform(app, config, { functionEntries: FIXTURE_ENTRIES, authUiDirectory: FIXTURE_AUTH_UI })).toThrow(
      /network\.availabilityZones is 3 but only 2 zones are known for eu-west-1/,
    );
  });

  test('synth (bin/app.ts) exits non-zero and names the key when the config is invalid', () => {
    // GIVEN a config file with a missing required key
    const raw = exampleRawConfig();
    delete raw.signup.allowedEmailDomains;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-infra-config-'));
    const file = path.join(dir, 'platform.yaml');
    fs.writeFileSync(file, stringifyYaml(raw));
    // WHEN the CDK app runs on it
    const result = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, '..', 'bin', 'app.ts')], {
      env: { ...process.env, [PLATFORM_CONFIG_ENV]: file, CDK_OUTDIR: path.join(dir, 'out') },
      encoding: 'utf8',
    });
    fs.rmSync(dir, { recursive: true, force: true });
    // THEN it fails before building anything, with the key in the message
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file} is invalid:`);
    expect(result.stderr).toContain('- signup.allowedEmailDomains: is required');
  });
});
