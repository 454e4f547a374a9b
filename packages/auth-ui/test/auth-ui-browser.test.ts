/**
 * Every account flow in a real browser: the built auth UI served by the local
 * edge, cognito-local as the user pool with the real PreSignUp/PostConfirmation
 * handlers behind a Lambda-invoke endpoint, and a fake tenant gateway behind
 * the edge.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { CHALLENGE_COOKIE, EDGE_SESSION_COOKIE, REFRESH_COOKIE, SESSION_PATH_PREFIX, SIGNED_IN_COOKIE } from '@openclaw-tenancy/shared';
import { RunningEdge, startEdge } from '@openclaw-tenancy/edge';
import { totpCode } from '@openclaw-tenancy/lambdas/testing';
import { launchChromium, screenshot } from './support/browser';
import { FakeWorkspace, startFakeWorkspace } from './support/fake-workspace';
import { LocalIdentity, startLocalIdentity } from './support/local-identity';

const DIST = path.resolve(__dirname, '..', 'dist');
const PASSWORD = 'Correct-Horse-42-battery';
const NEW_PASSWORD = 'Another-Horse-43-staple';

let cognito: LocalIdentity;
let workspace: FakeWorkspace;
let edge: RunningEdge;
let browser: Browser;
function provisionedOwner(tenantId: string): string | undefined {
  for (const job of cognito.jobs) if (job.type === 'provision' && job.tenantId === tenantId) return job.owner;
  return undefined;
}

/** Tenant id → owner of tenants an operator added to the registry (not claimed through sign-up). */
const operatorTenants = new Map<string, { owner: string; port: number }>();

beforeAll(async () => {
  cognito = await startLocalIdentity({ allowedEmailDomains: ['example.com'] });
  workspace = await startFakeWorkspace();
  edge = await startEdge({
    identity: { issuer: cognito.issuer, audience: cognito.clientId, jwksUri: cognito.jwksUri },
    // The owner the registry would name: PostConfirmation's claim, unless a test says an operator took the id.
    resolveUpstream: (tenantId) => {
      const operated = operatorTenants.get(tenantId);
      if (operated) return { host: '127.0.0.1', ...operated };
      const owner = provisionedOwner(tenantId);
      return owner ? { host: '127.0.0.1', port: workspace.port, owner } : undefined;
    },
    authUi: {
      directory: DIST,
      runtimeConfig: {
        region: 'local',
        userPoolId: cognito.userPoolId,
        clientId: cognito.clientId,
        origin: 'http://127.0.0.1',
        cognitoEndpoint: cognito.endpoint,
      },
    },
  });
  browser = await launchChromium();
}, 60000);

afterAll(async () => {
  await browser?.close();
  await edge?.close();
  await workspace?.close();
  await cognito?.stop();
});

/** A fresh browser profile, with every request to the user pool recorded. */
async function freshPage(): Promise<{ context: BrowserContext; page: Page; cognitoRequests: Request[] }> {
  const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
  const page = await context.newPage();
  const cognitoRequests: Request[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(cognito.endpoint)) cognitoRequests.push(r);
  });
  return { context, page, cognitoRequests };
}

/** The one visible view: labels repeat across views (hidden ones stay in the DOM). */
function shown(page: Page) {
  return page.locator('[data-view]:not([hidden])');
}

async function errorText(page: Page): Promise<string> {
  await page.locator('#error').waitFor({ state: 'visible' });
  return (await page.locator('#error').textContent()) ?? '';
}

/** Everything page script on this page can read: cookies and both storages. */
function scriptVisibleState(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify({ cookie: document.cookie, local: { ...localStorage }, session: { ...sessionStorage } }));
}

/** The session's cookie values as the browser stores them (HttpOnly: only the browser itself sees them). */
async function sessionCookies(context: BrowserContext, tenantId: string): Promise<{ idToken: string; refreshToken: string }> {
  const idToken = (await context.cookies(`${edge.url}/t/${tenantId}/`)).find((c) => c.name === EDGE_SESSION_COOKIE)?.value ?? '';
  const refreshToken =
    (await context.cookies(`${edge.url}${SESSION_PATH_PREFIX}/refresh`)).find((c) => c.name === REFRESH_COOKIE)?.value ?? '';
  return { idToken, refreshToken };
}

