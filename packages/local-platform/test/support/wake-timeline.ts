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

/** Milestones of one gateway start in its own log; module loading ends at the first line. */
export const GATEWAY_MILESTONES: ReadonlyArray<readonly [string, RegExp]> = [
  ['first log line (modules loaded)', /./],
  ['HTTP server starting (config, auth, bootstrap done)', /starting HTTP server/],
  ['HTTP server listening (plugins loaded)', /http server listening/],
  ['gateway ready (channels and sidecars)', /gateway ready/],
];

/** Durations between the milestones found in `log`, the first one measured from `processStartedAt`. */
export function gatewayStartPhases(log: readonly GatewayLogLine[], processStartedAt: number): Array<[string, number]> {
  const phases: Array<[string, number]> = [];
  let previous = processStartedAt;
  for (const [name, pattern] of GATEWAY_MILESTONES) {
    const line = log.find((l) => pattern.test(l.message));
    if (!line) continue;
    phases.push([name, line.at - previous]);
    previous = line.at;
  }
  return phases;
}

/** Resolves with the time a line matching `pattern` is seen among the lines printed after the first `seen`. */
export function lineAfter(platform: PlatformProcess, seen: number, pattern: RegExp, timeoutMs: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (platform.lines.slice(seen).some((l) => pattern.test(l))) resolve(Date.now());
      else if (Date.now() - started > timeoutMs) reject(new Error(`no line matching ${pattern} within ${timeoutMs / 1000} s; last lines:\n${platform.lines.slice(-10).join('\n')}`));
      else setTimeout(poll, 50);
    };
    poll();
  });
}
