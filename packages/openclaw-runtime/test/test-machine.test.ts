import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPOSITORY_ROOT } from '@openclaw-tenancy/tenant-manifests';
import { MissingPrerequisiteError, PREPARE_COMMAND, TEST_COMMAND, findOnPath, prepareTestMachine, requireTestPrerequisites } from '../src';
import { runtimeLayout, writeMarker } from '../src/layout';

const CLI = path.join(REPOSITORY_ROOT, 'packages', 'openclaw-runtime', 'src', 'cli.ts');
const TSX = require.resolve('tsx/cli');
const NOBODY = 65534;

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'test-machine-'));
  fs.chmodSync(tmp, 0o755);
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A bin folder holding executables with these names (and nothing else), for a PATH that lacks the rest. */
function binDir(...commands: string[]): string {
  const dir = path.join(tmp, 'bin');
  fs.mkdirSync(dir, { recursive: true });
  for (const command of commands) fs.writeFileSync(path.join(dir, command), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return dir;
}

describe('findOnPath', () => {
  it('finds executables only, in PATH order', () => {
    const dir = binDir('chromium');
    fs.writeFileSync(path.join(dir, 'not-executable'), '', { mode: 0o644 });
    expect(findOnPath('chromium', { PATH: `/nonexistent:${dir}` })).toBe(path.join(dir, 'chromium'));
    expect(findOnPath('not-executable', { PATH: dir })).toBeUndefined();
    expect(findOnPath('chromium', { PATH: '' })).toBeUndefined();
  });
});

describe('requireTestPrerequisites', () => {
  it('returns the path of each command it was asked for when all are present', () => {
    const dir = binDir('chromium', 'ip');
    expect(requireTestPrerequisites(['chromium', 'iproute2'], { env: { PATH: dir } })).toEqual({
      chromium: path.join(dir, 'chromium'),
      iproute2: path.join(dir, 'ip'),
    });
  });

  it('fails naming chromium and the apt-get command when chromium is not on PATH', () => {
    const dir = binDir('ip');
    const attempt = (): unknown => requireTestPrerequisites(['chromium', 'iproute2'], { env: { PATH: dir }, isRoot: true });
    expect(attempt).toThrow(MissingPrerequisiteError);
    expect(attempt).toThrow(/- chromium \(.*browser tests.*\): apt-get install -y chromium \(or npm test as root, which installs it\)/);
    expect(attempt).not.toThrow(/iproute2/);
  });

  it('tells a non-root user to use sudo, and names root itself when root is required', () => {
    const attempt = (): unknown => requireTestPrerequisites(['root', 'iproute2'], { env: { PATH: binDir() }, isRoot: false });
    expect(attempt).toThrow(/- root \(.*network and mount namespaces\): run the tests as root \(sudo npm test\)/);
    expect(attempt).toThrow(/- iproute2 .*: sudo apt-get install -y iproute2/);
  });

  it('names the ensure command when the OpenClaw runtime is not cached, and passes once it is', () => {
    const cacheDir = path.join(tmp, 'cache');
    expect(() => requireTestPrerequisites(['openclaw-runtime'], { runtimeCacheDir: cacheDir })).toThrow(
      /openclaw-runtime .*: npm run -w @openclaw-tenancy\/openclaw-runtime ensure/,
    );
    const layout = runtimeLayout(cacheDir);
    for (const file of [layout.nodeBinary, layout.openclawEntry]) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '');
    }
    fs.mkdirSync(layout.openclawDir, { recursive: true });
    writeMarker(layout.nodeMarker, 'x');
    writeMarker(layout.openclawMarker, 'x');
    expect(requireTestPrerequisites(['openclaw-runtime'], { runtimeCacheDir: cacheDir })).toEqual({});
  });
});

