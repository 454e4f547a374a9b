import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE_PLATFORM_CONFIG } from '@openclaw-tenancy/tenant-manifests';

const APP = path.join(__dirname, '..', 'bin', 'app.ts');
const TSX_CLI = require.resolve('tsx/cli');

function runApp(configPath: string): { status: number; stderr: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-out-'));
  try {
    execFileSync(process.execPath, [TSX_CLI, APP], {
      env: { ...process.env, OPENCLAW_PLATFORM_CONFIG: configPath, CDK_OUTDIR: outdir },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: 0, stderr: '' };
  } catch (e) {
    const err = e as { status: number; stderr: string };
    return { status: err.status, stderr: err.stderr };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('CDK entry point (bin/app.ts)', () => {
  test('fails if a config other than the example keeps example values: names the file it read and each key, builds nothing', () => {
    // GIVEN a copy of the example where only the account was changed
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-config-'));
    const file = path.join(dir, 'platform.yaml');
    fs.writeFileSync(file, fs.readFileSync(EXAMPLE_PLATFORM_CONFIG, 'utf8').replace(/111111111111/g, '222233334444'));
    // WHEN the app synthesizes from it
    const result = runApp(file);
    // THEN it says which config it used and refuses the example values by key
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`platform config: ${file}\n`);
    expect(result.stderr).toMatch(/is invalid:\n {2}- domain\.name: "ai\.example\.com" is the example's value; set your own/);
    expect(result.stderr).toContain('- gitops.repoUrl:');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
