import { GATEWAY_COMPILE_CACHE_DIR } from '@openclaw-tenancy/tenant-manifests';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ImageMismatchError, localImageBuild, localImageDigest, localOpenClawImage } from '../src/pods/openclaw-image';

const runtime = { nodeDir: '/cache/node', openclawDir: '/cache/openclaw', openclawVersion: '2026.9.6' };

describe('the compile cache of the local image', () => {
  it('mounts the tenant compile cache where the workload points NODE_COMPILE_CACHE', () => {
    const image = localOpenClawImage('ghcr.io/openclaw/openclaw:2026.9.6', runtime, '/state/tenants/alice/compile-cache');
    expect(image.mounts).toContainEqual({
      kind: 'bind',
      source: '/state/tenants/alice/compile-cache',
      target: GATEWAY_COMPILE_CACHE_DIR,
      readOnly: false,
    });
  });

  it('has no compile cache without a directory, and the code stays read-only either way', () => {
    const image = localOpenClawImage('ghcr.io/openclaw/openclaw:2026.9.6', runtime);
    expect(image.mounts.map((m) => m.target)).toEqual(['/usr/local', '/app', '/node_modules']);
    for (const m of localOpenClawImage('ghcr.io/openclaw/openclaw:2026.9.6', runtime, '/c').mounts)
      if (m.target !== GATEWAY_COMPILE_CACHE_DIR) expect(m).toMatchObject({ readOnly: true });
  });
});

describe('the one image this machine has', () => {
  let dir: string;
  let local: typeof runtime;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-image-'));
    fs.mkdirSync(path.join(dir, 'node_modules', 'openclaw'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'openclaw', 'package.json'), '{"name":"openclaw","version":"2026.9.6"}');
    local = { ...runtime, openclawDir: dir };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is named by its version, pinned by the digest of its build; another version or digest is not there (the local ErrImagePull)', () => {
    const build = localImageBuild(local);
    expect(build).toEqual({ tag: '2026.9.6', digest: expect.stringMatching(/^sha256:[a-f0-9]{64}$/) });
    for (const reference of [
      'ghcr.io/openclaw/openclaw:2026.9.6',
      `ghcr.io/openclaw/openclaw:2026.9.6@${build.digest}`,
      `registry.local:5000/openclaw/openclaw@${build.digest}`,
    ])
      expect(() => localOpenClawImage(reference, local)).not.toThrow();
    for (const reference of [
      `ghcr.io/openclaw/openclaw:2026.9.7@${build.digest}`,
      'ghcr.io/openclaw/openclaw:2026.99.0',
      `ghcr.io/openclaw/openclaw:2026.9.6@sha256:${'d'.repeat(64)}`,
      `ghcr.io/openclaw/openclaw@sha256:${'d'.repeat(64)}`,
      'registry.local:5000/openclaw/openclaw',
    ])
      expect(() => localOpenClawImage(reference, local)).toThrow(ImageMismatchError);
    expect(() => localOpenClawImage('ghcr.io/openclaw/openclaw:2026.99.0', local)).toThrow(
      `the manifests ask for image ghcr.io/openclaw/openclaw:2026.99.0, but the local runtime provides openclaw 2026.9.6 (${build.digest})`,
    );
  });

  it('has a digest that changes with the build', () => {
    const before = localImageDigest(local);
    fs.writeFileSync(path.join(dir, 'node_modules', 'openclaw', 'package.json'), '{"name":"openclaw","version":"2026.9.6","x":1}');
    expect(localImageDigest(local)).not.toBe(before);
  });
});
