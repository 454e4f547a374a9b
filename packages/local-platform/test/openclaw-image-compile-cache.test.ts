import { GATEWAY_COMPILE_CACHE_DIR } from '@openclaw-tenancy/tenant-manifests';
import { ImageMismatchError, localOpenClawImage } from '../src/pods/openclaw-image';

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

  it('reads the version from the tag of a digest-pinned reference, and refuses another version', () => {
    const digest = `sha256:${'d'.repeat(64)}`;
    expect(() => localOpenClawImage(`ghcr.io/openclaw/openclaw:2026.9.6@${digest}`, runtime)).not.toThrow();
    expect(() => localOpenClawImage(`ghcr.io/openclaw/openclaw:2026.9.7@${digest}`, runtime)).toThrow(ImageMismatchError);
  });
});
