import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProcessInfo, isLauncher, launcherChain, readProcess, watchLaunchers } from '../src/host/launcher-watch';

/** A fake /proc with the processes of `npm run local` started from an interactive bash. */
function fakeProc(processes: Array<{ pid: number; ppid: number; comm: string; argv: string[]; env?: string[]; start?: string }>): string {
  const proc = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-proc-'));
  for (const p of processes) {
    const dir = path.join(proc, String(p.pid));
    fs.mkdirSync(dir);
    // Fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime priority nice threads itrealvalue starttime
    fs.writeFileSync(
      path.join(dir, 'stat'),
      `${p.pid} (${p.comm}) S ${p.ppid} 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 ${p.start ?? '100'} 0 0`,
    );
    fs.writeFileSync(path.join(dir, 'cmdline'), `${p.argv.join('\0')}\0`);
    fs.writeFileSync(path.join(dir, 'environ'), `${(p.env ?? ['HOME=/root']).join('\0')}\0`);
  }
  return proc;
}

const NPM_SCRIPT_ENV = ['HOME=/root', 'npm_lifecycle_event=local'];

describe('the launchers of the platform', () => {
  const proc = fakeProc([
    { pid: 10, ppid: 1, comm: 'bash', argv: ['-bash'] },
    { pid: 20, ppid: 10, comm: 'npm run local', argv: ['npm', 'run', 'local'] },
    {
      pid: 21,
      ppid: 20,
      comm: 'sh',
      argv: ['sh', '-c', 'npm run --silent -w @openclaw-tenancy/local-platform start --'],
      env: NPM_SCRIPT_ENV,
    },
    { pid: 22, ppid: 21, comm: 'npm run start', argv: ['npm', 'run', 'start'], env: NPM_SCRIPT_ENV },
    { pid: 23, ppid: 22, comm: 'node (x) y', argv: ['node', '--import', 'tsx', 'src/cli.ts', 'start'], env: NPM_SCRIPT_ENV },
  ]);
  afterAll(() => fs.rmSync(proc, { recursive: true, force: true }));

  it('are npm and the processes of its scripts, up to (not including) the person’s own shell', () => {
    expect(launcherChain(23, proc).map((p) => p.pid)).toEqual([22, 21, 20]);
  });

  it('reads a process whose command name holds spaces and parentheses', () => {
    expect(readProcess(23, proc)).toEqual({
      pid: 23,
      ppid: 22,
      startTime: '100',
      argv: ['node', '--import', 'tsx', 'src/cli.ts', 'start'],
      inNpmScript: true,
    });
    expect(readProcess(99, proc)).toBeUndefined();
  });

  it('include node running npm’s CLI, but not a shell or node outside an npm script', () => {
    const info = (argv: string[], inNpmScript = false): ProcessInfo => ({ pid: 1, ppid: 0, startTime: '1', argv, inNpmScript });
    expect(isLauncher(info(['/usr/bin/node', '/usr/lib/node_modules/npm/bin/npm-cli.js', 'run', 'local']))).toBe(true);
    expect(isLauncher(info(['-bash']))).toBe(false);
    expect(isLauncher(info(['/usr/bin/node', 'server.js']))).toBe(false);
    expect(isLauncher(info(['/bin/sh', '-c', 'x'], true))).toBe(true);
  });

  it('are watched: the watch reports the first one that exits, or whose pid now belongs to another process', async () => {
    const live = fakeProc([
      { pid: 30, ppid: 1, comm: 'npm', argv: ['npm', 'run', 'local'] },
      { pid: 31, ppid: 30, comm: 'sh', argv: ['sh', '-c', 'x'], env: NPM_SCRIPT_ENV },
      { pid: 32, ppid: 31, comm: 'node', argv: ['node', 'cli.ts'], env: NPM_SCRIPT_ENV },
    ]);
    try {
      const chain = launcherChain(32, live);
      const gone = new Promise<ProcessInfo>((resolve) => watchLaunchers(chain, resolve, 20, live));
      fs.writeFileSync(path.join(live, '31', 'stat'), '31 (sh) S 30 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 555 0 0');
      expect((await gone).pid).toBe(31);
    } finally {
      fs.rmSync(live, { recursive: true, force: true });
    }
  });

  it('of a real process: a shell of an npm script is one, and its exit is noticed', async () => {
    // `; exit 0` keeps sh from exec-ing node, so sh stays the parent, as npm's script shell does.
    const script = 'process.stdout.write(String(process.pid)); setTimeout(() => {}, 30000)';
    const sh = spawn('sh', ['-c', `${JSON.stringify(process.execPath)} -e '${script}'; exit 0`], {
      env: { ...process.env, npm_lifecycle_event: 'start' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const nodePid = Number(await new Promise<string>((resolve) => sh.stdout?.once('data', (d: Buffer) => resolve(d.toString()))));
    const chain = launcherChain(nodePid);
    expect(chain[0]?.pid).toBe(sh.pid);
    const gone = new Promise<ProcessInfo>((resolve) => watchLaunchers(chain.slice(0, 1), resolve, 20));
    process.kill(sh.pid as number, 'SIGKILL');
    expect((await gone).pid).toBe(sh.pid);
    process.kill(nodePid, 'SIGTERM');
  });
});
