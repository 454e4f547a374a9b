/**
 * The functions that write tenant folders get the platform config with the
 * deployment (bundled into their code), never from the branch they push to.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PLATFORM_CONFIG_FUNCTIONS, PLATFORM_FUNCTIONS } from '@openclaw-tenancy/shared';
import { PlatformFunction } from '../src/constructs/platform-function';
import { FIXTURES, configWith, synthesizePlatform } from './support/platform';

describe('platform config bundled into the Git-writing functions', () => {
  it('is given to exactly the provisioner, the offboarder and the cost enforcer, never through their environment', () => {
    const platform = synthesizePlatform();
    const { stacks, config } = platform;
    for (const fn of PLATFORM_FUNCTIONS) {
      const bundled = stacks.controlPlane.functions[fn].bundledPlatformConfig;
      expect({ fn, bundled: bundled === config }).toEqual({ fn, bundled: PLATFORM_CONFIG_FUNCTIONS.includes(fn) });
    }
    const functions = platform.template(stacks.controlPlane).findResources('AWS::Lambda::Function');
    for (const [id, resource] of Object.entries(functions)) {
      const variables =
        (resource as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties.Environment?.Variables ?? {};
      expect({ id, keys: Object.keys(variables).filter((k) => k.includes('PLATFORM_CONFIG')) }).toEqual({ id, keys: [] });
      expect({ id, config: JSON.stringify(variables).includes(JSON.stringify(config.network)) }).toEqual({ id, config: false });
    }
  });

  it('the bundle carries the config and hands it to the handler (real esbuild bundling)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundled-config-'));
    try {
      const config = configWith((raw) => (raw.gitops.branch = 'bundled-branch'));
      const app = new App({ outdir });
      const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
      new PlatformFunction(stack, 'Fn', {
        platformFunction: 'provisioner',
        entry: path.join(FIXTURES, 'bundled-config', 'handler.ts'),
        environment: {},
        logRetention: logs.RetentionDays.ONE_DAY,
        alarmTopic: new sns.Topic(stack, 'Topic'),
        bundledPlatformConfig: config,
      });
      app.synth();
      const bundle = fs
        .readdirSync(outdir)
        .filter((d) => d.startsWith('asset.'))
        .map((d) => path.join(outdir, d, 'index.js'))
        .find((f) => fs.existsSync(f));
      expect(bundle).toBeDefined();
      const script = `require(${JSON.stringify(bundle)}).handler().then((c) => process.stdout.write(JSON.stringify(c.gitops)))`;
      expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))).toMatchObject({ branch: 'bundled-branch' });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
