/** Where one gateway start or wake went: the platform's progress lines as they arrive, and OpenClaw's own log. */
import * as fs from 'node:fs';
import type { PlatformProcess } from './platform-process';

export interface GatewayLogLine {
  readonly at: number;
  readonly message: string;
}

/** OpenClaw's own log lines (JSON console style) written after byte `offset` of `file`. */
export function gatewayLogSince(file: string, offset: number): GatewayLogLine[] {
  const lines: GatewayLogLine[] = [];
  for (const raw of fs.readFileSync(file, 'utf8').slice(offset).split('\n')) {
    try {
      const parsed = JSON.parse(raw) as { time?: string; message?: string };
      if (parsed.time && parsed.message) lines.push({ at: Date.parse(parsed.time), message: parsed.message });
    } catch {
      // not a JSON log line (launcher output)
    }
  }
  return lines;
}

/**
 * Milestones of one gateway start. With OPENCLAW_GATEWAY_STARTUP_TRACE (the workload sets it) OpenClaw
 * logs `startup trace: <step> <ms>ms total=<ms since process start>ms`, which splits module loading from
 * its own bootstrap; the other milestones are its log messages.
 */
export const GATEWAY_MILESTONES: ReadonlyArray<readonly [string, { readonly trace: string } | { readonly message: RegExp }]> = [
  ['modules loaded, CLI ready to bootstrap', { trace: 'cli.main.gateway-run-pre-bootstrap' }],
  ['bootstrap: state migrations, config, plugin plan', { trace: 'cli.main.gateway-run-bootstrap' }],
  ['server modules, state, workers', { trace: 'process.bootstrap' }],
  ['HTTP server listening (plugins loaded)', { message: /http server listening/ }],
  ['gateway ready (channels and sidecars)', { message: /gateway ready/ }],
  ['Control UI assets verified (after ready; the first page load waits for them)', { trace: 'sidecars.control-ui-assets' }],
];

const TRACE = /startup trace: (\S+) [\d.]+ms total=([\d.]+)ms/;

/** Durations between the milestones found in `log`, the first one measured from `processStartedAt`. */
export function gatewayStartPhases(log: readonly GatewayLogLine[], processStartedAt: number): Array<[string, number]> {
  const traces = log.map((l) => ({ line: l, m: TRACE.exec(l.message) })).filter((t) => t.m !== null);
  // Trace lines are written after the step they time; the earliest at − total is the process start.
  const processStart = traces.length > 0 ? Math.min(...traces.map((t) => t.line.at - Number(t.m?.[2]))) : processStartedAt;
  const timeOf = (milestone: { readonly trace: string } | { readonly message: RegExp }): number | undefined => {
    if ('trace' in milestone) {
      const found = traces.find((t) => t.m?.[1] === milestone.trace);
      if (!found) return undefined;
      // A sidecar's step ends when its line is written; the bootstrap steps carry their own offset.
      return milestone.trace.startsWith('sidecars.') ? found.line.at : processStart + Number(found.m?.[2]);
    }
    return log.find((l) => milestone.message.test(l.message))?.at;
  };
  const phases: Array<[string, number]> = [];
  if (traces.length > 0) phases.push(["platform: sandbox and node start before OpenClaw's clock", processStart - processStartedAt]);
  let previous = processStart;
  for (const [name, milestone] of GATEWAY_MILESTONES) {
    const at = timeOf(milestone);
    if (at === undefined) continue;
    phases.push([name, at - previous]);
    previous = at;
  }
  return phases;
}

/** Resolves with the time a line matching `pattern` is seen among the lines printed after the first `seen`. */
export function lineAfter(platform: PlatformProcess, seen: number, pattern: RegExp, timeoutMs: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (platform.lines.slice(seen).some((l) => pattern.test(l))) resolve(Date.now());
      else if (Date.now() - started > timeoutMs)
        reject(new Error(`no line matching ${pattern} within ${timeoutMs / 1000} s; last lines:\n${platform.lines.slice(-10).join('\n')}`));
      else setTimeout(poll, 50);
    };
    poll();
  });
}
