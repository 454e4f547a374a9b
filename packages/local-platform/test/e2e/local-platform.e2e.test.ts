/**
 * The whole platform on this machine, driven the way a person uses it: the
 * CLI as a child process, headless Chromium against the edge, real OpenClaw
 * gateways in their own namespaces. Needs root, `chromium`, `git` and
 * iproute2; the first run installs Node.js 24 and OpenClaw.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { requireTestPrerequisites } from '@openclaw-tenancy/openclaw-runtime';
import {
  EDGE_SESSION_COOKIE,
  SESSION_BODY_HASH_HEADER,
  SESSION_PATHS,
  newTenantRecord,
  sessionBodyHash,
  suspendTenant,
} from '@openclaw-tenancy/shared';
import {
  loadPlatformConfigText,
  parseTenantRecordText,
  renderManifestYaml,
  serializeTenantRecord,
  synthesizeTenantFiles,
  synthesizeTenantObjects,
  REPOSITORY_ROOT,
} from '@openclaw-tenancy/tenant-manifests';
import { HOSTILE_TENANT_FOLDERS } from '@openclaw-tenancy/tenant-manifests/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { parseAllDocuments, stringify } from 'yaml';
import { STAND_IN_REPLY_PREFIX, scriptedToolCallMessage } from '../../src/model/scripted-model';
import { readRecordedToolResults } from '../../src/model/scripted-model-server';
import { stateLayout } from '../../src/state-layout';
import { ARTIFACTS_DIR, BrowserProfile, launchFreshProfile, screenshot } from '../support/browser';
import {
  PlatformProcess,
  confirmationCode,
  platformArgs,
  startPlatformProcess,
  startPlatformThroughNpm,
} from '../support/platform-process';
import { descendantsOf, stillRunning, waitForExit } from '../support/process-tree';
import { requireRoot } from '../support/root-required';
import { ConnectionWatch, PAIRING_PROMPT, PASSWORD, confirm, shown, signIn, signUp, watchConnection } from '../support/workspace-journey';

const execFileAsync = promisify(execFile);

jest.setTimeout(15 * 60_000);

const PREFIX = 'ocle';
const SUBNET = '10.248';
const IDENTITY_PORT = 19229;
const SECRETS_PORT = 14584;
const GIT_PORT = 39418;
const LOOPBACK_PORT = 18248;
const MODEL_PORT = 14648;
/** The URL the platform prints: a loopback port of the host (the same URL works through `ssh -L`). */
const ORIGIN = `http://127.0.0.1:${LOOPBACK_PORT}`;
const ARGS = (stateDir: string) =>
  platformArgs({
    stateDir,
    subnet: SUBNET,
    namePrefix: PREFIX,
    identityPort: IDENTITY_PORT,
    secretsPort: SECRETS_PORT,
    gitPort: GIT_PORT,
    loopbackPort: LOOPBACK_PORT,
    modelPort: MODEL_PORT,
  });
const NETWORK_LOCK = `/run/openclaw-local-platform-${PREFIX}.lock`;

function git(bareRepo: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', bareRepo, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir() },
  });
}

function namespacesWithPrefix(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(`${PREFIX}-`));
}

/** Stops the platform as `stop` does and proves nothing of it is left: no process it started, namespace, bridge or lock. */
async function expectCleanStop(platform: PlatformProcess, stateDir: string, stop: () => Promise<void>): Promise<void> {
  const started = [{ pid: platform.pid, command: '' }, ...descendantsOf(platform.pid)].filter((p) => p.pid > 0);
  const cli = Number(fs.readFileSync(stateLayout(stateDir).lockFile, 'utf8'));
  expect(started.map((p) => p.pid)).toContain(cli);
  expect(started.some((p) => /gateway run/.test(p.command))).toBe(true);
  await stop();
  await waitForExit(cli, 90_000);
  await waitForExit(platform.pid, 10_000);
  // The wrappers above the CLI (npm, its shells) exit right after it.
  const deadline = Date.now() + 10_000;
  while (stillRunning(started.filter((p) => p.command !== '')).length > 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 250));
  expect(stillRunning(started.filter((p) => p.command !== ''))).toEqual([]);
  expect(namespacesWithPrefix()).toEqual([]);
  expect(bridgeExists()).toBe(false);
  expect(fs.existsSync(stateLayout(stateDir).lockFile)).toBe(false);
  expect(fs.existsSync(NETWORK_LOCK)).toBe(false);
  expect(platform.lines.join('\n')).toMatch(/stopped in [\d.]+ s; nothing of it is running/);
  // A deliberate stop reads as one.
  expect(platform.lines.join('\n')).not.toMatch(/the edge exited|workspaces are unreachable/);
}

