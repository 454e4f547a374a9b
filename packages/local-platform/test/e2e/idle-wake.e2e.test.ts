/**
 * Idle suspend and wake on request, end to end: the platform started with a
 * short idle timeout, real gateways, headless Chromium. An open Control UI
 * keeps alice up; once she leaves, her gateway stops (its processes and pod
 * network gone); bob's requests to her path wake nothing; her next visit
 * shows the waking view and connects by itself, her workspace intact.
 * Needs root, `chromium`, `git` and iproute2.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireTestPrerequisites } from '@openclaw-tenancy/openclaw-runtime';
import { EDGE_SESSION_COOKIE } from '@openclaw-tenancy/shared';
import type { Page } from 'playwright-core';
import { ARTIFACTS_DIR, BrowserProfile, launchFreshProfile, screenshot } from '../support/browser';
import { PlatformProcess, confirmationCode, platformArgs, startPlatformProcess } from '../support/platform-process';
import { isAlive, namespaceExists, podPids, residentMiB } from '../support/pod-processes';
import { requireRoot } from '../support/root-required';
import { gatewayLogSince, gatewayStartPhases, lineAfter } from '../support/wake-timeline';
import { confirm, signUp, watchConnection } from '../support/workspace-journey';

jest.setTimeout(15 * 60_000);

const PREFIX = 'ocli';
const SUBNET = '10.246';
const LOOPBACK_PORT = 18246;
const IDENTITY_PORT = 19246;
const ORIGIN = `http://127.0.0.1:${LOOPBACK_PORT}`;
/** Short enough for a test, long enough that a gateway start on a loaded machine never races it. */
const IDLE_TIMEOUT_S = 20;
const ALICE_POD = `${PREFIX}-t-alice`;
const ARGS = (stateDir: string) =>
  platformArgs({
    stateDir,
    subnet: SUBNET,
    namePrefix: PREFIX,
    identityPort: IDENTITY_PORT,
    secretsPort: 14546,
    gitPort: 39446,
    loopbackPort: LOOPBACK_PORT,
    modelPort: 14646,
    idleTimeoutSeconds: IDLE_TIMEOUT_S,
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function newUserPage(): Promise<{ profile: BrowserProfile; page: Page }> {
  const profile = await launchFreshProfile();
  return { profile, page: profile.context.pages()[0] ?? (await profile.context.newPage()) };
}

describe('idle suspend and wake on request', () => {
  let stateDir: string;
  let platform: PlatformProcess;
  const profiles: BrowserProfile[] = [];
  let alice: Page;
  const marker = `written before idling (${new Date().toISOString()})`;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    requireRoot();
    requireTestPrerequisites(['chromium', 'fonts-liberation', 'iproute2', 'git', 'openclaw-runtime']);
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-platform-idle-'));
    platform = startPlatformProcess(ARGS(stateDir));
    await platform.waitForLine(/open (http:\/\/\S+) and sign up/, 10 * 60_000);
  });

  afterAll(async () => {
    for (const p of profiles) await p.close().catch(() => undefined);
    await platform?.stop();
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS_DIR, 'idle-wake-timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('keeps alice up past the idle timeout while her Control UI is connected', async () => {
    const user = await newUserPage();
    profiles.push(user.profile);
    alice = user.page;
    const watch = watchConnection(alice);
    await signUp(alice, ORIGIN, 'Alice', 'alice@example.com');
    await confirm(alice, await confirmationCode(platform, 'alice@example.com'));
    await watch.connected;
    await alice.getByText('Connected', { exact: true }).first().waitFor({ timeout: 30_000 });
    const workspace = path.join(stateDir, 'tenants', 'alice', 'volumes', 'openclaw-state', 'workspace');
    fs.mkdirSync(workspace, { recursive: true });
    fs.chownSync(workspace, 1000, 1000);
    fs.writeFileSync(path.join(workspace, 'USER.md'), `# About me\n\n${marker}\n`);
    fs.chownSync(path.join(workspace, 'USER.md'), 1000, 1000);

    const pids = podPids(ALICE_POD);
    expect(pids.length).toBeGreaterThan(0);
    await sleep((IDLE_TIMEOUT_S + 10) * 1000);
    expect(platform.lines.some((l) => /tenant alice: idle for/.test(l))).toBe(false);
    expect(pids.every(isAlive)).toBe(true);
    expect(await alice.getByText('Connected', { exact: true }).first().isVisible()).toBe(true);
  });

  it('stops her gateway once she leaves and stays away for the timeout: processes, memory and pod network released', async () => {
    const pids = podPids(ALICE_POD);
    const runningMiB = residentMiB(pids);
    expect(runningMiB).toBeGreaterThan(200);
    const leftAt = Date.now();
    await alice.goto(`${ORIGIN}/`);
    const line = await platform.waitForLine(
      /tenant alice: idle for (\d+) s \(timeout (\d+) s\): gateway stopped, suspended until the next signed-in request/,
      (IDLE_TIMEOUT_S + 60) * 1000,
    );
    expect(Number(line[2])).toBe(IDLE_TIMEOUT_S);
    timings['left → suspended (s)'] = (Date.now() - leftAt) / 1000;
    expect(Date.now() - leftAt).toBeGreaterThanOrEqual(IDLE_TIMEOUT_S * 1000);
    await platform.waitForLine(/tenant alice: gateway stopped/, 60_000);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(residentMiB(pids)).toBe(0);
    expect(namespaceExists(ALICE_POD)).toBe(false);
    timings['alice running RSS (MiB)'] = runningMiB;
  });

  it('does not wake her for bob: his signed-in requests to /t/alice/ are refused and start nothing', async () => {
    const bob = await newUserPage();
    profiles.push(bob.profile);
    const watch = watchConnection(bob.page);
    await signUp(bob.page, ORIGIN, 'Bob', 'bob@example.com');
    await confirm(bob.page, await confirmationCode(platform, 'bob@example.com'));
    await watch.connected;
    const bobToken = (await bob.profile.context.cookies(`${ORIGIN}/t/bob/`)).find((c) => c.name === EDGE_SESSION_COOKIE)?.value;
    expect(bobToken).toBeDefined();
    await bob.profile.context.addCookies([
      { name: EDGE_SESSION_COOKIE, value: bobToken as string, url: `${ORIGIN}/t/alice/`, sameSite: 'Strict' },
    ]);
    const intruder = await bob.profile.context.newPage();
    expect((await intruder.goto(`${ORIGIN}/t/alice/`))?.status()).toBe(403);
    await intruder.close();
    for (const url of [`${ORIGIN}/t/alice/_platform/ready`, `${ORIGIN}/t/alice/`]) {
      expect((await fetch(url, { headers: { cookie: `${EDGE_SESSION_COOKIE}=${bobToken as string}` }, redirect: 'manual' })).status).toBe(
        403,
      );
      expect((await fetch(url, { redirect: 'manual' })).status).toBe(401);
    }
    await sleep(3000);
    expect(platform.lines.some((l) => /tenant alice: waking up/.test(l))).toBe(false);
    expect(namespaceExists(ALICE_POD)).toBe(false);
  });

  it('wakes her on her next visit: the waking view, then her Control UI connects by itself with her workspace intact', async () => {
    const watch = watchConnection(alice);
    const seen = platform.lines.length;
    const gatewayLog = path.join(stateDir, 'tenants', 'alice', 'logs', 'gateway.log');
    const logOffset = fs.statSync(gatewayLog).size;
    const waking = lineAfter(platform, seen, /tenant alice: waking up on a signed-in request/, 60_000);
    const starting = lineAfter(platform, seen, /tenant alice: starting its gateway/, 120_000);
    const ready = lineAfter(platform, seen, /tenant alice: ready in/, 180_000);
    const visitedAt = Date.now();
    await alice.goto(`${ORIGIN}/t/alice/`);
    await alice.locator('#view-progress').waitFor({ timeout: 30_000 });
    await alice
      .getByText(/Waking up your workspace|Almost there/)
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot(alice, 'idle-01-alice-waking');
    const wakingAt = await waking;
    const connectedAt = await watch.connected;
    const [startingAt, readyAt] = [await starting, await ready];
    timings['visit → connected (s)'] = (connectedAt - visitedAt) / 1000;
    timings['visit → edge reports the signed-in request (s)'] = (wakingAt - visitedAt) / 1000;
    timings['waking → gateway process starting (s)'] = (startingAt - wakingAt) / 1000;
    timings['gateway process → ready and routed (s)'] = (readyAt - startingAt) / 1000;
    timings['routed → connected (s)'] = (connectedAt - readyAt) / 1000;
    for (const [name, ms] of gatewayStartPhases(gatewayLogSince(gatewayLog, logOffset), startingAt))
      timings[`  OpenClaw: ${name} (s)`] = ms / 1000;
    process.stdout.write(`alice: wake ${JSON.stringify(timings, null, 2)}\n`);
    // Back on her own workspace (the Control UI then routes to its chat view).
    expect(alice.url()).toMatch(new RegExp(`^${ORIGIN}/t/alice/`));
    await alice.getByText('Connected', { exact: true }).first().waitFor({ timeout: 30_000 });
    await screenshot(alice, 'idle-02-alice-awake');
    const file = await alice.evaluate(async () => {
      const app = document.querySelector('openclaw-app') as unknown as {
        loginConnectionClient: { request(m: string, p: unknown): Promise<unknown> };
      };
      return app.loginConnectionClient.request('agents.files.get', { agentId: 'main', name: 'USER.md' });
    });
    expect(JSON.stringify(file)).toContain(marker);
  });
});