describe('prepareTestMachine', () => {
  it('refuses a non-root user before installing anything, naming every missing package and the sudo command', async () => {
    const log: string[] = [];
    const started = Date.now();
    const error = await prepareTestMachine({
      env: { PATH: binDir('apt-get') },
      isRoot: false,
      log: (l) => log.push(l),
      runtimeCacheDir: path.join(tmp, 'cache'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingPrerequisiteError);
    const names = (error as MissingPrerequisiteError).missing.map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['root', 'chromium', 'iproute2', 'git']));
    expect((error as Error).message).toMatch(/sudo apt-get install -y chromium .*iproute2 git/);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(log).toEqual([]);
    expect(fs.existsSync(path.join(tmp, 'cache'))).toBe(false);
  });

  it('as root without apt-get, names the Debian packages to install with the machine package manager', async () => {
    const error = await prepareTestMachine({
      env: { PATH: binDir('ip', 'git') },
      isRoot: true,
      log: () => undefined,
      runtimeCacheDir: path.join(tmp, 'cache'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingPrerequisiteError);
    expect((error as Error).message).toMatch(
      /- chromium .*: no apt-get on this machine: install chromium.* with its package manager \(Debian names\), then npm test again/,
    );
    expect((error as MissingPrerequisiteError).missing.map((m) => m.name)).not.toContain('iproute2');
    expect(fs.existsSync(path.join(tmp, 'cache'))).toBe(false);
  });

  it('as root with apt-get, runs apt-get for exactly the missing packages, retries a busy apt, and checks again', async () => {
    // A stand-in apt-get that records its calls, fails the first install (a held lock), then "installs" the package as a command.
    const dir = binDir('ip');
    const calls = path.join(tmp, 'apt-calls');
    fs.writeFileSync(
      path.join(dir, 'apt-get'),
      `#!/bin/sh\necho "$*" >> ${calls}\n[ "$1" = install ] || exit 0\nif [ ! -e ${tmp}/busy-once ]; then : > ${tmp}/busy-once; echo 'Could not get lock' >&2; exit 100; fi\nprintf '#!/bin/sh\\n' > ${dir}/fake-browser; /bin/chmod +x ${dir}/fake-browser\n`,
      { mode: 0o755 },
    );
    const prerequisites = [
      { name: 'fake-browser', aptPackage: 'fake-browser-pkg', neededFor: 'a test', probe: { kind: 'command', command: 'fake-browser' } },
      { name: 'iproute2', aptPackage: 'iproute2', neededFor: 'a test', probe: { kind: 'command', command: 'ip' } },
    ] as const;
    const log: string[] = [];
    const prepared = await prepareTestMachine({
      env: { PATH: dir },
      isRoot: true,
      log: (l) => log.push(l),
      installRuntime: false,
      prerequisites,
      aptRetryDelayMs: 10,
    });
    expect(prepared.installedPackages).toEqual(['fake-browser-pkg']);
    expect(fs.readFileSync(calls, 'utf8').trim().split('\n')).toEqual([
      'update -qq',
      'install -y -qq fake-browser-pkg',
      'update -qq',
      'install -y -qq fake-browser-pkg',
    ]);
    expect(log.join('\n')).toMatch(/attempt 1 of 5[\s\S]*Could not get lock[\s\S]*attempt 2 of 5/);
  });

  it('fails naming the package when apt-get succeeds but the prerequisite is still missing', async () => {
    const dir = binDir('apt-get');
    const prerequisites = [
      { name: 'fake-browser', aptPackage: 'fake-browser-pkg', neededFor: 'a test', probe: { kind: 'command', command: 'fake-browser' } },
    ] as const;
    await expect(
      prepareTestMachine({ env: { PATH: dir }, isRoot: true, log: () => undefined, installRuntime: false, prerequisites }),
    ).rejects.toThrow(
      /apt-get ran, yet prerequisites are missing:\n  - fake-browser .*: apt-get installed fake-browser-pkg but it is still not found; check that `fake-browser` is on PATH/,
    );
  });

  it("gives up after the configured attempts with apt-get's last error", async () => {
    const dir = binDir();
    fs.writeFileSync(path.join(dir, 'apt-get'), "#!/bin/sh\necho 'E: Unable to locate package fake-browser-pkg' >&2\nexit 100\n", {
      mode: 0o755,
    });
    const prerequisites = [
      { name: 'fake-browser', aptPackage: 'fake-browser-pkg', neededFor: 'a test', probe: { kind: 'command', command: 'fake-browser' } },
    ] as const;
    await expect(
      prepareTestMachine({
        env: { PATH: dir },
        isRoot: true,
        log: () => undefined,
        installRuntime: false,
        prerequisites,
        aptAttempts: 2,
        aptRetryDelayMs: 1,
      }),
    ).rejects.toThrow('apt-get install fake-browser-pkg failed 2 times; last error: E: Unable to locate package fake-browser-pkg');
  });
});

describe('the prepare-test-machine command', () => {
  // The real CLI in a child process, so the quick exit is measured end to end.
  function runCli(
    args: string[],
    env: NodeJS.ProcessEnv,
    uid?: number,
  ): { status: number | null; stdout: string; stderr: string; ms: number } {
    const started = Date.now();
    const r = spawnSync(process.execPath, [TSX, CLI, ...args], {
      env,
      encoding: 'utf8',
      timeout: 30_000,
      ...(uid === undefined ? {} : { uid, gid: uid }),
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
  }
  function nodeOnly(): NodeJS.ProcessEnv {
    const scratch = path.join(tmp, 'scratch');
    fs.mkdirSync(scratch, { recursive: true, mode: 0o1777 });
    fs.chmodSync(scratch, 0o1777);
    return { PATH: binDir(), HOME: scratch, TMPDIR: scratch, OPENCLAW_RUNTIME_CACHE: path.join(tmp, 'cache') };
  }

  const asRoot = process.geteuid?.() === 0 ? it : it.skip;

  asRoot(
    'run as a non-root user with chromium off PATH: exits 1 within seconds naming root, chromium and the fix, and installs nothing',
    () => {
      const r = runCli(['prepare-test-machine'], nodeOnly(), NOBODY);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/npm test cannot prepare this machine; missing:/);
      expect(r.stderr).toMatch(/- root .*: run sudo npm test/);
      expect(r.stderr).toMatch(/- chromium .*: no apt-get on this machine/);
      expect(r.ms).toBeLessThan(15_000);
      expect(fs.existsSync(path.join(tmp, 'cache'))).toBe(false);
    },
  );

  it('--json reports the missing prerequisites as data', () => {
    const r = runCli(['check-test-machine', '--json'], nodeOnly());
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { ok: boolean; missing: { name: string; fix: string }[] };
    expect(out.ok).toBe(false);
    expect(out.missing.map((m) => m.name)).toEqual(expect.arrayContaining(['chromium', 'iproute2', 'git', 'openclaw-runtime']));
  });

  it('--help lists every command; an unknown command exits 2 with the usage', () => {
    const help = runCli(['--help'], nodeOnly());
    expect(help.status).toBe(0);
    for (const command of ['prepare-test-machine', 'check-test-machine', 'ensure', 'print-paths', 'schema'])
      expect(help.stdout).toContain(command);
    const bad = runCli(['prepare'], nodeOnly());
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown command "prepare"[\s\S]*usage:/);
  });
});

describe('the README test command', () => {
  // The README's fenced commands, .ci/run and the root test script must name the same single command.
  const readme = fs.readFileSync(path.join(REPOSITORY_ROOT, 'README.md'), 'utf8');
  const freshMachine = readme.slice(
    readme.indexOf('## On a fresh machine'),
    readme.indexOf('\n## ', readme.indexOf('## On a fresh machine') + 1),
  );
  const commands = [...freshMachine.matchAll(/```bash\n([\s\S]*?)```/g)]
    .flatMap((m) => (m[1] ?? '').split('\n'))
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);

  it('is TEST_COMMAND, after npm ci, in the README', () => {
    expect(commands).toEqual(['npm ci && npm run synth', TEST_COMMAND]);
  });

  it('is what .ci/run runs after npm ci, with no other set-up of its own', () => {
    const ci = fs
      .readFileSync(path.join(REPOSITORY_ROOT, '.ci', 'run'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !l.startsWith('echo'));
    expect(ci.slice(-2)).toEqual(['npm ci --no-audit --no-fund', TEST_COMMAND]);
    expect(ci.join('\n')).not.toMatch(/apt-get|ensure|chromium/);
  });

  it('prepares the machine before any test target runs', () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
      .scripts;
    expect(scripts.test).toMatch(/^npm run --silent prepare-test-machine && nx run-many -t /);
    expect(scripts['prepare-test-machine']).toBe(`npm run --silent -w @openclaw-tenancy/openclaw-runtime prepare-test-machine`);
    expect(PREPARE_COMMAND).toBe('npm run -w @openclaw-tenancy/openclaw-runtime prepare-test-machine');
  });
});
