/**
 * The tenant image's compile-cache warm-up (`images/openclaw-tenant/warm-compile-cache.sh`), run as the
 * image runs it: by an unprivileged uid, against the pinned openclaw and Node.js of the local runtime
 * (the image's, on this machine's architecture). Then the cache is made read-only, as the image makes
 * it, and the gateway's uid must read from it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireTestPrerequisites, resolveCacheDir, runtimeLayout } from '@openclaw-tenancy/openclaw-runtime';
import { TENANT_IMAGE_DIRECTORY } from '../src';

jest.setTimeout(240_000);

const UNPRIVILEGED = '65534';

describe('the image compile-cache warm-up', () => {
  let dir: string;
  beforeAll(() => {
    requireTestPrerequisites(['root', 'openclaw-runtime']);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compile-cache-warm-'));
    fs.chmodSync(dir, 0o755);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('warms a cache the gateway uid reads once it is read-only', () => {
    const layout = runtimeLayout(resolveCacheDir());
    const app = path.join(layout.openclawDir, 'node_modules', 'openclaw');
    // The folders the unprivileged uid may write, as in the image: the cache (until it is made read-only) and a temp folder.
    const [cache, tmp] = ['compile-cache', 'tmp'].map((name) => {
      const folder = path.join(dir, name);
      fs.mkdirSync(folder);
      fs.chownSync(folder, Number(UNPRIVILEGED), Number(UNPRIVILEGED));
      return folder;
    }) as [string, string];
    const env = { ...process.env, PATH: `${path.dirname(layout.nodeBinary)}:${process.env.PATH}`, TMPDIR: tmp };
    const asGateway = (args: string[], extra: Record<string, string> = {}) =>
      spawnSync('setpriv', [`--reuid=${UNPRIVILEGED}`, `--regid=${UNPRIVILEGED}`, '--clear-groups', ...args], {
        env: { ...env, HOME: tmp, ...extra },
        encoding: 'utf8',
        // Node's compile-cache debug output is a line per module: several MiB.
        maxBuffer: 256 * 1024 * 1024,
      });

    const warm = asGateway(['sh', path.join(TENANT_IMAGE_DIRECTORY, 'warm-compile-cache.sh'), cache, app, '18999']);
    expect({ status: warm.status, stderr: warm.stderr }).toEqual({ status: 0, stderr: '' });
    const folders = fs.readdirSync(cache);
    // Node keys the folder by its version and the uid that wrote it.
    expect(folders).toEqual([expect.stringMatching(new RegExp(`^v\\d+\\.\\d+\\.\\d+-.*-${UNPRIVILEGED}$`))]);
    expect(fs.readdirSync(path.join(cache, folders[0] as string)).length).toBeGreaterThan(100);

    execFileSync('chown', ['-R', 'root:root', cache]);
    execFileSync('chmod', ['-R', 'a-w,a+rX', cache]);
    const read = asGateway([layout.nodeBinary, path.join(app, 'dist', 'index.js'), '--help'], {
      NODE_COMPILE_CACHE: cache,
      NODE_DEBUG_NATIVE: 'COMPILE_CACHE',
    });
    expect({ status: read.status, error: read.error?.message }).toEqual({ status: 0, error: undefined });
    const hits = (read.stderr.match(/reading cache from .*\.\.\. success/g) ?? []).length;
    expect(hits).toBeGreaterThan(50);
    // The cache stays enabled (a module the warm-up did not load is only not written back).
    expect(read.stderr).not.toMatch(/Cannot create cache directory/);
  });
});
