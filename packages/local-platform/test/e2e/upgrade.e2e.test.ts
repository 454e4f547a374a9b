/**
 * An image rollout in health-gated waves on the local platform, end to end:
 * three invited tenants with real gateways; `npm run local:upgrade` of a
 * build this machine does not have stops after the first wave with the other
 * two untouched (their gateways never restarted), `--rollback`
 * returns the first, and a rollout of the build this machine has moves one
 * tenant, proves it, then the rest. Needs root, `git` and iproute2.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { requireTestPrerequisites } from '@openclaw-tenancy/openclaw-runtime';
import { tenantNames } from '@openclaw-tenancy/shared';
import { REPOSITORY_ROOT, TENANT_MANIFEST_FILE } from '@openclaw-tenancy/tenant-manifests';
import { stateLayout } from '../../src/state-layout';
import { PlatformProcess, platformArgs, startPlatformProcess } from '../support/platform-process';
import { podPids } from '../support/pod-processes';
import { requireRoot } from '../support/root-required';

jest.setTimeout(15 * 60_000);

const execFileAsync = promisify(execFile);
const PREFIX = 'ocup';
const TENANTS = ['amy', 'ben', 'cat'];
const ARGS = (stateDir: string) =>
  platformArgs({
    stateDir,
    subnet: '10.244',
    namePrefix: PREFIX,
    identityPort: 19244,
    secretsPort: 14544,
    gitPort: 39444,
    loopbackPort: 18244,
    modelPort: 14644,
  });

interface CommandRun {
  readonly code: number;
  readonly json: Record<string, any>;
  readonly stderr: string;
}

describe('image rollout in waves on the local platform (`npm run local:upgrade`)', () => {
  let stateDir: string;
  let platform: PlatformProcess;
  let localBuild: string;

  async function upgrade(...args: string[]): Promise<CommandRun> {
    const run = await execFileAsync('npm', ['run', '--silent', 'local:upgrade', '--', ...args, '--state-dir', stateDir, '--json'], {
      cwd: REPOSITORY_ROOT,
      encoding: 'utf8',
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
    return { code: run.code, json: JSON.parse(run.stdout), stderr: run.stderr };
  }
  /** The image a tenant's folder asks for at the tip of the local GitOps remote. */
  const deployedImage = (id: string): string | undefined => {
    const text = execFileSync(
      'git',
      ['--git-dir', stateLayout(stateDir).gitopsBareRepo, 'show', `main:${tenantNames(id).deployDir}/${TENANT_MANIFEST_FILE}`],
      { encoding: 'utf8' },
    );
    return /^\s+image: (\S+)$/m.exec(text)?.[1];
  };
  const startLines = (id: string) => platform.lines.filter((l) => new RegExp(`tenant ${id}: starting its gateway`).test(l)).length;
  const readyLines = (id: string) => platform.lines.filter((l) => new RegExp(`tenant ${id}: ready in`).test(l)).length;
  const waitReady = async (id: string, count: number) => {
    for (let i = 0; i < 600 && readyLines(id) < count; i++) await new Promise((r) => setTimeout(r, 500));
    expect(readyLines(id)).toBeGreaterThanOrEqual(count);
  };

  beforeAll(async () => {
    requireRoot();
    requireTestPrerequisites(['iproute2', 'git', 'openclaw-runtime']);
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-platform-upgrade-'));
    platform = startPlatformProcess(ARGS(stateDir));
    localBuild =
      (await platform.waitForLine(/tenant image on this machine: \S+ \(npm run local:upgrade -- --image (\S+)\)/, 10 * 60_000))[1] ?? '';
    await platform.waitForLine(/open (http:\/\/\S+) and sign up/, 60_000);
    for (const id of TENANTS) {
      await execFileAsync('npm', ['run', '--silent', 'local:invite', '--', `${id}@example.com`, '--state-dir', stateDir, '--json'], {
        cwd: REPOSITORY_ROOT,
        encoding: 'utf8',
      });
    }
    for (const id of TENANTS) await waitReady(id, 1);
  });

  afterAll(async () => {
    await platform?.stop();
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('stops at the first wave when its gateway cannot start the build; the other two keep running the old image, untouched', async () => {
    const before = deployedImage('ben');
    const starts = ['ben', 'cat'].map(startLines);
    const r = await upgrade('--image', '2026.99.0', '--waves', '1,100%', '--wave-timeout', '300');
    expect(r.code).toBe(4);
    expect(r.json).toMatchObject({ outcome: 'stopped', stoppedBy: 'unhealthy', rollout: { done: 1, total: 3 } });
    expect(r.json.error).toMatch(/^wave 1: amy failed on ghcr\.io\/openclaw\/openclaw:2026\.99\.0/);
    expect(r.json.rollout.waves[0].health.amy.detail).toMatch(/the local runtime provides openclaw/);
    expect(deployedImage('amy')).toBe('ghcr.io/openclaw/openclaw:2026.99.0');
    expect(['ben', 'cat'].map(deployedImage)).toEqual([before, before]);
    // Their gateways were never stopped or started again.
    expect(['ben', 'cat'].map(startLines)).toEqual(starts);
    expect(['ben', 'cat'].every((id) => podPids(`${PREFIX}-t-${id}`).length > 0)).toBe(true);
    // A second run re-checks amy first and stops again without moving anyone else.
    const again = await upgrade('--image', '2026.99.0', '--waves', '1,100%', '--wave-timeout', '300');
    expect(again.code).toBe(4);
    expect(again.json.error).toMatch(/^tenants moved by an earlier run: amy failed/);
    expect(['ben', 'cat'].map(deployedImage)).toEqual([before, before]);
  });

  it('--rollback returns amy to the platform image and her gateway runs again', async () => {
    const readyBefore = readyLines('amy');
    const r = await upgrade('--rollback');
    expect(r.code).toBe(0);
    expect(r.json.result).toMatchObject({ toPlatformImage: true, complete: true, done: 3 });
    expect(r.json.result.waves.map((w: { tenants: string[] }) => w.tenants)).toEqual([['amy']]);
    expect(TENANTS.map(deployedImage)).toEqual(TENANTS.map(() => 'ghcr.io/openclaw/openclaw:2026.9.6'));
    await waitReady('amy', readyBefore + 1);
  });

  it("rolls this machine's build out: amy first, proven ready, then ben and cat", async () => {
    const benStarts = startLines('ben');
    const from = platform.lines.length;
    const r = await upgrade('--image', localBuild, '--waves', '1,100%', '--wave-timeout', '300');
    expect(r.code).toBe(0);
    expect(r.json.result).toMatchObject({ complete: true, done: 3, total: 3 });
    expect(r.json.result.waves.map((w: { tenants: string[] }) => w.tenants)).toEqual([['amy'], ['ben', 'cat']]);
    for (const id of TENANTS) expect(deployedImage(id)).toBe(`ghcr.io/openclaw/openclaw:${localBuild}`);
    // Wave 2 was committed only after amy's gateway of the new build was ready.
    const lines = platform.lines.slice(from);
    const amyReady = lines.findIndex((l) => /tenant amy: ready in/.test(l));
    const wave2 = lines.findIndex((l) => /upgrade: wave 2 of 2: ben, cat/.test(l));
    expect(amyReady).toBeGreaterThanOrEqual(0);
    expect(wave2).toBeGreaterThan(amyReady);
    expect(startLines('ben')).toBe(benStarts + 1);
    expect(podPids(`${PREFIX}-t-ben`).length).toBeGreaterThan(0);
  });
});
