/** Headless Debian Chromium driven by playwright-core (no browser download: `npm test` installs the apt package). */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { HEADLESS_CHROMIUM_FLAGS, requireTestPrerequisites } from '@openclaw-tenancy/openclaw-runtime';
import { TEST_ARTIFACTS_DIR } from '@openclaw-tenancy/tenant-manifests';
import { Browser, Page, chromium } from 'playwright-core';

export async function launchChromium(): Promise<Browser> {
  const executablePath = requireTestPrerequisites(['chromium', 'fonts-liberation']).chromium as string;
  return chromium.launch({ executablePath, headless: true, args: [...HEADLESS_CHROMIUM_FLAGS] });
}

/** Screenshots go to <repo>/test-artifacts/auth-ui/ (gitignored) for a person to look at. */
export const ARTIFACTS_DIR = path.join(TEST_ARTIFACTS_DIR, 'auth-ui');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}
