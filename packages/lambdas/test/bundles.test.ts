/**
 * The deployed artifacts: each function bundled with bundling.json (what the
 * CDK app should use) loads in a fresh Node process, and the modules it loads
 * on first use (dynamic imports) resolve inside the bundle and produce exactly
 * what the source produces.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { FUNCTION_ENV, PLATFORM_FUNCTIONS, newTenantRecord } from '@openclaw-tenancy/shared';
import {
  EXAMPLE_PLATFORM_CONFIG,
  loadPlatformConfigText,
  serializeTenantRecord,
  synthesizeTenantFiles,
} from '@openclaw-tenancy/tenant-manifests';
import { build } from 'esbuild';
import { BUNDLING, esbuildOptions } from '../scripts/bundles';
import { startTestTables } from './support/test-tables';

// esbuild and fresh Node processes on a shared 2-core machine.
jest.setTimeout(120000);

const ROOT = path.resolve(__dirname, '..');
const CONFIG_TEXT = fs.readFileSync(EXAMPLE_PLATFORM_CONFIG, 'utf8');
const RECORD = newTenantRecord({
  id: 'jane',
  owner: '0000000a-aaaa-4bbb-8ccc-000000000001',
  tier: 'standard',
  runtime: 'runc',
  createdAt: new Date('2026-11-25T13:20:00Z'),
});

/** Bundles each entry (module source, resolved from src/handlers) exactly as the deployed functions are bundled. */
async function buildWithBundlingJson(outdir: string, entries: Record<string, string>): Promise<void> {
  for (const [name, contents] of Object.entries(entries)) {
    await build({
      stdin: { contents, resolveDir: path.join(ROOT, 'src', 'handlers'), sourcefile: `${name}-entry.ts`, loader: 'ts' },
      ...esbuildOptions(BUNDLING),
      outfile: path.join(outdir, name, 'index.js'),
    });
  }
}

describe('bundles built with bundling.json', () => {
  let outdir: string;
  beforeAll(async () => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-bundles-'));
    await buildWithBundlingJson(outdir, {
      ...Object.fromEntries(PLATFORM_FUNCTIONS.map((fn) => [fn, `export { handler } from './${fn}';`])),
      renderer: `export { tenantManifestsRenderer } from '../adapters/tenant-manifests-renderer';`,
    });
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it.each(PLATFORM_FUNCTIONS)('%s loads in a fresh process and exports its handler, without the AWS SDK from node_modules', (fn) => {
    const file = path.join(outdir, fn, 'index.js');
    // Loaded from a directory with no node_modules above it: only the bundle itself (and Node) is there.
    const out = execFileSync(
      process.execPath,
      ['--enable-source-maps', '-e', `const m = require(${JSON.stringify(file)}); process.stdout.write(typeof m.handler)`],
      {
        cwd: outdir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', NODE_NO_WARNINGS: '1' },
      },
    );
    expect(out).toBe('function');
    expect(fs.readFileSync(file, 'utf8')).not.toMatch(/require\("@aws-sdk\/client-/);
  });

  it('loads the codec and the charts on first use inside the bundle and writes byte-for-byte what the source writes', () => {
    const file = path.join(outdir, 'renderer', 'index.js');
    const script = `
      const { tenantManifestsRenderer: r } = require(${JSON.stringify(file)});
      (async () => {
        const config = ${JSON.stringify(loadPlatformConfigText(CONFIG_TEXT, 'config/platform.yaml'))};
        const record = await r.parseTenantRecord(${JSON.stringify(serializeTenantRecord(RECORD))}, 'tenants/jane.yaml');
        const files = await r.synthesizeTenantFiles(record, config);
        process.stdout.write(JSON.stringify({ files, serialized: await r.serializeTenantRecord(record) }));
      })();`;
    const out = JSON.parse(
      execFileSync(process.execPath, ['-e', script], {
        cwd: outdir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, NODE_NO_WARNINGS: '1' },
      }),
    );
    expect(out.serialized).toBe(serializeTenantRecord(RECORD));
    expect(out.files).toEqual(synthesizeTenantFiles(RECORD, loadPlatformConfigText(CONFIG_TEXT, 'config/platform.yaml')));
  });

  it('runs: the bundled pre-signup admits a sign-up against dynalite with only the environment (credentials, endpoint, config)', async () => {
    const tables = await startTestTables();
    try {
      const event = {
        version: '1',
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_pool',
        userName: 'jane',
        triggerSource: 'PreSignUp_SignUp',
        callerContext: { awsSdkVersion: 'x', clientId: 'client' },
        request: { userAttributes: { email: 'jane@example.com' } },
        response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      };
      const script = `require(${JSON.stringify(path.join(outdir, 'pre-signup', 'index.js'))}).handler(${JSON.stringify(event)}).then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); })`;
      const out = await new Promise<string>((resolve, reject) => {
        // Asynchronously: dynalite answers from this process.
        execFile(
          process.execPath,
          ['-e', script],
          {
            cwd: outdir,
            env: {
              PATH: process.env.PATH,
              NODE_NO_WARNINGS: '1',
              POWERTOOLS_LOG_LEVEL: 'SILENT',
              AWS_REGION: 'eu-west-1',
              AWS_ACCESS_KEY_ID: 'local',
              AWS_SECRET_ACCESS_KEY: 'local',
              AWS_SESSION_TOKEN: 'local',
              AWS_ENDPOINT_URL_DYNAMODB: tables.dynamo.endpoint,
              [FUNCTION_ENV.allowedEmailDomains]: '["example.com"]',
              [FUNCTION_ENV.maxTenants]: '10',
              [FUNCTION_ENV.tenantTable]: tables.tenantTable,
              [FUNCTION_ENV.signupGuardTable]: tables.signupGuardTable,
            },
          },
          (error: Error | null, stdout: string, stderr: string) =>
            error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
        );
      });
      expect(JSON.parse(out)).toEqual(event);
      const counters = (await tables.db.send(new ScanCommand({ TableName: tables.signupGuardTable }))).Items ?? [];
      // The attempt counted for the address and for the platform's hour.
      expect(counters).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ attempts: 1, pk: expect.stringMatching(/^address#[0-9a-f]{64}#\d{4}-\d{2}-\d{2}T\d{2}$/) }),
          expect.objectContaining({ attempts: 1, pk: expect.stringMatching(/^platform#\d{4}-\d{2}-\d{2}T\d{2}$/) }),
        ]),
      );
      expect(counters).toHaveLength(2);
    } finally {
      await tables.close();
    }
  });
});
