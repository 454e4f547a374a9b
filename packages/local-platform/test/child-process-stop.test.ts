import { spawn } from 'node:child_process';
import { stopChildProcess } from '../src/host/child-process-stop';

const exitedOf = (child: ReturnType<typeof spawn>) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

describe('stopping a child process', () => {
  it('returns at once for a child a terminal’s Ctrl-C already ended (exit by signal: exitCode stays null)', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const exited = exitedOf(child);
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    expect(await exited).toEqual({ code: null, signal: 'SIGINT' });
    const started = Date.now();
    await stopChildProcess(child, exited, 10_000);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('kills a child that ignores SIGTERM once the grace period is over', async () => {
    const child = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = exitedOf(child);
    await new Promise((r) => child.stdout?.once('data', r));
    const started = Date.now();
    await stopChildProcess(child, exited, 300);
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('stops a running child with SIGTERM', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const exited = exitedOf(child);
    await stopChildProcess(child, exited, 10_000);
    expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
  });
});
