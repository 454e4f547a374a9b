/**
 * What a person does in the browser: sign up in the auth UI, confirm with the
 * e-mailed code, wait on the progress view, land in the Control UI of their
 * own OpenClaw. "Connected" is the gateway's own signal: the `hello-ok`
 * answer on the Control UI's WebSocket.
 */
import type { Page } from 'playwright-core';

export const PASSWORD = 'Correct-horse-battery-9';

/** The one visible view of the auth UI (hidden views keep their labels in the DOM). */
export function shown(page: Page) {
  return page.locator('[data-view]:not([hidden])');
}

export interface ConnectionWatch {
  /** Resolves with the time the gateway answered `hello-ok`. */
  readonly connected: Promise<number>;
  /** Every frame the gateway sent, for assertions on refusals. */
  readonly frames: string[];
}

/** Starts recording the page's WebSocket frames; call before the page reaches the workspace. */
export function watchConnection(page: Page): ConnectionWatch {
  const frames: string[] = [];
  let resolve: (at: number) => void = () => undefined;
  const connected = new Promise<number>((r) => (resolve = r));
  page.on('websocket', (ws) => {
    ws.on('framereceived', (frame) => {
      const text = typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('utf8');
      frames.push(text.slice(0, 2000));
      if (text.includes('"hello-ok"')) resolve(Date.now());
    });
  });
  return { connected, frames };
}

export async function signUp(page: Page, origin: string, name: string, email: string): Promise<void> {
  await page.goto(`${origin}/#sign-up`);
  await page.locator('#view-sign-up').waitFor();
  await shown(page).getByLabel('Your name').fill(name);
  await shown(page).getByLabel('Work e-mail').fill(email);
  await shown(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.locator('#view-confirm').waitFor();
}

/** Enters the code and returns the moment "Verify" was clicked. */
export async function confirm(page: Page, code: string): Promise<number> {
  await shown(page).getByLabel('Verification code').fill(code);
  const clickedAt = Date.now();
  await page.getByRole('button', { name: 'Verify' }).click();
  return clickedAt;
}

export async function signIn(page: Page, origin: string, email: string): Promise<void> {
  await page.goto(`${origin}/`);
  await page.locator('#view-sign-in').waitFor();
  await shown(page).getByLabel('E-mail', { exact: true }).fill(email);
  await shown(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Text that would mean the browser waits for a manual device approval (token mode), which must never appear. */
export const PAIRING_PROMPT = /Approve this browser|pairing required|devices approve/i;