function bridgeExists(): boolean {
  try {
    execFileSync('ip', ['link', 'show', `${PREFIX}-br`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Commits files to the local GitOps remote the way an operator with push access would. */
function pushToGitOps(bareRepo: string, message: string, files: Record<string, string | null>): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-operator-'));
  const env = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: os.tmpdir(),
    GIT_AUTHOR_NAME: 'operator',
    GIT_AUTHOR_EMAIL: 'operator@example.com',
    GIT_COMMITTER_NAME: 'operator',
    GIT_COMMITTER_EMAIL: 'operator@example.com',
  };
  execFileSync('git', ['clone', '--quiet', bareRepo, work], { env });
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(work, file);
    if (content === null) fs.rmSync(full, { recursive: true, force: true });
    else {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, content);
    }
  }
  execFileSync('git', ['-C', work, 'add', '-A'], { env });
  execFileSync('git', ['-C', work, 'commit', '--quiet', '-m', message], { env });
  execFileSync('git', ['-C', work, 'push', '--quiet', 'origin', 'HEAD:main'], { env });
  fs.rmSync(work, { recursive: true, force: true });
}

async function sessionToken(context: BrowserContext, tenantId: string): Promise<string> {
  const cookie = (await context.cookies(`${ORIGIN}/t/${tenantId}/`)).find((c) => c.name === EDGE_SESSION_COOKIE);
  if (!cookie) throw new Error(`no ${EDGE_SESSION_COOKIE} cookie for /t/${tenantId}/`);
  return cookie.value;
}

interface User {
  readonly email: string;
  readonly profile: BrowserProfile;
  readonly page: Page;
  readonly watch: ConnectionWatch;
  /** What the browser console said was wrong on the user's page: console errors and failed requests. */
  readonly consoleErrors: string[];
}

async function newUser(email: string): Promise<User> {
  const profile = await launchFreshProfile();
  const page = profile.context.pages()[0] ?? (await profile.context.newPage());
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) consoleErrors.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return { email, profile, page, watch: watchConnection(page), consoleErrors };
}

