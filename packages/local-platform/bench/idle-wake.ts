/**
 * `nx run local-platform:bench` (second part): idle suspend and wake on a
 * fresh state folder with a short idle timeout. One person signs up in
 * headless Chromium, then WAKES times: leaves (the Control UI closes), waits
 * until the platform suspends the idle gateway, and opens the workspace
 * again. Prints wake (visit → connected Control UI) p50/p95, where each wake's
 * time went (the platform's progress lines and OpenClaw's own gateway log),
 * and the resident memory of the tenant's pod running and suspended. Needs root.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BENCH_RESULTS_DIR } from '@openclaw-tenancy/tenant-manifests';
import { launchFreshProfile } from '../test/support/browser';
import { podPids, residentMiB } from '../test/support/pod-processes';
import { confirmationCode, platformArgs, startPlatformProcess } from '../test/support/platform-process';
import { gatewayLogSince, gatewayStartPhases, lineAfter } from '../test/support/wake-timeline';
import { confirm, signUp, watchConnection } from '../test/support/workspace-journey';

const PREFIX = 'oclw';
const SUBNET = '10.245';
const LOOPBACK_PORT = 18245;
const ORIGIN = `http://127.0.0.1:${LOOPBACK_PORT}`;
const IDLE_TIMEOUT_S = 10;
const WAKES = Number(process.env.BENCH_WAKES ?? 5);
const WAKE_GOAL_S = 8;
const SETTLE_MS = 10_000;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the benchmark starts the local platform, which needs root');
  if (!Number.isInteger(WAKES) || WAKES < 1)
    throw new Error(`BENCH_WAKES must be a positive whole number, got ${JSON.stringify(process.env.BENCH_WAKES)}`);
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-platform-bench-idle-'));
  const gatewayLog = path.join(stateDir, 'tenants', 'bench', 'logs', 'gateway.log');
  const pod = `${PREFIX}-t-bench`;
  const platform = startPlatformProcess(
    platformArgs({
      stateDir,
      subnet: SUBNET,
      namePrefix: PREFIX,
      loopbackPort: LOOPBACK_PORT,
      identityPort: 29245,
      secretsPort: 24545,
      gitPort: 29445,
      modelPort: 24645,
      idleTimeoutSeconds: IDLE_TIMEOUT_S,
    }),
  );
  const profile = await launchFreshProfile();
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  try {
    await platform.waitForLine(/local platform up in/, 10 * 60_000);
    const page = profile.context.pages()[0] ?? (await profile.context.newPage());
    const first = watchConnection(page);
    const signUpAt = Date.now();
    await signUp(page, ORIGIN, 'Bench', 'bench@example.com');
    const code = await confirmationCode(platform, 'bench@example.com');
    const confirmAt = await confirm(page, code);
    const firstConnectedAt = await first.connected;
    const firstStart = gatewayLogSince(gatewayLog, 0);
    progress(`signed up: Verify → connected ${s(firstConnectedAt - confirmAt)}`);

    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const runningMiB = residentMiB(podPids(pod));
    const wakes: Array<{ totalMs: number; phases: Array<[string, number]>; gateway: Array<[string, number]> }> = [];
    let suspendedMiB = -1;
    for (let i = 0; i < WAKES; i++) {
      const seen = platform.lines.length;
      const after = (pattern: RegExp, timeoutMs: number) => lineAfter(platform, seen, pattern, timeoutMs);
      await page.goto(`${ORIGIN}/`);
      await after(/tenant bench: gateway stopped/, (IDLE_TIMEOUT_S + 60) * 1000);
      suspendedMiB = residentMiB(podPids(pod));
      const offset = fs.statSync(gatewayLog).size;
      const watch = watchConnection(page);
      const visitAt = Date.now();
      const waking = after(/tenant bench: waking up/, 60_000);
      const starting = after(/tenant bench: starting its gateway/, 120_000);
      const ready = after(/tenant bench: ready in/, 180_000);
      await page.goto(`${ORIGIN}/t/bench/`);
      const connectedAt = await watch.connected;
      const startingAt = await starting;
      const readyAt = await ready;
      const log = gatewayLogSince(gatewayLog, offset);
      const gateway = gatewayStartPhases(log, startingAt);
      wakes.push({
        totalMs: connectedAt - visitAt,
        phases: [
          ['visit → the edge reports the signed-in request (waking)', (await waking) - visitAt],
          ['waking → gateway process starting (pod network, init container)', startingAt - (await waking)],
          ['gateway process → /readyz, routed (OpenClaw start)', readyAt - startingAt],
          ['routed → Control UI connected (progress poll, page, WebSocket)', connectedAt - readyAt],
        ],
        gateway,
      });
      progress(`wake ${i + 1}/${WAKES}: ${s(connectedAt - visitAt)}`);
      await new Promise((r) => setTimeout(r, 2000));
    }

    const totals = wakes.map((w) => w.totalMs);
    const p50 = percentile(totals, 50);
    const p95 = percentile(totals, 95);
    const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
    const phaseNames = wakes[0]?.phases.map(([n]) => n) ?? [];
    const gatewayNames = [...new Set(wakes.flatMap((w) => w.gateway.map(([n]) => n)))];
    const firstStartMs = (pattern: RegExp) => firstStart.find((l) => pattern.test(l.message))?.at;
    const firstFirstLine = firstStart[0]?.at;
    const firstReady = firstStartMs(/gateway ready/);
    const report = [
      `local-platform idle/wake benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
      `idle timeout ${IDLE_TIMEOUT_S} s (--idle-timeout), ${WAKES} wakes`,
      '',
      `wake (visit → connected Control UI): p50 ${s(p50)}, p95 ${s(p95)}  (goal p50 ≤ ${WAKE_GOAL_S} s: ${p50 <= WAKE_GOAL_S * 1000 ? 'met' : 'NOT met — breakdown below'})`,
      `  each: ${totals.map(s).join(', ')}`,
      `sign-up: "Verify" → connected ${s(firstConnectedAt - confirmAt)}, "Create account" → connected ${s(firstConnectedAt - signUpAt)}`,
      '',
      'where a wake goes (mean over the wakes):',
      ...phaseNames.map((name, i) => `  ${s(mean(wakes.map((w) => w.phases[i]?.[1] ?? 0))).padStart(8)}  ${name}`),
      '',
      'OpenClaw start, from its own log (mean over the wakes; warm compile cache):',
      ...gatewayNames.map((name) => {
        const values = wakes.map((w) => w.gateway.find(([n]) => n === name)?.[1]).filter((v): v is number => v !== undefined);
        return `  ${values.length ? s(mean(values)).padStart(8) : '       —'}  ${name}`;
      }),
      firstFirstLine !== undefined && firstReady !== undefined
        ? `  first start (cold compile cache): first log line → ready ${s(firstReady - firstFirstLine)}`
        : '',
      '',
      `tenant pod resident memory: running ${runningMiB} MiB (${SETTLE_MS / 1000} s after connecting), suspended ${suspendedMiB} MiB`,
    ].join('\n');
    process.stdout.write(`${report}\n`);
    fs.mkdirSync(BENCH_RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(BENCH_RESULTS_DIR, 'local-platform-idle-wake.txt'), `${report}\n`);
    fs.writeFileSync(
      path.join(BENCH_RESULTS_DIR, 'local-platform-idle-wake.json'),
      `${JSON.stringify({ idleTimeoutSeconds: IDLE_TIMEOUT_S, wakesMs: totals, p50Ms: p50, p95Ms: p95, runningMiB, suspendedMiB, wakes }, null, 2)}\n`,
    );
  } finally {
    await profile.close();
    await platform.stop();
    if (process.env.BENCH_KEEP_STATE === '1') process.stdout.write(`state kept at ${stateDir}\n`);
    else fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).message}\n`);
  process.exit(1);
});
