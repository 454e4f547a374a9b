/** The processes of one local pod, found through its network namespace (`ip netns pids`), and their memory. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

/** Pids in namespace `ns`; empty when the namespace does not exist (the pod is gone). */
export function podPids(ns: string): number[] {
  try {
    return execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

export function namespaceExists(ns: string): boolean {
  return fs.existsSync(`/run/netns/${ns}`);
}

export function isAlive(pid: number): boolean {
  return fs.existsSync(`/proc/${pid}`);
}

/** Resident memory of `pids` together, in MiB (processes that are gone count 0). */
export function residentMiB(pids: readonly number[]): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      kib += Number(m?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return Math.round(kib / 1024);
}
