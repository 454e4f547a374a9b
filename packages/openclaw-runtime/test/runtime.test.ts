import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CACHE_DIR_ENV,
  NODE_VERSION,
  OPENCLAW_VERSION,
  ensureOpenClawRuntime,
  openClawCliEnv,
  resolveCacheDir,
  runtimeLayout,
} from '../src';
import { REPOSITORY_ROOT } from '@openclaw-tenancy/tenant-manifests';
import { isNodeComplete, isOpenClawComplete, writeMarker } from '../src/layout';
import { withFileLock } from '../src/lock';
import { nestedNpmEnv } from '../src/process';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'openclaw-runtime-test-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function touch(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '');
}

describe('cache location', () => {
  it('defaults to .cache/openclaw-runtime at the repository root', () => {
    expect(fs.existsSync(path.join(REPOSITORY_ROOT, 'packages', 'openclaw-runtime', 'package.json'))).toBe(true);
    expect(resolveCacheDir({})).toBe(path.join(REPOSITORY_ROOT, '.cache', 'openclaw-runtime'));
  });

  it('honours the environment override and makes it absolute', () => {
    expect(resolveCacheDir({ [CACHE_DIR_ENV]: 'rel/cache' })).toBe(path.resolve('rel/cache'));
  });

  it('keeps each pinned version in its own folder', () => {
    const layout = runtimeLayout('/c');
    expect(layout.nodeBinary).toBe(`/c/node-v${NODE_VERSION}/bin/node`);
    expect(layout.openclawEntry).toBe(`/c/openclaw-${OPENCLAW_VERSION}/node_modules/openclaw/openclaw.mjs`);
  });
});

describe('completion markers', () => {
  it('treats an install without its marker as unfinished, and a marker without its product as stale', () => {
    const layout = runtimeLayout(tmp);
    touch(layout.nodeBinary);
    expect(isNodeComplete(layout)).toBe(false);
    writeMarker(layout.nodeMarker, NODE_VERSION);
    expect(isNodeComplete(layout)).toBe(true);

    fs.mkdirSync(layout.openclawDir, { recursive: true });
    writeMarker(layout.openclawMarker, OPENCLAW_VERSION);
    expect(isOpenClawComplete(layout)).toBe(false);
    touch(layout.openclawEntry);
    expect(isOpenClawComplete(layout)).toBe(true);
  });

  it('returns a complete cache without installing anything, with a single progress line', async () => {
    const layout = runtimeLayout(tmp);
    touch(layout.nodeBinary);
    touch(layout.openclawEntry);
    writeMarker(layout.nodeMarker, NODE_VERSION);
    writeMarker(layout.openclawMarker, OPENCLAW_VERSION);
    const lines: string[] = [];

    const runtime = await ensureOpenClawRuntime({ cacheDir: tmp, log: (line) => lines.push(line) });

    expect(runtime).toEqual({
      cacheDir: tmp,
      nodeVersion: NODE_VERSION,
      openclawVersion: OPENCLAW_VERSION,
      nodeDir: layout.nodeDir,
      nodeBinary: layout.nodeBinary,
      openclawDir: layout.openclawDir,
      openclawEntry: layout.openclawEntry,
      compileCacheDir: layout.compileCacheDir,
    });
    expect(lines).toHaveLength(1);
    expect(fs.existsSync(layout.lockFile)).toBe(false);
  });
});

describe('withFileLock', () => {
  it('runs holders of the same lock one after the other', async () => {
    const lockFile = path.join(tmp, 'lock');
    const events: string[] = [];
    const holder = (name: string) => () =>
      withFileLock(
        lockFile,
        () => undefined,
        async () => {
          events.push(`${name}:start`);
          await new Promise((resolve) => setTimeout(resolve, 150));
          events.push(`${name}:end`);
        },
      );

    await Promise.all([holder('a')(), holder('b')()]);

    expect(events).toHaveLength(4);
    expect(events[0]?.replace(':start', ':end')).toBe(events[1]);
    expect(events[2]?.replace(':start', ':end')).toBe(events[3]);
  });

  it('releases the lock when the guarded work throws', async () => {
    const lockFile = path.join(tmp, 'lock');
    await expect(
      withFileLock(
        lockFile,
        () => undefined,
        () => Promise.reject(new Error('boom')),
      ),
    ).rejects.toThrow('boom');
    await expect(
      withFileLock(
        lockFile,
        () => undefined,
        async () => 'again',
      ),
    ).resolves.toBe('again');
  });
});

describe('environments', () => {
  it('drops the npm_config_* an outer `npm run` exports, so a nested npm uses its own prefix', () => {
    const env = nestedNpmEnv('/node24/bin', { PATH: '/usr/bin', npm_config_local_prefix: '/repo', NPM_CONFIG_NODEDIR: '/usr', HOME: '/h' });
    expect(env).toEqual({ PATH: '/node24/bin:/usr/bin', HOME: '/h' });
  });

  it('runs the CLI with HOME, TMPDIR and state inside the sandbox and nothing inherited but PATH', () => {
    const env = openClawCliEnv({
      runtime: { nodeBinary: '/c/node/bin/node' },
      sandboxDir: '/sbx',
      configPath: '/cfg/openclaw.json',
      inheritedPath: '/usr/bin',
      env: { LOG: '1' },
    });
    expect(env).toEqual({
      PATH: '/c/node/bin:/usr/bin',
      HOME: '/sbx/home',
      TMPDIR: '/sbx/tmp',
      OPENCLAW_CONFIG_PATH: '/cfg/openclaw.json',
      OPENCLAW_STATE_DIR: '/sbx/state',
      LOG: '1',
    });
  });

  it('keeps the compile cache of CLI runs in the runtime cache, so a run does not compile OpenClaw again', () => {
    const env = openClawCliEnv({
      runtime: { nodeBinary: '/c/node/bin/node', compileCacheDir: '/c/openclaw/compile-cache' },
      sandboxDir: '/sbx',
    });
    expect(env.NODE_COMPILE_CACHE).toBe('/c/openclaw/compile-cache');
    expect(env.TMPDIR).toBe('/sbx/tmp');
  });
});
