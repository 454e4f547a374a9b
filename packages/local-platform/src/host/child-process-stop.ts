/** Stopping a child process the platform started, whatever state it is in. */
import type { ChildProcess } from 'node:child_process';

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited.
 * `exited` must be a promise created when the child was spawned: a child that
 * already exited (with a code, or by a signal such as a terminal's Ctrl-C)
 * resolves at once, because its exit event has fired and will not fire again.
 */
export async function stopChildProcess(child: ChildProcess, exited: Promise<unknown>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
