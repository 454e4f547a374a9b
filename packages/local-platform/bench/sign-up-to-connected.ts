/**
 * `nx run local-platform:bench`: on a fresh state folder, one person signs up
 * in headless Chromium; prints the time from "Create account" and from
 * "Verify" to a connected Control UI (the gateway's hello-ok), where that time
 * went (from the platform's own progress lines), and the memory of the idle
 * tenant gateway (RSS summed over the processes of its pod). Needs root.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BENCH_RESULTS_DIR } from '@openclaw-tenancy/tenant-manifests';
import { launchFreshProfile } from '../test/support/browser';
import { confirmationCode, platformArgs, startPlatformProcess } from '../test/support/platform-process';
import { confirm, signUp, watchConnection } from '../test/support/workspace-journey';

const PREFIX = 'oclb';
const SUBNET = '10.247';
const LOOPBACK_PORT = 18347;
// The URL a person opens (ADR 0411): a loopback origin is a secure context, which the auth UI's session requests need.
const ORIGIN = `http://127.0.0.1:${LOOPBACK_PORT}`;
const IDLE_SECONDS = 30;
const GOAL_SECONDS = 30;

function podRss(tenantId: string): { processes: Array<{ pid: number; command: string; rssMiB: number }>; totalMiB: number } {
  const pids = execFileSync('ip', ['netns', 'pids', `${PREFIX}-t-${tenantId}`], { encoding: 'utf8' })
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  const processes = pids
    .map((pid) => {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(0, 3).join(' ');
      return { pid, command, rssMiB: Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024 };
    })
    // The sandbox launcher waiting outside the pod's PID namespace is not part of the workload.
    .filter((p) => !p.command.includes('unshare'));
  return { processes, totalMiB: processes.reduce((sum, p) => sum + p.rssMiB, 0) };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the benchmark starts the local platform, which needs root');
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-platform-bench-'));
  const platform = startPlatformProcess(
    platformArgs({
      stateDir,
      subnet: SUBNET,
      namePrefix: PREFIX,
      identityPort: 29229,
      secretsPort: 24584,
      gitPort: 29418,
      loopbackPort: LOOPBACK_PORT,
    }),
  );
  const profile = await launchFreshProfile();
  try {
    await platform.waitForLine(/local platform up in/, 10 * 60_000);
    const page = profile.context.pages()[0] ?? (await profile.context.newPage());
    const watch = watchConnection(page);
    await page.goto(`${ORIGIN}/#sign-up`);
    const signUpAt = Date.now();
    await signUp(page, ORIGIN, 'Bench', 'bench@example.com');
    const code = await confirmationCode(platform, 'bench@example.com');
    // Milestones are timed when they happen (the platform's own lines carry whole seconds only).
    const at = (p: Promise<unknown>) => p.then(() => Date.now());
    const milestones: Array<[string, Promise<number>]> = [
      [
        'tenant committed to Git (PostConfirmation, queue, provisioner)',
        at(platform.waitForLine(/admin notification: New tenant created: bench/, 120_000)),
      ],
      ['config validated, gateway process starting', at(platform.waitForLine(/tenant bench: starting its gateway/, 120_000))],
      ['gateway ready (/readyz), routed at the edge', at(platform.waitForLine(/tenant bench: ready in/, 180_000))],
      [
        'the progress view sees it ready and opens the workspace',
        at(page.waitForURL(/\/t\/bench\//, { timeout: 180_000, waitUntil: 'commit' })),
      ],
      ['Control UI opens its WebSocket', at(new Promise((resolve) => page.once('websocket', resolve)))],
    ];
    const confirmAt = await confirm(page, code);
    const connectedAt = await watch.connected;
    const timeline = [
      ...(await Promise.all(milestones.map(async ([name, when]) => [name, await when] as const))),
      ['hello-ok: connected', connectedAt] as const,
    ];
    const phases = platform.lines.filter((l) => /tenant bench:|admin notification: New tenant created: bench/.test(l));

    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const rss = podRss('bench');

    const report = [
      `local-platform benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
      '',
      `sign-up ("Create account") → connected Control UI: ${seconds(connectedAt - signUpAt)}  (goal ≤ ${GOAL_SECONDS} s: ${connectedAt - signUpAt <= GOAL_SECONDS * 1000 ? 'met' : 'not met'})`,
      `confirm ("Verify") → connected Control UI:           ${seconds(connectedAt - confirmAt)}`,
      '',
      'after "Verify":',
      ...timeline.map(
        ([name, when], i) =>
          `  +${seconds(when - confirmAt).padStart(7)}  (${seconds(when - (i === 0 ? confirmAt : timeline[i - 1]![1])).padStart(7)})  ${name}`,
      ),
      '',
      'platform output:',
      ...phases.map((l) => `  ${l}`),
      '',
      `idle tenant gateway after ${IDLE_SECONDS} s, RSS per process of its pod:`,
      ...rss.processes.map((p) => `  ${p.rssMiB.toFixed(0).padStart(6)} MiB  ${p.command}`),
      `  ${rss.totalMiB.toFixed(0).padStart(6)} MiB  total`,
    ].join('\n');
    process.stdout.write(`${report}\n`);
    fs.mkdirSync(BENCH_RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(BENCH_RESULTS_DIR, 'local-platform.txt'), `${report}\n`);
  } finally {
    await profile.close();
    await platform.stop();
    // BENCH_KEEP_STATE=1 keeps the state folder (the tenant's gateway.log shows OpenClaw's own startup phases).
    if (process.env.BENCH_KEEP_STATE === '1') process.stdout.write(`state kept at ${stateDir}\n`);
    else fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).message}\n`);
  process.exit(1);
});
