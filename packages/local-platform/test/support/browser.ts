/** Headless Debian Chromium through playwright-core, each run with a fresh profile; screenshots for a person to look at. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HEADLESS_CHROMIUM_FLAGS, requireTestPrerequisites } from '@openclaw-tenancy/openclaw-runtime';
import { TEST_ARTIFACTS_DIR } from '@openclaw-tenancy/tenant-manifests';
import { BrowserContext, Page, chromium } from 'playwright-core';

/** <repo>/test-artifacts/local-platform (git-ignored). */
export const ARTIFACTS_DIR = path.join(TEST_ARTIFACTS_DIR, 'local-platform');

export interface BrowserProfile {
  readonly context: BrowserContext;
  readonly userDataDir: string;
  close(): Promise<void>;
}

export async function launchFreshProfile(): Promise<BrowserProfile> {
  const executablePath = requireTestPrerequisites(['chromium', 'fonts-liberation']).chromium as string;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-platform-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [...HEADLESS_CHROMIUM_FLAGS],
    viewport: { width: 1280, height: 860 },
  });
  return {
    context,
    userDataDir,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`) });
}