async function waitForCode(email: string, not?: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const code = cognito.confirmationCode(email);
    if (code && code !== not) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no confirmation code for ${email}`);
}

async function signUp(page: Page, name: string, email: string, password = PASSWORD): Promise<void> {
  await page.goto(`${edge.url}/#sign-up`);
  await page.locator('#view-sign-up').waitFor();
  await shown(page).getByLabel('Your name').fill(name);
  await shown(page).getByLabel('Work e-mail').fill(email);
  await shown(page).getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

async function confirmAndLand(page: Page, email: string): Promise<string> {
  await page.locator('#view-confirm').waitFor();
  await shown(page)
    .getByLabel('Verification code')
    .fill(await waitForCode(email));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL(/\/t\/[a-z0-9-]+\/$/, { timeout: 30000 });
  return /\/t\/([a-z0-9-]+)\/$/.exec(page.url())![1]!;
}

describe('auth UI in a real browser', () => {
  let alice: { context: BrowserContext; page: Page; tenantId: string };

  it('shows a clear error when /config.json is missing', async () => {
    const { context, page } = await freshPage();
    await page.route('**/config.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.goto(edge.url);
    await page.locator('#view-config-error').waitFor();
    expect(await page.locator('#view-config-error h2').textContent()).toBe('This page is not configured');
    expect(await page.locator('#config-error-detail').textContent()).toContain('HTTP 404');
    await screenshot(page, '00-config-missing');
    await context.close();
  });

  it('renders the sign-in page with the branding, and real legal pages', async () => {
    const { context, page } = await freshPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
    await page.goto(edge.url);
    await page.locator('#view-sign-in').waitFor();
    // A first visit asks the session endpoint whether it is signed in; "no" is not an error in the console.
    expect(consoleErrors).toEqual([]);
    expect(await page.title()).toBe('OpenClaw — Personal AI Assistant 🦞');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(10, 10, 18)');
    // A user pool on a local endpoint: the footer says it all runs offline with stand-ins, not on AWS.
    expect(await page.locator('footer').textContent()).toContain('Running on this machine, offline');
    expect(await page.locator('footer').textContent()).not.toContain('Amazon EKS');
    await screenshot(page, '01-sign-in');
    await shown(page).getByRole('link', { name: 'Create account' }).click();
    await shown(page).getByRole('link', { name: 'Terms of Use' }).click();
    await page.waitForURL(`${edge.url}/terms`);
    expect(await page.locator('h1').textContent()).toBe('Terms of Use');
    await screenshot(page, '02-terms');
    await page.goto(`${edge.url}/privacy`);
    expect(await page.locator('h1').textContent()).toBe('Privacy Policy');
    await screenshot(page, '03-privacy');
    await context.close();
  });

  it('refuses bad input with clear messages and sends nothing', async () => {
    const { context, page, cognitoRequests } = await freshPage();
    await page.goto(`${edge.url}/#sign-up`);
    await page.locator('#view-sign-up').waitFor();
    const cases: Array<[string, string, string, RegExp, string]> = [
      ['<script>alert(1)</script>', 'eve@example.com', PASSWORD, /only contain letters/, 'Your name'],
      ['x'.repeat(65), 'eve@example.com', PASSWORD, /at most 64 characters/, 'Your name'],
      ['Eve', 'eve@@example.com', PASSWORD, /valid e-mail address/, 'Work e-mail'],
      ['Eve', `${'e'.repeat(250)}@example.com`, PASSWORD, /valid e-mail address/, 'Work e-mail'],
      ['Eve', 'eve@example.com', 'short', /at least 12 characters/, 'Password'],
      ['Eve', 'eve@example.com', `Aa1${'x'.repeat(300)}`, /at most 256 characters/, 'Password'],
    ];
    for (const [name, email, password, message, focusedLabel] of cases) {
      // Set values directly: maxlength only limits typing, a script or paste can still exceed it.
      await page.evaluate(
        ([n, e, p]) => {
          (document.getElementById('sign-up-name') as HTMLInputElement).value = n!;
          (document.getElementById('sign-up-email') as HTMLInputElement).value = e!;
          (document.getElementById('sign-up-password') as HTMLInputElement).value = p!;
        },
        [name, email, password],
      );
      await page.getByRole('button', { name: 'Create account' }).click();
      expect(await errorText(page)).toMatch(message);
      const focused = await page.evaluate(() => document.activeElement?.id);
      expect(await page.locator(`#${focused}`).getAttribute('aria-invalid')).toBe('true');
      expect(
        await shown(page)
          .getByLabel(focusedLabel, { exact: true })
          .evaluate((el) => el === document.activeElement),
      ).toBe(true);
    }
    await screenshot(page, '04-bad-input');
    expect(cognitoRequests).toEqual([]);
    await context.close();
  });

  it('shows the sign-up guard refusal for a domain that is not allowed', async () => {
    const { context, page, cognitoRequests } = await freshPage();
    await signUp(page, 'Mallory', 'mallory@evil.example');
    expect(await errorText(page)).toBe('Sign-up is limited to company e-mail addresses.');
    expect(cognitoRequests.length).toBe(1);
    await screenshot(page, '05-refused-domain');
    await context.close();
  });

  it('signs up from an allowed domain: wrong code, resend, confirm, progress, workspace', async () => {
    const { context, page } = await freshPage();
    await signUp(page, 'Alice Example', 'alice@example.com');
    await page.locator('#view-confirm').waitFor();
    expect(await page.locator('#confirm-email').textContent()).toBe('alice@example.com');
    await screenshot(page, '06-confirm');

    const first = await waitForCode('alice@example.com');
    await shown(page)
      .getByLabel('Verification code')
      .fill(first === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    expect(await errorText(page)).toBe('That code is not correct. Check the e-mail and try again.');
    expect(await shown(page).getByLabel('Verification code').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, '07-wrong-code');

    await page.getByRole('button', { name: 'Send a new code' }).click();
    await page.locator('#status', { hasText: 'A new code is on its way' }).waitFor();
    expect(await waitForCode('alice@example.com', first)).not.toBe(first);

    workspace.answerNotReady(2);
    const progressShown = page
      .locator('#progress-stage', { hasText: /Creating your private workspace|Your assistant is starting/ })
      .waitFor({ timeout: 30000 })
      .then(() => screenshot(page, '08a-progress'));
    const tenantId = await confirmAndLand(page, 'alice@example.com');
    await progressShown;
    expect(await page.locator('h1').textContent()).toBe(`Workspace ${tenantId}`);
    await screenshot(page, '08b-landed-in-workspace');

    const sub = (
      await cognito.call<{ UserAttributes: Array<{ Name: string; Value: string }> }>('AdminGetUser', {
        UserPoolId: cognito.userPoolId,
        Username: 'alice@example.com',
      })
    ).UserAttributes.find((a) => a.Name === 'sub')!.Value;
    expect(await page.locator('#identity').textContent()).toBe(sub);
    // The real PostConfirmation claimed the tenant for this owner and enqueued its provisioning once.
    expect(cognito.jobs.filter((j) => j.tenantId === tenantId)).toEqual([
      expect.objectContaining({ type: 'provision', tenantId, owner: sub }),
    ]);
    const cookie = (await context.cookies(edge.url + `/t/${tenantId}/`)).find((c) => c.name === EDGE_SESSION_COOKIE)!;
    expect(cookie).toMatchObject({ path: `/t/${tenantId}`, sameSite: 'Strict', httpOnly: true });
    const refresh = (await context.cookies(`${edge.url}${SESSION_PATH_PREFIX}/refresh`)).find((c) => c.name === REFRESH_COOKIE)!;
    expect(refresh).toMatchObject({ path: SESSION_PATH_PREFIX, sameSite: 'Strict', httpOnly: true });
    // The refresh token is sent to the session endpoint only: not to the workspace, not to the auth UI's pages.
    expect((await context.cookies(`${edge.url}/t/${tenantId}/`)).map((c) => c.name)).not.toContain(REFRESH_COOKIE);
    expect((await context.cookies(`${edge.url}/`)).map((c) => c.name)).not.toContain(REFRESH_COOKIE);
    // No token is readable by a script on the workspace origin: not in document.cookie, not in either storage.
    const visible = await scriptVisibleState(page);
    for (const token of [cookie.value, refresh.value]) expect(visible).not.toContain(token);
    expect(visible).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    const authPage = await context.newPage();
    await authPage.goto(edge.url);
    await authPage.locator('#view-session').waitFor();
    const visibleOnAuthUi = await scriptVisibleState(authPage);
    for (const token of [cookie.value, refresh.value]) expect(visibleOnAuthUi).not.toContain(token);
    await authPage.close();
    const aliceRequests = workspace.seen.filter((s) => s.path.startsWith(`/t/${tenantId}`) || s.path === '/readyz');
    expect(aliceRequests.length).toBeGreaterThan(0);
    expect(aliceRequests.every((s) => s.user === sub && !s.cookie)).toBe(true);
    alice = { context, page, tenantId };
  });

  it('returns with a live session without asking for the password', async () => {
    const page = await alice.context.newPage();
    await page.goto(edge.url);
    await page.locator('#view-session').waitFor();
    expect(await page.locator('#session-email').textContent()).toBe('alice@example.com');
    expect(await page.locator('input[type="password"]:visible').count()).toBe(0);
    await screenshot(page, '09-returning-session');
    await page.getByRole('button', { name: 'Open my workspace' }).click();
    await page.waitForURL(`${edge.url}/t/${alice.tenantId}/`);

    await page.goto(`${edge.url}/?next=/t/${alice.tenantId}/chat/main`);
    await page.waitForURL(`${edge.url}/t/${alice.tenantId}/chat/main`);
    await page.close();
  });

  it('keeps the session across a reload of the workspace, with nothing in page storage', async () => {
    const page = await alice.context.newPage();
    await page.goto(`${edge.url}/t/${alice.tenantId}/`);
    expect(await page.locator('h1').textContent()).toBe(`Workspace ${alice.tenantId}`);
    const response = await page.reload();
    expect(response?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe(`Workspace ${alice.tenantId}`);
    expect(await scriptVisibleState(page)).toBe(JSON.stringify({ cookie: '', local: {}, session: {} }));
    await page.close();
  });

  it('renews an expired workspace cookie silently (no password, no token in script), back to the page asked for', async () => {
    await alice.context.clearCookies({ name: EDGE_SESSION_COOKIE });
    const page = await alice.context.newPage();
    await page.goto(`${edge.url}/t/${alice.tenantId}/chat/main`);
    await page.waitForURL(`${edge.url}/t/${alice.tenantId}/chat/main`, { timeout: 30000 });
    expect(await page.locator('h1').textContent()).toBe(`Workspace ${alice.tenantId}`);
    expect((await sessionCookies(alice.context, alice.tenantId)).idToken).toMatch(/^eyJ/);
    expect(await scriptVisibleState(page)).toBe(JSON.stringify({ cookie: '', local: {}, session: {} }));
    await page.close();
  });

  it("refuses tenant A's token at tenant B's route", async () => {
    const { context, page } = await freshPage();
    await signUp(page, 'Bob', 'bob@example.com');
    const bobTenant = await confirmAndLand(page, 'bob@example.com');
    await context.close();

    const aliceToken = (await alice.context.cookies(`${edge.url}/t/${alice.tenantId}/`)).find((c) => c.name === EDGE_SESSION_COOKIE)!.value;
    const intruder = await browser.newContext();
    await intruder.addCookies([{ name: EDGE_SESSION_COOKIE, value: aliceToken, url: `${edge.url}/t/${bobTenant}/`, sameSite: 'Strict' }]);
    const intruderPage = await intruder.newPage();
    const response = await intruderPage.goto(`${edge.url}/t/${bobTenant}/`);
    expect(response?.status()).toBe(403);
    expect(await intruderPage.locator('h1').textContent()).toBe('This workspace is not yours');
    await screenshot(intruderPage, '10-foreign-tenant-refused');
    await intruder.close();

    // Alice herself, signed in, following a link to bob's workspace: an honest alicePage, the same as for a workspace that
    // does not exist (no enumeration), never "sign in required" and never raw JSON.
    const alicePage = await alice.context.newPage();
    for (const tenant of [bobTenant, 'nobody-here']) {
      const answer = await alicePage.goto(`${edge.url}/t/${tenant}/`);
      expect(answer?.status()).toBe(403);
      expect(answer?.headers()['content-type']).toMatch(/^text\/html/);
      expect(await alicePage.locator('h1').textContent()).toBe('This workspace is not yours');
      expect(await alicePage.locator('a', { hasText: 'Open your own workspace' }).getAttribute('href')).toBe(`/t/${alice.tenantId}/`);
    }
    await screenshot(alicePage, '10b-signed-in-at-someone-elses-workspace');
    await alicePage.getByRole('link', { name: 'Open your own workspace' }).click();
    await alicePage.waitForURL(`${edge.url}/t/${alice.tenantId}/`);
    // Via the sign-in alicePage's `?next=` too: it says whose session this is and does not open the other workspace.
    await alicePage.goto(`${edge.url}/?next=/t/${bobTenant}/`);
    expect(await errorText(alicePage)).toBe(
      `The workspace /t/${bobTenant}/ is not yours. You are signed in as alice@example.com; open your own workspace below.`,
    );
    expect(alicePage.url()).toBe(`${edge.url}/?next=/t/${bobTenant}/`);
    await alicePage.close();
  });

  it('follows a tenant claim that moved: the edge refuses the stale token, a refreshed one names the new workspace', async () => {
    const { context, page } = await freshPage();
    // An operator gave "carol" to someone else; the provisioner moves carol's claim to carol-2 and rewrites her
    // attribute — here just after her first readiness poll left the browser, so the token it carries is stale.
    const operatorsCarol = await startFakeWorkspace();
    operatorTenants.set('carol', { owner: '0d5e7a1c-0000-4000-8000-0000000c0001', port: operatorsCarol.port });
    let moved = false;
    await page.route('**/t/carol/_platform/ready', async (route) => {
      if (!moved) {
        moved = true;
        await cognito.call('AdminUpdateUserAttributes', {
          UserPoolId: cognito.userPoolId,
          Username: 'carol@example.com',
          UserAttributes: [{ Name: 'custom:tenant_id', Value: 'carol-2' }],
        });
        const sub = (
          await cognito.call<{ UserAttributes: Array<{ Name: string; Value: string }> }>('AdminGetUser', {
            UserPoolId: cognito.userPoolId,
            Username: 'carol@example.com',
          })
        ).UserAttributes.find((a) => a.Name === 'sub')!.Value;
        operatorTenants.set('carol-2', { owner: sub, port: workspace.port });
      }
      await route.continue();
    });
    await signUp(page, 'Carol', 'carol@example.com');
    expect(await confirmAndLand(page, 'carol@example.com')).toBe('carol-2');
    expect(moved).toBe(true);
    const cookies = await context.cookies(`${edge.url}/t/carol-2/`);
    expect(cookies.filter((c) => c.name === EDGE_SESSION_COOKIE).map((c) => c.path)).toEqual(['/t/carol-2']);
    // The operator's gateway never saw carol's stale token: the edge refused it (owner ≠ sub).
    expect(operatorsCarol.seen).toEqual([]);
    expect(workspace.seen.filter((s) => s.path.startsWith('/t/carol-2/')).length).toBeGreaterThan(0);
    await operatorsCarol.close();
    await context.close();
  });

  it('gives an actionable message when the workspace does not become ready in time', async () => {
    const { context, page } = await freshPage();
    // Fake timers in the page: the poller's clock and delays run forward on demand; fetch stays real.
    await page.clock.install();
    workspace.answerNotReady(1000);
    await page.goto(edge.url);
    await shown(page).getByLabel('E-mail', { exact: true }).fill('alice@example.com');
    await shown(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#view-progress').waitFor();
    for (let i = 0; i < 60 && !(await page.locator('#progress-timeout').isVisible()); i++) await page.clock.runFor(5000);
    await page.locator('#progress-timeout').waitFor();
    expect(await page.locator('#progress-timeout').textContent()).toMatch(/taking longer than expected.*try again in a minute/s);
    await screenshot(page, '11a-progress-timeout');
    workspace.answerNotReady(0);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.waitForURL(`${edge.url}/t/${alice.tenantId}/`, { timeout: 30000 });
    await context.close();
  });

  it('says plainly that sign-in is unavailable when no session endpoint answers (a site served without one)', async () => {
    const { context, page } = await freshPage();
    // What a CDN in front of a static bucket answers a POST it does not route anywhere.
    await page.route('**/_session/**', (route) =>
      route.fulfill({ status: 403, contentType: 'text/xml', body: '<Error><Code>MethodNotAllowed</Code></Error>' }),
    );
    await page.goto(edge.url);
    await page.locator('#view-sign-in').waitFor();
    await shown(page).getByLabel('E-mail', { exact: true }).fill('alice@example.com');
    await shown(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await errorText(page)).toBe(
      'Sign-in is unavailable: the session service of this site did not answer. Please contact your administrator.',
    );
    await context.close();
  });

  it('lets an invited user choose a password on first sign-in (the challenge session never reaches script) and opens the workspace', async () => {
    // What an administrator's invitation does: a user with a temporary password, its workspace already claimed.
    const created = await cognito.call<{ User: { Attributes: Array<{ Name: string; Value: string }> } }>('AdminCreateUser', {
      UserPoolId: cognito.userPoolId,
      Username: 'ivy@example.com',
      TemporaryPassword: 'Temporary-Horse-1-pass',
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'ivy@example.com' },
        { Name: 'custom:tenant_id', Value: 'ivy' },
      ],
    });
    operatorTenants.set('ivy', { owner: created.User.Attributes.find((a) => a.Name === 'sub')!.Value, port: workspace.port });

    const { context, page } = await freshPage();
    await page.goto(edge.url);
    await shown(page).getByLabel('E-mail', { exact: true }).fill('ivy@example.com');
    await shown(page).getByLabel('Password', { exact: true }).fill('Temporary-Horse-1-pass');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#view-new-password').waitFor();
    await screenshot(page, '11b-invited-choose-password');
    expect(await scriptVisibleState(page)).toBe(JSON.stringify({ cookie: '', local: {}, session: {} }));
    const challenge = (await context.cookies(`${edge.url}${SESSION_PATH_PREFIX}/new-password`)).find((c) => c.name === CHALLENGE_COOKIE);
    expect(challenge).toMatchObject({ httpOnly: true, path: SESSION_PATH_PREFIX, sameSite: 'Strict' });

    // The password rules hold here too; then the chosen password signs in and opens the workspace.
    await shown(page).getByLabel('New password').fill('short');
    // The same rules as at sign-up, ticked off as the person types.
    expect(await page.locator('#new-password-rules li').allTextContents()).toEqual([
      'At least 12 characters',
      'An upper-case letter',
      'A lower-case letter',
      'A digit',
    ]);
    expect(await page.locator('#new-password-rules li[data-met="true"]').allTextContents()).toEqual(['A lower-case letter']);
    await page.getByRole('button', { name: 'Set password and continue' }).click();
    expect(await errorText(page)).toMatch(/12 characters/);
    await shown(page).getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set password and continue' }).click();
    await page.waitForURL(`${edge.url}/t/ivy/`, { timeout: 30000 });
    expect(await scriptVisibleState(page)).toBe(JSON.stringify({ cookie: '', local: {}, session: {} }));
    expect((await context.cookies(`${edge.url}${SESSION_PATH_PREFIX}/new-password`)).map((c) => c.name)).not.toContain(CHALLENGE_COOKIE);
    await context.close();

    const again = await freshPage();
    await again.page.goto(edge.url);
    await shown(again.page).getByLabel('E-mail', { exact: true }).fill('ivy@example.com');
    await shown(again.page).getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await again.page.getByRole('button', { name: 'Sign in' }).click();
    await again.page.waitForURL(`${edge.url}/t/ivy/`, { timeout: 30000 });
    await again.context.close();
  });

  it("asks a user with an authenticator app for its code (cognito-local's TOTP check), a wrong code refused, then opens the workspace", async () => {
    // A user who set up an authenticator app in a pool where MFA is optional.
    await cognito.call('SetUserPoolMfaConfig', {
      UserPoolId: cognito.userPoolId,
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    const created = await cognito.call<{ User: { Attributes: Array<{ Name: string; Value: string }> } }>('AdminCreateUser', {
      UserPoolId: cognito.userPoolId,
      Username: 'mia@example.com',
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'mia@example.com' },
        { Name: 'custom:tenant_id', Value: 'mia' },
      ],
    });
    await cognito.call('AdminSetUserPassword', {
      UserPoolId: cognito.userPoolId,
      Username: 'mia@example.com',
      Password: PASSWORD,
      Permanent: true,
    });
    operatorTenants.set('mia', { owner: created.User.Attributes.find((a) => a.Name === 'sub')!.Value, port: workspace.port });
    const signedIn = await cognito.call<{ AuthenticationResult: { AccessToken: string } }>('InitiateAuth', {
      ClientId: cognito.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'mia@example.com', PASSWORD },
    });
    const accessToken = signedIn.AuthenticationResult.AccessToken;
    const { SecretCode: key } = await cognito.call<{ SecretCode: string }>('AssociateSoftwareToken', { AccessToken: accessToken });
    await cognito.call('VerifySoftwareToken', { AccessToken: accessToken, UserCode: totpCode(key) });
    await cognito.call('SetUserMFAPreference', {
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });

    const { context, page } = await freshPage();
    await page.goto(edge.url);
    await shown(page).getByLabel('E-mail', { exact: true }).fill('mia@example.com');
    await shown(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#view-mfa-code').waitFor();
    await screenshot(page, '11c-authenticator-code');
    // The challenge session is an HttpOnly cookie of the session endpoint: nothing for page script.
    expect(await scriptVisibleState(page)).toBe(JSON.stringify({ cookie: '', local: {}, session: {} }));
    expect((await context.cookies(`${edge.url}${SESSION_PATH_PREFIX}/mfa-code`)).find((c) => c.name === CHALLENGE_COOKIE)).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });

    await shown(page).getByLabel('Authenticator code').fill('12ab');
    await page.getByRole('button', { name: 'Verify and continue' }).click();
    expect(await errorText(page)).toBe('The code is the 6 digits your authenticator app shows.');
    const wrong = String((Number(totpCode(key)) + 500_000) % 1_000_000).padStart(6, '0');
    await shown(page).getByLabel('Authenticator code').fill(wrong);
    await page.getByRole('button', { name: 'Verify and continue' }).click();
    expect(await errorText(page)).toBe('That code is not correct. Enter the code your authenticator app shows now.');
    await shown(page).getByLabel('Authenticator code').fill(totpCode(key));
    await page.getByRole('button', { name: 'Verify and continue' }).click();
    await page.waitForURL(`${edge.url}/t/mia/`, { timeout: 30000 });
    expect(await scriptVisibleState(page)).toBe(JSON.stringify({ cookie: '', local: {}, session: {} }));
    expect((await context.cookies(`${edge.url}${SESSION_PATH_PREFIX}/mfa-code`)).map((c) => c.name)).not.toContain(CHALLENGE_COOKIE);
    await context.close();
  });

  it('walks a user of a pool that requires MFA through setting up an authenticator (the endpoint answers as Cognito does; cognito-local has no MFA_SETUP)', async () => {
    const { context, page } = await freshPage();
    const sent: Array<{ path: string; body: unknown }> = [];
    // Stands in for the session endpoint's answers, which come from Cognito's MFA_SETUP flow in AWS (covered at the SDK boundary in packages/lambdas).
    await page.route(`${edge.url}${SESSION_PATH_PREFIX}/*`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      sent.push({ path, body: route.request().postDataJSON() });
      if (path === `${SESSION_PATH_PREFIX}/sign-in`)
        return route.fulfill({
          json: {
            challenge: 'MFA_SETUP',
            secretCode: 'JBSWY3DPEHPK3PXPJBSWY3DP',
            otpauthUri: 'otpauth://totp/site:nia%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DP&issuer=site',
          },
        });
      if (path === `${SESSION_PATH_PREFIX}/mfa-setup`)
        return route.fulfill({ status: 400, json: { error: 'CodeMismatchException', message: 'Code mismatch' } });
      return route.fulfill({ status: 204 });
    });
    await page.goto(edge.url);
    await shown(page).getByLabel('E-mail', { exact: true }).fill('nia@example.com');
    await shown(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#view-mfa-setup').waitFor();
    await screenshot(page, '11d-set-up-authenticator');
    expect(await page.locator('#mfa-setup-key').textContent()).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP');
    expect(await page.locator('#mfa-setup-link').getAttribute('href')).toBe(
      'otpauth://totp/site:nia%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DP&issuer=site',
    );
    // The key is on the page for the person to copy, and kept nowhere page script could read it later.
    expect(await scriptVisibleState(page)).toBe(JSON.stringify({ cookie: '', local: {}, session: {} }));
    await shown(page).getByLabel('Authenticator code').fill('654321');
    await page.getByRole('button', { name: 'Turn on and continue' }).click();
    expect(await errorText(page)).toBe('That code is not correct. Enter the code your authenticator app shows now.');
    expect(sent.filter((r) => r.path === `${SESSION_PATH_PREFIX}/mfa-setup`).map((r) => r.body)).toEqual([
      { email: 'nia@example.com', code: '654321' },
    ]);
    await context.close();
  });

  it('says so on a wrong password', async () => {
    const { context, page } = await freshPage();
    await page.goto(edge.url);
    await shown(page).getByLabel('E-mail', { exact: true }).fill('alice@example.com');
    await shown(page).getByLabel('Password', { exact: true }).fill('Wrong-Password-999');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await errorText(page)).toBe('Incorrect e-mail or password.');
    await screenshot(page, '11-wrong-password');
    await context.close();
  });

  it('resets a forgotten password without provisioning again', async () => {
    const tenantsBefore = await cognito.activeTenantCount();
    const jobsBefore = [...cognito.jobs];
    const { context, page } = await freshPage();
    await page.goto(edge.url);
    await page.getByRole('button', { name: 'Forgot your password?' }).click();
    await shown(page).getByLabel('E-mail', { exact: true }).fill('alice@example.com');
    await page.getByRole('button', { name: 'Send reset code' }).click();
    await page.locator('#view-reset').waitFor();
    await screenshot(page, '12-reset');
    await shown(page)
      .getByLabel('Code from the e-mail')
      .fill(await waitForCode('alice@example.com'));
    await shown(page).getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.locator('#status', { hasText: 'Password changed' }).waitFor();
    expect(await shown(page).getByLabel('E-mail', { exact: true }).inputValue()).toBe('alice@example.com');

    await shown(page).getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${edge.url}/t/${alice.tenantId}/`, { timeout: 30000 });
    // PostConfirmation ran for the reset (cognito-local fires it) and changed nothing.
    expect(await cognito.activeTenantCount()).toBe(tenantsBefore);
    expect(cognito.jobs).toEqual(jobsBefore);
    await context.close();
  });

  it('signs out: the refresh token is revoked, the old cookie is refused at once, the open workspace disconnects', async () => {
    const workspaceTab = await alice.context.newPage();
    await workspaceTab.goto(`${edge.url}/t/${alice.tenantId}/`);
    await workspaceTab.evaluate(
      (url) =>
        new Promise<void>((resolve, reject) => {
          const socket = new WebSocket(url);
          (window as unknown as { socketClosed: boolean }).socketClosed = false;
          socket.onopen = () => resolve();
          socket.onerror = () => reject(new Error('WebSocket failed'));
          socket.onclose = () => ((window as unknown as { socketClosed: boolean }).socketClosed = true);
        }),
      `${edge.url.replace(/^http/, 'ws')}/t/${alice.tenantId}/`,
    );
    expect(workspace.openSockets()).toBeGreaterThan(0);
    const { idToken, refreshToken } = await sessionCookies(alice.context, alice.tenantId);
    expect(idToken).not.toBe('');

    const page = await alice.context.newPage();
    await page.goto(edge.url);
    await page.locator('#view-session').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#status', { hasText: 'You are signed out.' }).waitFor();
    await screenshot(page, '13-signed-out');
    expect(await sessionCookies(alice.context, alice.tenantId)).toEqual({ idToken: '', refreshToken: '' });
    expect((await alice.context.cookies(edge.url)).map((c) => c.name)).not.toContain(SIGNED_IN_COOKIE);
    await expect(
      cognito.call('InitiateAuth', {
        ClientId: cognito.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    ).rejects.toMatchObject({ type: 'NotAuthorizedException' });

    // The open workspace tab lost its connection when the session ended.
    await workspaceTab.waitForFunction(() => (window as unknown as { socketClosed: boolean }).socketClosed, undefined, { timeout: 5000 });
    await workspaceTab.close();

    // The old ID token, still within its lifetime and correctly signed, is refused at once (a copy kept by anyone).
    const replay = await fetch(`${edge.url}/t/${alice.tenantId}/`, { headers: { cookie: `${EDGE_SESSION_COOKIE}=${idToken}` } });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toEqual({ error: 'unauthenticated', reason: 'signed-out' });

    const workspacePage = await alice.context.newPage();
    const response = await workspacePage.goto(`${edge.url}/t/${alice.tenantId}/`);
    expect(response?.status()).toBe(401);
    await screenshot(workspacePage, '14-workspace-after-sign-out');

    // Signing in again opens a new session the edge accepts.
    await page.goto(edge.url);
    await shown(page).getByLabel('E-mail', { exact: true }).fill('alice@example.com');
    await shown(page).getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${edge.url}/t/${alice.tenantId}/`, { timeout: 30000 });
  });

  it('signs out from inside the workspace: its sign-out path ends the session and lands on the sign-in page', async () => {
    const page = await alice.context.newPage();
    await page.goto(`${edge.url}/t/${alice.tenantId}/`);
    const { idToken, refreshToken } = await sessionCookies(alice.context, alice.tenantId);
    await page.goto(`${edge.url}/t/${alice.tenantId}/_platform/sign-out`);
    await page.locator('#status', { hasText: 'You are signed out.' }).waitFor();
    expect(page.url()).toBe(`${edge.url}/`);
    expect(await sessionCookies(alice.context, alice.tenantId)).toEqual({ idToken: '', refreshToken: '' });
    const replay = await fetch(`${edge.url}/t/${alice.tenantId}/`, { headers: { cookie: `${EDGE_SESSION_COOKIE}=${idToken}` } });
    expect(replay.status).toBe(401);
    await expect(
      cognito.call('InitiateAuth', {
        ClientId: cognito.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    ).rejects.toMatchObject({ type: 'NotAuthorizedException' });
    await screenshot(page, '15-signed-out-from-workspace');
    await alice.context.close();
  });
});
