/**
 * The local stand-in for the OpenClaw container image: the pinned openclaw
 * package from `packages/openclaw-runtime`'s cache as the image's `/app`
 * (its dependencies at `/node_modules`, where Node's resolution from `/app`
 * finds them) and Node.js 24 at `/usr/local`, as in the official Node images.
 * The Deployment's own command (`node dist/index.js gateway run`, working
 * directory `/app`) then runs unchanged.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NODE_VERSION, type OpenClawRuntime } from '@openclaw-tenancy/openclaw-runtime';
import type { ImageBuild } from '@openclaw-tenancy/shared';
import { GATEWAY_COMPILE_CACHE_DIR } from '@openclaw-tenancy/tenant-manifests';
import type { SandboxMount } from './pod-sandbox';

/** The PATH of the official Node images. */
export const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface LocalImage {
  readonly mounts: readonly SandboxMount[];
  readonly env: Readonly<Record<string, string>>;
}

/** The manifests ask for an image this machine does not have: the local ErrImagePull. */
export class ImageMismatchError extends Error {
  constructor(image: string, provided: string) {
    super(
      `the manifests ask for image ${image}, but the local runtime provides ${provided} (change OPENCLAW_VERSION in packages/openclaw-runtime to match)`,
    );
    this.name = 'ImageMismatchError';
  }
}

/**
 * The content digest of the one image this machine has: a hash of what
 * identifies the build (the openclaw package's manifest and the Node.js
 * version), so a reference pinned by digest names exactly this build, as
 * a registry digest names one image.
 */
export function localImageDigest(runtime: Pick<OpenClawRuntime, 'openclawDir'>): string {
  const manifest = fs.readFileSync(path.join(runtime.openclawDir, 'node_modules', 'openclaw', 'package.json'));
  return `sha256:${createHash('sha256').update(manifest).update(`\0node ${NODE_VERSION}`).digest('hex')}`;
}

/** The build this machine has, as `upgrade --image` takes it: `<openclaw version>@<local digest>`. */
export function localImageBuild(runtime: Pick<OpenClawRuntime, 'openclawDir' | 'openclawVersion'>): ImageBuild {
  return { tag: runtime.openclawVersion, digest: localImageDigest(runtime) };
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
  // `<repository>:<tag>`, `<repository>:<tag>@<digest>` or `<repository>@<digest>`: the tag names the version,
  // the digest the build.
  const [named = reference, digest] = reference.split('@');
  const lastSegment = named.slice(named.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : undefined;
  const provided = () => `openclaw ${runtime.openclawVersion} (${localImageDigest(runtime)})`;
  if ((tag ?? runtime.openclawVersion) !== runtime.openclawVersion || (tag === undefined && digest === undefined))
    throw new ImageMismatchError(reference, provided());
  if (digest !== undefined && digest !== localImageDigest(runtime)) throw new ImageMismatchError(reference, provided());
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
