/**
 * The auth UI the edge serves is packages/auth-ui's build output. A fresh
 * clone has none, and a stale one would hide a change to the UI, so the
 * platform builds it when `dist/` is missing or older than any source file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AUTH_UI_DIST, AUTH_UI_PACKAGE, REPOSITORY_ROOT } from '@openclaw-tenancy/tenant-manifests';
import { runHostCommand } from './host/system-commands';

const AUTH_UI_SRC = path.join(AUTH_UI_PACKAGE, 'src');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the auth UI when needed; returns whether it did. */
export async function ensureAuthUiBuilt(): Promise<boolean> {
  const built = path.join(AUTH_UI_DIST, 'index.html');
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestMtime(AUTH_UI_SRC)) return false;
  await runHostCommand('npm', ['run', '--silent', '-w', '@openclaw-tenancy/auth-ui', 'build'], { cwd: REPOSITORY_ROOT });
  return true;
}
