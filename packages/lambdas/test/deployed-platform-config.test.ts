/**
 * The Git-writing functions get their platform config from the deployment:
 * esbuild's `define` (what the CDK app sets) bundles it into the code, and a
 * function bundled without it refuses to run rather than fall back to Git.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { deployedPlatformConfig, platformConfigDefine } from '../src/config/deployed-platform-config';
import { PLATFORM_CONFIG } from './support/gitops-remote';

const ENTRY = `
  const { deployedPlatformConfig } = require(${JSON.stringify(path.resolve(__dirname, '../src/config/deployed-platform-config.ts'))});
  try { process.stdout.write(JSON.stringify({ ok: deployedPlatformConfig() })); } catch (e) { process.stdout.write(JSON.stringify({ error: e.message })); }
`;

function runBundled(define: Record<string, string> | undefined): { ok?: unknown; error?: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'deployed-config-'));
  try {
    const outfile = path.join(outdir, 'index.js');
    buildSync({
      stdin: { contents: ENTRY, resolveDir: __dirname, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile,
      logLevel: 'error',
      ...(define ? { define } : {}),
    });
    return JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8' })) as { ok?: unknown; error?: string };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('deployed platform config', () => {
  it('is the config the bundler was given, validated', () => {
    expect(runBundled(platformConfigDefine(PLATFORM_CONFIG)).ok).toEqual(PLATFORM_CONFIG);
  });

  it('refuses to run when the function was bundled without one (no fallback to the GitOps branch)', () => {
    expect(runBundled(undefined).error).toMatch(/bundled without a platform config/);
    expect(() => deployedPlatformConfig()).toThrow(/bundled without a platform config/);
  });

  it('refuses a bundled config that is not a valid platform config, naming the key', () => {
    const broken = { ...PLATFORM_CONFIG, network: { ...PLATFORM_CONFIG.network, vpcCidr: 'not-a-cidr' } };
    expect(runBundled({ __OPENCLAW_PLATFORM_CONFIG__: JSON.stringify(broken) }).error).toMatch(/network\.vpcCidr/);
  });
});
