/**
 * The processes that launched the platform on a person's behalf — `npm run
 * local`, the shells npm runs scripts in, the inner `npm start`, tsx — and a
 * watch that notices when one of them goes away.
 *
 * A launcher can go away without passing a signal on: `kill -9 <npm pid>`,
 * or a `sh -c` between npm and the platform that dies of a SIGTERM npm
 * forwarded to it (the scripts `exec` to avoid that shell, but a person may
 * start the platform another way). The platform below would run on,
 * orphaned; watching the launchers turns that into an ordinary stop. The
 * person's own interactive shell is not a launcher: closing it is a SIGHUP,
 * and `nohup` must be able to ignore that.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** Start time in clock ticks since boot: a pid reused by a new process has another. */
  readonly startTime: string;
  readonly argv: readonly string[];
  /** Whether the process runs inside an npm script (npm sets `npm_lifecycle_event` for it). */
  readonly inNpmScript: boolean;
}

/** `/proc/<pid>` as a {@link ProcessInfo}, or undefined when the process is gone or unreadable. */
export function readProcess(pid: number, proc = '/proc'): ProcessInfo | undefined {
  try {
    const stat = fs.readFileSync(path.join(proc, String(pid), 'stat'), 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces and parentheses itself.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const argv = fs
      .readFileSync(path.join(proc, String(pid), 'cmdline'), 'utf8')
      .split('\0')
      .filter((a) => a !== '');
    let environ = '';
    try {
      environ = fs.readFileSync(path.join(proc, String(pid), 'environ'), 'utf8');
    } catch {
      // not ours to read: not one of our launchers
    }
    return {
      pid,
      ppid: Number(fields[1]),
      startTime: fields[19] ?? '',
      argv,
      inNpmScript: environ.split('\0').some((e) => e.startsWith('npm_lifecycle_event=')),
    };
  } catch {
    return undefined;
  }
}

/** Whether `info` is npm itself (`npm …`, or node running npm's CLI) or a process of an npm script (its shell, tsx). */
export function isLauncher(info: ProcessInfo): boolean {
  const [argv0 = '', argv1 = ''] = info.argv;
  const name = path.basename(argv0);
  if (name === 'npm' || name === 'npx') return true;
  if ((name === 'node' || name.startsWith('node')) && /npm-cli\.js$|npx-cli\.js$/.test(argv1)) return true;
  return info.inNpmScript;
}

/** The chain of launchers above `pid`, nearest first; it ends below the first process that is not one. */
export function launcherChain(pid: number = process.pid, proc = '/proc'): ProcessInfo[] {
  const chain: ProcessInfo[] = [];
  let current = readProcess(pid, proc);
  while (current && current.ppid > 1) {
    const parent = readProcess(current.ppid, proc);
    if (!parent || !isLauncher(parent)) break;
    chain.push(parent);
    current = parent;
  }
  return chain;
}

/**
 * Calls `onGone` once, with the launcher that went away, when any process of
 * `chain` exits. Returns a function that ends the watch.
 */
export function watchLaunchers(
  chain: readonly ProcessInfo[],
  onGone: (launcher: ProcessInfo) => void,
  intervalMs = 1000,
  proc = '/proc',
): () => void {
  if (chain.length === 0) return () => undefined;
  const timer = setInterval(() => {
    const gone = chain.find((p) => readProcess(p.pid, proc)?.startTime !== p.startTime);
    if (gone) {
      clearInterval(timer);
      onGone(gone);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
