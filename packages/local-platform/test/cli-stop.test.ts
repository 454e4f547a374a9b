/**
 * The CLI as an operator scripts it (`--json`), stopped by a signal to its own
 * process: SIGTERM (`kill <pid>`) and SIGHUP (the terminal closed). Each stop
 * ends everything it started; no namespace, bridge or lock is left. Needs root.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freeLoopbackPort } from '@openclaw-tenancy/lambdas/testing';
import { stateLayout } from '../src/state-layout';
import { startPlatformProcess } from './support/platform-process';
import { descendantsOf, stillRunning, waitForExit } from './support/process-tree';
import { requireRoot } from './support/root-required';

jest.setTimeout(180_000);

const PREFIX = 'oclc';
const SUBNET = '10.249';

const leftovers = () => ({
  namespaces: execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.startsWith(`${PREFIX}-`)),
  bridge: execFileSync('ip', ['-br', 'link'], { encoding: 'utf8' }).includes(`${PREFIX}-br`),
  networkLock: fs.existsSync(`/run/openclaw-local-platform-${PREFIX}.lock`),
});

/** CLI arguments on free ports and this test's subnet and prefix. */
async function argsFor(stateDir: string): Promise<{ args: string[]; loopback: string; model: string }> {
  const [loopback, identity, secrets, git, model] = (await Promise.all(Array.from({ length: 5 }, () => freeLoopbackPort()))).map(
    String,
  ) as [string, string, string, string, string];
  const args = [
    '--json',
    '--state-dir',
    stateDir,
    '--subnet',
    SUBNET,
    '--name-prefix',
    PREFIX,
    '--loopback-port',
    loopback,
    '--identity-port',
    identity,
    '--secrets-port',
    secrets,
    '--git-port',
    git,
    '--model-port',
    model,
  ];
  return { args, loopback, model };
}

describe('the CLI, stopped by a signal to its own process', () => {
  let stateDir: string;
  beforeAll(() => {
    requireRoot();
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-platform-cli-'));
  });
  afterAll(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  it('stops a start in progress at its next phase, stopping what it had started', async () => {
    const { args } = await argsFor(stateDir);
    const platform = startPlatformProcess(args);
    // The first progress line: the phases after it (runtime check, auth UI, network, services) take seconds.
    await platform.waitForLine(/"message":"state: /, 150_000);
    const started = descendantsOf(platform.pid);
    process.kill(platform.pid, 'SIGTERM');
    expect(await platform.exited).toBe(0);
    expect(stillRunning(started)).toEqual([]);
    expect(leftovers()).toEqual({ namespaces: [], bridge: false, networkLock: false });
    const events = platform.lines.map((l) => JSON.parse(l) as { message?: string; event?: string });
    expect(events.some((e) => e.event === 'up')).toBe(false);
    expect(events.at(-1)).toMatchObject({ event: 'stopped' });
  });

  it.each([['SIGTERM'], ['SIGHUP']] as const)('stops everything it started on %s and says so in --json', async (signal) => {
    const { args, loopback, model } = await argsFor(stateDir);
    const platform = startPlatformProcess(args);
    const up = JSON.parse((await platform.waitForLine(/"event":"up"/, 150_000)).input) as { url: string; modelEndpoint: string };
    expect(up.url).toBe(`http://127.0.0.1:${loopback}/`);
    expect(up.modelEndpoint).toBe(`http://${SUBNET}.0.1:${model}/v1`);
    expect((await fetch(up.url)).status).toBe(200);
    const started = descendantsOf(platform.pid);
    expect(started.some((p) => /cognito-local/.test(p.command))).toBe(true);
    expect(started.some((p) => /edge-process/.test(p.command))).toBe(true);

    process.kill(platform.pid, signal);
    expect(await platform.exited).toBe(0);
    await waitForExit(platform.pid, 10_000);
    expect(stillRunning(started)).toEqual([]);
    expect(leftovers()).toEqual({ namespaces: [], bridge: false, networkLock: false });
    expect(fs.existsSync(stateLayout(stateDir).lockFile)).toBe(false);
    const events = platform.lines.map((l) => JSON.parse(l) as { message?: string; event?: string });
    expect(events.some((e) => e.message?.startsWith(`${signal}`) && e.message.includes('stopping everything'))).toBe(true);
    expect(events.at(-1)).toMatchObject({ event: 'stopped' });
    expect(platform.lines.join('\n')).not.toMatch(/the edge exited|NodeVersionSupportWarning/);
  });
});
