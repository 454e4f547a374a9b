/** The processes a platform started, read from /proc, to prove none is left after a stop. */
import * as fs from 'node:fs';

function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Every live process below `root` (children, grandchildren, …), with its command line. */
export function descendantsOf(root: number): Array<{ pid: number; command: string }> {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(Number(entry));
    if (parent !== undefined) parents.set(Number(entry), parent);
  }
  const below = (pid: number): boolean => {
    for (let p = parents.get(pid), hops = 0; p !== undefined && p > 1 && hops < 64; p = parents.get(p), hops += 1)
      if (p === root) return true;
    return false;
  };
  return [...parents.keys()].filter(below).map((pid) => ({ pid, command: commandOf(pid) }));
}

function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 200);
  } catch {
    return '';
  }
}

/** The processes of `processes` that still run (a pid reused since would show another command). */
export function stillRunning(processes: ReadonlyArray<{ pid: number; command: string }>): Array<{ pid: number; command: string }> {
  return processes.filter((p) => fs.existsSync(`/proc/${p.pid}`) && commandOf(p.pid) === p.command && !isZombie(p.pid));
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** Resolves once `pid` has exited (or rejects after `timeoutMs`). */
export async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (fs.existsSync(`/proc/${pid}`) && !isZombie(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} (${commandOf(pid)}) still runs after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
