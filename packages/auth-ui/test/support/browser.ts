/** Headless Debian Chromium driven by playwright-core (no browser download: `npm test` installs the apt package). */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { requireTestPrerequisites } from '@openclaw-tenancy/openclaw-runtime';
import { Browser, Page, chromium } from 'playwright-core';

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function launchChromium(): Promise<Browser> {
  const executablePath = requireTestPrerequisites(['chromium', 'fonts-liberation']).chromium as string;
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
}

/** Screenshots go to <repo>/test-artifacts/auth-ui/ (gitignored) for a person to look at. */
export const ARTIFACTS_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'test-artifacts', 'auth-ui');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}