describe('the local platform, end to end', () => {
  let stateDir: string;
  let platform: PlatformProcess;
  const users: User[] = [];
  const timings: Record<string, number> = {};

  beforeAll(() => {
    requireRoot();
    requireTestPrerequisites(['chromium', 'fonts-liberation', 'iproute2', 'git', 'openclaw-runtime']);
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-platform-e2e-'));
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  });

  afterAll(async () => {
    for (const u of users) await u.profile.close().catch(() => undefined);
    await platform?.stop();
    fs.writeFileSync(path.join(ARTIFACTS_DIR, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('refuses to start when a port it needs is taken, naming the port and its holder, and leaves nothing behind', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(IDENTITY_PORT, '0.0.0.0', resolve));
    const blockedState = fs.mkdtempSync(path.join(os.tmpdir(), 'local-platform-blocked-'));
    try {
      const blocked = startPlatformProcess(ARGS(blockedState));
      const code = await blocked.exited;
      expect(code).toBe(1);
      // The first listener on that port is the user pool endpoint on the host's loopback.
      expect(blocked.stderr()).toMatch(
        new RegExp(
          `port ${IDENTITY_PORT} on 127\\.0\\.0\\.1 \\(the user pool endpoint for the browser\\) is already in use by "node" \\(pid ${process.pid}\\)`,
        ),
      );
      expect(blocked.stderr()).toContain('--identity-port');
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
      fs.rmSync(blockedState, { recursive: true, force: true });
    }
    expect(namespacesWithPrefix()).toEqual([]);
    expect(bridgeExists()).toBe(false);
  });

  it('starts on a fresh state folder and prints the URL to open', async () => {
    platform = startPlatformProcess(ARGS(stateDir));
    // The first run on a machine installs Node.js 24 and OpenClaw.
    const up = await platform.waitForLine(/open (http:\/\/\S+) and sign up/, 10 * 60_000);
    expect(up[1]).toBe(`${ORIGIN}/`);
    expect(platform.lines.some((l) => /OpenClaw runtime .*: done in/.test(l))).toBe(true);
    await platform.waitForLine(
      new RegExp(
        `on another machine: ssh -L ${LOOPBACK_PORT}:127\\.0\\.0\\.1:${LOOPBACK_PORT} -L ${IDENTITY_PORT}:127\\.0\\.0\\.1:${IDENTITY_PORT} `,
      ),
      5000,
    );
    // Nothing a user cannot act on: no AWS SDK notice about the Node.js version.
    expect(`${platform.lines.join('\n')}\n${platform.stderr()}`).not.toMatch(/NodeVersionSupportWarning|AWS SDK for JavaScript/);
  });

  it('signs alice up in the browser and lands her in her own connected Control UI, with no pairing prompt', async () => {
    const alice = await newUser('alice@example.com');
    users.push(alice);
    const startedAt = Date.now();
    await signUp(alice.page, ORIGIN, 'Alice', alice.email);
    await screenshot(alice.page, '01-alice-confirm-code');
    const confirmedAt = await confirm(alice.page, await confirmationCode(platform, alice.email));
    await alice.page.locator('#view-progress').waitFor({ timeout: 60_000 });
    await screenshot(alice.page, '02-alice-progress');
    const connectedAt = await alice.watch.connected;
    timings['alice sign-up → connected (s)'] = (connectedAt - startedAt) / 1000;
    timings['alice confirm → connected (s)'] = (connectedAt - confirmedAt) / 1000;
    process.stdout.write(
      `alice: confirm → connected ${timings['alice confirm → connected (s)']} s (sign-up → connected ${timings['alice sign-up → connected (s)']} s)\n`,
    );

    expect(alice.page.url()).toMatch(new RegExp(`^${ORIGIN}/t/alice/`));
    await alice.page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 30_000 });
    await alice.page.getByText('Main Session').first().waitFor({ timeout: 30_000 });
    await screenshot(alice.page, '03-alice-control-ui-connected');
    expect(PAIRING_PROMPT.test(await alice.page.evaluate(() => document.body.innerText))).toBe(false);
    const gatewayLog = fs.readFileSync(path.join(stateDir, 'tenants', 'alice', 'logs', 'gateway.log'), 'utf8');
    expect(gatewayLog).toMatch(
      /trusted-proxy operator device auto-approved user=[0-9a-f-]{36} device=\w+ scopes=operator\.approvals,operator\.questions,operator\.read,operator\.write/,
    );
  });

  it('lets alice chat: the local model stand-in answers in her Control UI, saying what it is', async () => {
    const alice = users[0] as User;
    const composer = alice.page.getByRole('textbox', { name: 'Chat composer' });
    await composer.fill('hello');
    await composer.press('Enter');
    await alice.page.getByText(`${STAND_IN_REPLY_PREFIX} you said "hello".`).first().waitFor({ timeout: 90_000 });
    await screenshot(alice.page, '03b-alice-chat-stand-in-reply');
    // From sign-up to a chat, the console shows only honest answers nobody can act on: the readiness poll's 503 while
    // the gateway starts (twice a second), and OpenClaw's avatar lookup at Gravatar,
    // which has no network here (502). No refusal of a request the edge could answer, no "not signed in" error.
    const unexplained = alice.consoleErrors.filter(
      (e) =>
        !e.startsWith('console: Failed to load resource') &&
        !/^503 GET \/t\/alice\/_platform\/ready$/.test(e) &&
        !/^502 GET \/t\/alice\/api\/users\/[\w-]+\/avatar$/.test(e),
    );
    expect(unexplained).toEqual([]);
    expect(alice.consoleErrors.filter((e) => e.startsWith('console: Failed to load resource')).length).toBe(
      alice.consoleErrors.filter((e) => !e.startsWith('console: ')).length,
    );
  });

  it('makes the real gateway run a tool on the stand-in’s scripted request, and records what the gateway sent back', async () => {
    const alice = users[0] as User;
    const composer = alice.page.getByRole('textbox', { name: 'Chat composer' });
    await composer.fill(scriptedToolCallMessage({ tool: 'read', arguments: { path: 'USER.md' } }));
    await composer.press('Enter');
    await alice.page.getByText(`${STAND_IN_REPLY_PREFIX} read returned:`, { exact: false }).first().waitFor({ timeout: 90_000 });
    const results = readRecordedToolResults(stateLayout(stateDir).modelToolResultsFile);
    expect(results).toEqual([
      expect.objectContaining({
        tool: 'read',
        arguments: { path: 'USER.md' },
        caller: 'alice',
        result: expect.stringContaining('# USER.md'),
      }),
    ]);
  });

  it('runs the agent under its allowlist in the real gateway: exec, a file outside the workspace, spawning and a config change are refused; a write inside the workspace is allowed', async () => {
    const alice = users[0] as User;
    const composer = alice.page.getByRole('textbox', { name: 'Chat composer' });
    const marker = `allowlist-${Date.now()}`;
    // Each refusal is the running OpenClaw's own: a tool off the allowlist does not exist for the agent, and file tools
    // stay inside the workspace.
    const calls: { tool: string; arguments: Record<string, string>; refusal?: RegExp }[] = [
      { tool: 'exec', arguments: { command: 'id' }, refusal: /Tool exec not found/ },
      { tool: 'read', arguments: { path: '/etc/passwd' }, refusal: /Path escapes sandbox root/ },
      { tool: 'sessions_spawn', arguments: { task: 'run exec for me' }, refusal: /Tool sessions_spawn not found/ },
      { tool: 'gateway', arguments: { action: 'config.patch', raw: '{"tools":{"allow":["exec"]}}' }, refusal: /Tool gateway not found/ },
      { tool: 'write', arguments: { path: 'allowlist-check.md', content: marker } },
      { tool: 'read', arguments: { path: 'allowlist-check.md' } },
    ];
    const file = stateLayout(stateDir).modelToolResultsFile;
    for (const call of calls) {
      const before = readRecordedToolResults(file).length;
      await composer.fill(scriptedToolCallMessage({ tool: call.tool, arguments: call.arguments }));
      await composer.press('Enter');
      for (let i = 0; i < 180 && readRecordedToolResults(file).length === before; i++) await new Promise((r) => setTimeout(r, 500));
      const result =
        readRecordedToolResults(file)
          .slice(before)
          .find((r) => r.tool === call.tool)?.result ?? '(no result recorded)';
      process.stdout.write(`tool ${call.tool} ${JSON.stringify(call.arguments)} → ${result.slice(0, 160)}\n`);
      if (call.refusal) expect({ tool: call.tool, result }).toEqual({ tool: call.tool, result: expect.stringMatching(call.refusal) });
      else
        expect({ tool: call.tool, result }).toEqual({
          tool: call.tool,
          result: expect.not.stringMatching(/"status":\s*"error"|not found/),
        });
    }
    // Nothing the refused calls asked for happened; the allowed write is in the workspace, read back through the gateway.
    const results = readRecordedToolResults(file)
      .map((r) => r.result)
      .join('\n');
    expect(results).not.toMatch(/root:x:0:0/);
    expect(
      readRecordedToolResults(file)
        .filter((r) => r.tool === 'read')
        .pop()?.result,
    ).toContain(marker);
  });

  it('does not let alice raise her own tool policy: config writes need operator.admin, which the edge never grants', async () => {
    const alice = users.find((u) => u.email === 'alice@example.com');
    if (!alice) throw new Error('alice did not sign up');
    // The Control UI's own authenticated connection (the element and client are OpenClaw 2026.9.6's).
    const outcome = await alice.page.evaluate(async () => {
      const client = (
        document.querySelector('openclaw-app') as unknown as {
          loginConnectionClient: { request(method: string, params: unknown): Promise<{ hash?: string }> };
        }
      ).loginConnectionClient;
      const current = await client.request('config.get', {});
      try {
        await client.request('config.patch', { raw: '{ tools: { exec: { security: "full" } } }', baseHash: current.hash });
        return 'patched';
      } catch (error) {
        return String((error as Error).message ?? error);
      }
    });
    expect(outcome).toMatch(/operator\.admin/);
    const configFile = fs.readFileSync(path.join(stateDir, 'tenants', 'alice', 'pod', 'volumes', 'config', 'openclaw.json'), 'utf8');
    expect(JSON.parse(configFile).tools.exec.security).toBe('deny');
  });

  it("holds alice's registry file and manifests in the local GitOps remote, written in one commit", () => {
    const bare = path.join(stateDir, 'git', 'gitops.git');
    const record = git(bare, 'show', 'main:tenants/alice.yaml');
    expect(record).toMatch(/^id: alice$/m);
    expect(record).toMatch(/^status: active$/m);
    expect(record).toMatch(/^owner: [0-9a-f-]{36}$/m);
    const commits = git(bare, 'log', '--format=%H', 'main', '--', 'tenants/alice.yaml', 'deploy/tenants/alice').trim().split('\n');
    expect(commits).toHaveLength(1);
    const files = git(bare, 'show', '--name-only', '--format=', commits[0] as string)
      .trim()
      .split('\n');
    expect(files).toEqual(['deploy/tenants/alice/manifests.yaml', 'tenants/alice.yaml']);
  });

  it("signs bob up, and refuses bob's identity at /t/alice/", async () => {
    const bob = await newUser('bob@example.com');
    users.push(bob);
    await signUp(bob.page, ORIGIN, 'Bob', bob.email);
    await confirm(bob.page, await confirmationCode(platform, bob.email));
    await bob.page.locator('#view-progress').waitFor({ timeout: 60_000 });
    const bobToken = await sessionToken(bob.profile.context, 'bob');

    // bob's genuine ID token, presented at alice's route (as a cookie scoped there, and by a script).
    await bob.profile.context.addCookies([{ name: EDGE_SESSION_COOKIE, value: bobToken, url: `${ORIGIN}/t/alice/`, sameSite: 'Strict' }]);
    const intruderPage = await bob.profile.context.newPage();
    const response = await intruderPage.goto(`${ORIGIN}/t/alice/`);
    expect(response?.status()).toBe(403);
    // A page that says what happened and where to go, not "sign in required" and not raw JSON.
    expect(await intruderPage.locator('h1').textContent()).toBe('This workspace is not yours');
    expect(await intruderPage.getByRole('link', { name: 'Open your own workspace' }).getAttribute('href')).toBe('/t/bob/');
    await screenshot(intruderPage, '04-bob-refused-at-alice');
    await intruderPage.close();
    await bob.profile.context.clearCookies({ path: '/t/alice' });
    const ready = await fetch(`${ORIGIN}/t/alice/_platform/ready`, { headers: { cookie: `${EDGE_SESSION_COOKIE}=${bobToken}` } });
    expect(ready.status).toBe(403);

    await bob.watch.connected;
    expect(bob.page.url()).toMatch(new RegExp(`^${ORIGIN}/t/bob/`));
  });

  it("keeps alice's workspace across a restart of the platform, which a terminal's Ctrl-C (SIGINT to the process group) stops, leaving nothing behind", async () => {
    const workspace = path.join(stateDir, 'tenants', 'alice', 'volumes', 'openclaw-state', 'workspace');
    fs.mkdirSync(workspace, { recursive: true });
    fs.chownSync(workspace, 1000, 1000);
    const marker = `written before the restart (${new Date().toISOString()})`;
    fs.writeFileSync(path.join(workspace, 'USER.md'), `# About me\n\n${marker}\n`);
    fs.chownSync(path.join(workspace, 'USER.md'), 1000, 1000);

    await expectCleanStop(platform, stateDir, async () => {
      expect(await platform.stop()).toBe(0);
    });

    platform = startPlatformProcess(ARGS(stateDir));
    await platform.waitForLine(/local platform up in/, 5 * 60_000);
    expect(platform.lines.some((l) => /user pool local_\w+, app client \w+$/.test(l))).toBe(true);
    await platform.waitForLine(/tenant alice: ready in/, 5 * 60_000);

    const alice = users[0] as User;
    const reconnected = watchConnection(alice.page);
    await alice.page.goto(`${ORIGIN}/t/alice/`);
    await reconnected.connected;
    await alice.page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 30_000 });
    const file = await alice.page.evaluate(async () => {
      const app = document.querySelector('openclaw-app') as unknown as {
        loginConnectionClient: { request(m: string, p: unknown): Promise<unknown> };
      };
      return app.loginConnectionClient.request('agents.files.get', { agentId: 'main', name: 'USER.md' });
    });
    expect(JSON.stringify(file)).toContain(marker);
    await screenshot(alice.page, '05-alice-after-restart');
  });

  it('rejects a tenant whose config OpenClaw finds invalid before starting it, and reports a gateway that fails to start, while alice keeps running', async () => {
    const bare = path.join(stateDir, 'git', 'gitops.git');
    const config = loadPlatformConfigText(fs.readFileSync(stateLayout(stateDir).platformConfigFile, 'utf8'), 'platform.local.yaml');
    const record = (id: string) =>
      newTenantRecord({ id, owner: `${id}-owner-0001`, tier: 'standard', runtime: 'runc', createdAt: new Date() });
    const manifests = (id: string) => (synthesizeTenantFiles(record(id), config)[0] as { content: string }).content;
    // eve: the ConfigMap carries a bind mode OpenClaw does not know.
    const eve = parseAllDocuments(manifests('eve'))
      .map((doc) => doc.toJS() as { kind?: string; data?: Record<string, string> } | null)
      .filter((object): object is { kind?: string; data?: Record<string, string> } => object !== null)
      .map((object) => {
        const openclawJson = object.kind === 'ConfigMap' ? object.data?.['openclaw.json'] : undefined;
        if (openclawJson && object.data) {
          const openclaw = JSON.parse(openclawJson) as { gateway: { bind: string } };
          openclaw.gateway.bind = '0.0.0.0';
          object.data['openclaw.json'] = `${JSON.stringify(openclaw, null, 2)}\n`;
        }
        return stringify(object);
      })
      .join('---\n');
    // dave: a valid config, but no secret was ever provisioned for it, so OpenClaw fails closed.
    pushToGitOps(bare, 'Add two tenants by hand', {
      'tenants/eve.yaml': serializeTenantRecord(record('eve')),
      'deploy/tenants/eve/manifests.yaml': eve,
      'tenants/dave.yaml': serializeTenantRecord(record('dave')),
      'deploy/tenants/dave/manifests.yaml': manifests('dave'),
    });

    await platform.waitForLine(/tenant eve: OpenClaw rejected the config of its ConfigMap; the gateway is not started/, 3 * 60_000);
    await platform.waitForLine(/^\s+gateway\.bind: Invalid input \(allowed: "auto", "lan", "loopback", "custom", "tailnet"\)/, 10_000);
    const daveFailed = await platform.waitForLine(/tenant dave: (OpenClaw exited with code 1.*); restarting in \d+ s/, 5 * 60_000);
    process.stdout.write(`dave: ${daveFailed[0]}\n`);
    expect(platform.lines.join('\n')).toMatch(
      /tenant dave: OpenClaw exited with code 1[^\n]*\n\s+Gateway failed to start: Startup failed: required secrets are unavailable/,
    );
    expect(platform.lines).toEqual(expect.arrayContaining([expect.stringMatching(/secrets store: denied tenant\/dave GetSecretValue/)]));
    expect(platform.lines.some((l) => /tenant eve: starting/.test(l))).toBe(false);

    const alice = users[0] as User;
    const aliceReady = await alice.page.evaluate(async () => (await fetch('/t/alice/_platform/ready')).json());
    expect(aliceReady).toMatchObject({ ready: true });

    pushToGitOps(bare, 'Remove the hand-made tenants', {
      'tenants/eve.yaml': null,
      'deploy/tenants/eve': null,
      'tenants/dave.yaml': null,
      'deploy/tenants/dave': null,
    });
  });

  it("refuses a hostile tenant commit at the cluster's two fences (Argo CD's project rules, the admission policies) while alice keeps running", async () => {
    const bare = path.join(stateDir, 'git', 'gitops.git');
    const config = loadPlatformConfigText(fs.readFileSync(stateLayout(stateDir).platformConfigFile, 'utf8'), 'platform.local.yaml');
    const mallory = newTenantRecord({
      id: 'mallory',
      owner: 'mallory-owner-0001',
      tier: 'standard',
      runtime: 'runc',
      createdAt: new Date(),
    });
    // Her route claims alice's path, her namespace drops Pod Security, and her gateway Deployment lands in alice's namespace.
    const edits = ['TENANT-ROUTE-PATH', 'TENANT-NAMESPACE-PSS', 'TENANT-OWN-NAMESPACE'].map((rule) =>
      HOSTILE_TENANT_FOLDERS.find((c) => c.rule === rule)!,
    );
    const objects = edits.reduce((o, c) => c.hostile(o, 'mallory', 'alice'), synthesizeTenantObjects(mallory, config));
    pushToGitOps(bare, 'Hostile tenant', {
      'tenants/mallory.yaml': serializeTenantRecord(mallory),
      'deploy/tenants/mallory/manifests.yaml': renderManifestYaml(objects),
    });

    const refused =
      (await platform.waitForLine(/tenant mallory: cannot run it: refused \(nothing of it runs\): (.*)$/, 2 * 60_000))[1] ?? '';
    for (const rule of ['TENANT-ROUTE-PATH', 'TENANT-NAMESPACE-PSS', 'TENANT-OWN-NAMESPACE']) expect(refused).toContain(`[${rule}]`);
    expect(refused).toMatch(
      /Argo CD project tenant-mallory: resource apps\/v1 Deployment "openclaw-gateway" in namespace "openclaw-alice" is not permitted/,
    );
    expect(platform.lines.some((l) => /tenant mallory: starting/.test(l))).toBe(false);
    expect(namespacesWithPrefix()).not.toContain(`${PREFIX}-t-mallory`);

    const alice = users[0] as User;
    expect(await alice.page.evaluate(async () => (await fetch('/t/alice/_platform/ready')).json())).toMatchObject({ ready: true });
    await alice.page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 30_000 });

    pushToGitOps(bare, 'Remove the hostile tenant', { 'tenants/mallory.yaml': null, 'deploy/tenants/mallory': null });
  });

  it("stops bob's gateway when his tenant is suspended in Git, and keeps his workspace folder", async () => {
    const bare = path.join(stateDir, 'git', 'gitops.git');
    const config = loadPlatformConfigText(fs.readFileSync(stateLayout(stateDir).platformConfigFile, 'utf8'), 'platform.local.yaml');
    const bob = suspendTenant(parseTenantRecordText(git(bare, 'show', 'main:tenants/bob.yaml'), 'tenants/bob.yaml'), new Date(), 'budget');
    const files: Record<string, string> = { 'tenants/bob.yaml': serializeTenantRecord(bob) };
    for (const f of synthesizeTenantFiles(bob, config)) files[f.path] = f.content;
    pushToGitOps(bare, 'Suspend bob', files);
    await platform.waitForLine(/tenant bob: gateway stopped/, 2 * 60_000);
    expect(namespacesWithPrefix()).not.toContain(`${PREFIX}-t-bob`);
    expect(fs.existsSync(path.join(stateDir, 'tenants', 'bob', 'volumes', 'openclaw-state'))).toBe(true);
    const refused = await fetch(`${ORIGIN}/t/bob/_platform/ready`, {
      headers: { cookie: `${EDGE_SESSION_COOKIE}=${await sessionToken((users[1] as User).profile.context, 'bob')}` },
    });
    expect(refused.status).toBe(503);
  });

  it('invites ivy (`npm run local:invite`): she signs in with the temporary password, chooses her own and lands in her connected workspace', async () => {
    const { stdout } = await execFileAsync(
      'npm',
      ['run', '--silent', 'local:invite', '--', 'ivy@example.com', '--name', 'Ivy', '--state-dir', stateDir, '--json'],
      { cwd: REPOSITORY_ROOT, encoding: 'utf8' },
    );
    expect(JSON.parse(stdout)).toMatchObject({
      invitation: { email: 'ivy@example.com', tenantId: 'ivy' },
      tenant: { status: 'provisioned', provisioningPending: [] },
    });
    // Where Cognito would e-mail it.
    const temporary = (await platform.waitForLine(/invitation for ivy@example\.com: temporary password (\S+)/, 10_000))[1] ?? '';

    const ivy = await newUser('ivy@example.com');
    users.push(ivy);
    await ivy.page.goto(`${ORIGIN}/`);
    await ivy.page.locator('#view-sign-in').waitFor();
    await shown(ivy.page).getByLabel('E-mail', { exact: true }).fill(ivy.email);
    await shown(ivy.page).getByLabel('Password', { exact: true }).fill(temporary);
    await ivy.page.getByRole('button', { name: 'Sign in' }).click();
    await ivy.page.locator('#view-new-password').waitFor();
    await shown(ivy.page).getByLabel('New password').fill(PASSWORD);
    await ivy.page.getByRole('button', { name: 'Set password and continue' }).click();
    await ivy.watch.connected;
    expect(ivy.page.url()).toMatch(new RegExp(`^${ORIGIN}/t/ivy/`));
    await screenshot(ivy.page, '05b-ivy-invited-connected');
    // The temporary password is spent.
    const body = JSON.stringify({ email: ivy.email, password: temporary });
    const reuse = await fetch(`${ORIGIN}${SESSION_PATHS.signIn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SESSION_BODY_HASH_HEADER]: await sessionBodyHash(body) },
      body,
    });
    // cognito-local names a wrong password InvalidPasswordException (400); Cognito says NotAuthorizedException (401).
    expect([400, 401]).toContain(reuse.status);
    expect(reuse.headers.getSetCookie()).toEqual([]);
  });

  it('offboards bob through the offboarding job (`npm run local:offboard`): his session is refused, he cannot sign in again, his data stays', async () => {
    const bob = users[1] as User;
    const token = await sessionToken(bob.profile.context, 'bob');
    const { stdout } = await execFileAsync(
      'npm',
      ['run', '--silent', 'local:offboard', '--', 'bob', '--reason', 'left-company', '--state-dir', stateDir, '--json'],
      { cwd: REPOSITORY_ROOT, encoding: 'utf8' },
    );
    expect(JSON.parse(stdout)).toMatchObject({
      job: { type: 'offboard', tenantId: 'bob', reason: 'left-company' },
      tenant: { status: 'deleted' },
    });
    // Git: the tombstone, and a folder that keeps the data only.
    const bare = path.join(stateDir, 'git', 'gitops.git');
    expect(git(bare, 'show', 'main:tenants/bob.yaml')).toMatch(/status: deleted/);
    const kept = git(bare, 'show', 'main:deploy/tenants/bob/manifests.yaml');
    expect(kept).toMatch(/kind: PersistentVolumeClaim/);
    expect(kept).not.toMatch(/kind: (Deployment|HTTPRoute|SecurityPolicy)/);
    expect(fs.existsSync(path.join(stateDir, 'tenants', 'bob', 'volumes', 'openclaw-state'))).toBe(true);

    // His still unexpired ID token reaches nothing: no gateway runs for bob. (The cluster has no route for him any more
    // and answers from the catch-all; the local edge answers as for a stopped workspace.)
    const refused = await fetch(`${ORIGIN}/t/bob/_platform/ready`, { headers: { cookie: `${EDGE_SESSION_COOKIE}=${token}` } });
    expect([401, 403, 404, 503]).toContain(refused.status);
    expect(namespacesWithPrefix()).not.toContain(`${PREFIX}-t-bob`);
    // And he cannot sign in again: the pool refuses a disabled user, the page says no more than for a wrong password.
    await bob.profile.context.clearCookies();
    await signIn(bob.page, ORIGIN, bob.email);
    await bob.page.locator('#error').waitFor({ state: 'visible' });
    expect(await bob.page.locator('#error').textContent()).toBe('Incorrect e-mail or password.');
    expect((await bob.profile.context.cookies()).map((c) => c.name)).toEqual([]);
    await screenshot(bob.page, '06-bob-offboarded-sign-in-refused');

    // A second offboarding is refused (exit 3) and changes nothing.
    const again = await execFileAsync('npm', ['run', '--silent', 'local:offboard', '--', 'bob', '--state-dir', stateDir], {
      cwd: REPOSITORY_ROOT,
      encoding: 'utf8',
    }).catch((e: { code: number; stderr: string }) => e);
    expect(again).toMatchObject({ code: 3, stderr: expect.stringMatching(/already offboarded/) });
  });

  it('signs alice out from her workspace: the open Control UI disconnects at once, the old cookie is refused, she lands on sign-in', async () => {
    const alice = users[0] as User;
    const oldCookie = await sessionToken(alice.profile.context, 'alice');
    // An open, connected workspace tab, and a second tab that signs out through the workspace's own path.
    const closed = new Promise<void>((resolve) => alice.page.on('websocket', (ws) => ws.on('close', () => resolve())));
    const reconnected = watchConnection(alice.page);
    await alice.page.goto(`${ORIGIN}/t/alice/`);
    await reconnected.connected;
    const other = await alice.profile.context.newPage();
    await other.goto(`${ORIGIN}/t/alice/_platform/sign-out`);
    await other.locator('#view-sign-in').waitFor();
    await screenshot(other, '07-alice-signed-out');
    await closed;
    expect((await alice.profile.context.cookies(`${ORIGIN}/t/alice/`)).filter((c) => c.name === EDGE_SESSION_COOKIE)).toEqual([]);
    const withOldCookie = await fetch(`${ORIGIN}/t/alice/_platform/ready`, { headers: { cookie: `${EDGE_SESSION_COOKIE}=${oldCookie}` } });
    expect(withOldCookie.status).toBe(401);
    const response = await other.goto(`${ORIGIN}/t/alice/`);
    expect(response?.status()).toBe(401);
    await other.close();
  });

  it('survives a crash: its processes end with it, and the next start (through npm) cleans up what it left', async () => {
    const started = descendantsOf(platform.pid);
    expect(started.some((p) => /gateway run/.test(p.command))).toBe(true);
    process.kill(platform.pid, 'SIGKILL');
    await waitForExit(platform.pid, 10_000);
    // Every part dies with the platform (parent-death signal); a crash leaves only namespaces, bridge and locks.
    const deadline = Date.now() + 30_000;
    while (stillRunning(started).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(stillRunning(started)).toEqual([]);
    expect(namespacesWithPrefix().length).toBeGreaterThan(0);

    platform = startPlatformThroughNpm(ARGS(stateDir));
    await platform.waitForLine(/local platform up in/, 5 * 60_000);
    await platform.waitForLine(/tenant alice: ready in/, 5 * 60_000);
  });

  it('stops cleanly when the npm that launched it gets SIGTERM (`kill <npm pid>`), leaving nothing behind', async () => {
    await expectCleanStop(platform, stateDir, async () => {
      process.kill(platform.pid, 'SIGTERM');
    });
    expect(platform.lines.join('\n')).toMatch(
      /the process that launched the platform \(pid \d+, sh -c [^)]*\) exited: stopping everything|SIGTERM: stopping everything/,
    );
  });
});
