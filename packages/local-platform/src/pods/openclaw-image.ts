/**
 * The local stand-in for the OpenClaw container image: the pinned openclaw
 * package from `packages/openclaw-runtime`'s cache as the image's `/app`
 * (its dependencies at `/node_modules`, where Node's resolution from `/app`
 * finds them) and Node.js 24 at `/usr/local`, as in the official Node images.
 * The Deployment's own command (`node dist/index.js gateway run`, working
 * directory `/app`) then runs unchanged.
 */
import * as path from 'node:path';
import type { OpenClawRuntime } from '@openclaw-tenancy/openclaw-runtime';
import { GATEWAY_COMPILE_CACHE_DIR } from '@openclaw-tenancy/tenant-manifests';
import type { SandboxMount } from './pod-sandbox';

/** The PATH of the official Node images. */
export const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface LocalImage {
  readonly mounts: readonly SandboxMount[];
  readonly env: Readonly<Record<string, string>>;
}

export class ImageMismatchError extends Error {
  constructor(image: string, version: string) {
    super(
      `the manifests ask for image ${image}, but the local runtime provides openclaw ${version} (change OPENCLAW_VERSION in packages/openclaw-runtime to match)`,
    );
    this.name = 'ImageMismatchError';
  }
}

/**
 * The image for `reference` (e.g. `ghcr.io/openclaw/openclaw:2026.9.6`, optionally `@sha256:…`); its tag must be the
 * cached openclaw version.
 * `compileCacheDir` stands in for the image's compile cache: the cluster image carries one warmed at build time and
 * read-only; here it is a host directory of the one tenant, outside its volume, warmed by its first start.
 */
export function localOpenClawImage(
  reference: string,
  runtime: Pick<OpenClawRuntime, 'nodeDir' | 'openclawDir' | 'openclawVersion'>,
  compileCacheDir?: string,
): LocalImage {
  // `<repository>:<tag>@<digest>` when the config pins a digest: the tag names the version.
  const named = reference.split('@')[0] ?? reference;
  const tag = named.slice(named.lastIndexOf(':') + 1);
  if (tag !== runtime.openclawVersion) throw new ImageMismatchError(reference, runtime.openclawVersion);
  const nodeModules = path.join(runtime.openclawDir, 'node_modules');
  return {
    mounts: [
      { kind: 'bind', source: runtime.nodeDir, target: '/usr/local', readOnly: true },
      { kind: 'bind', source: path.join(nodeModules, 'openclaw'), target: '/app', readOnly: true },
      { kind: 'bind', source: nodeModules, target: '/node_modules', readOnly: true },
      ...(compileCacheDir ? [{ kind: 'bind' as const, source: compileCacheDir, target: GATEWAY_COMPILE_CACHE_DIR, readOnly: false }] : []),
    ],
    env: {
      PATH: IMAGE_PATH,
      // The platform runs offline: npm answers from its cache at once instead of retrying the network for
      // minutes when OpenClaw tries to fetch a plugin the config names (@openclaw/amazon-bedrock-provider).
      npm_config_offline: 'true',
    },
  };
}
