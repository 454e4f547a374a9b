/**
 * Turns "address already in use" into a message a developer can act on: which
 * port, what the platform wanted it for, which process holds it (from `ss`),
 * and the option that picks another one.
 */
import type { SystemCommands } from './system-commands';
import { runHostCommand } from './system-commands';

export class PortInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortInUseError';
  }
}

/** `"node" (pid 1234)` for the process listening on `port`, or undefined when `ss` cannot tell. */
export async function listenerOf(port: number, commands: SystemCommands): Promise<string | undefined> {
  try {
    const out = await runHostCommand(commands.ss, ['-Hltnp', `sport = :${port}`]);
    const m = /users:\(\("([^"]+)",pid=(\d+)/.exec(out);
    if (m) return `"${m[1]}" (pid ${m[2]})`;
    const address = out.trim().split(/\s+/)[3];
    return address ? `a process listening on ${address}` : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `listen`; an EADDRINUSE becomes a {@link PortInUseError} naming the port, its purpose, its holder and `option`. */
export async function listenOrExplain<T>(
  listen: () => Promise<T>,
  where: { host: string; port: number; purpose: string; option: string },
  commands: SystemCommands,
): Promise<T> {
  try {
    return await listen();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    const holder = (await listenerOf(where.port, commands)) ?? 'another process';
    throw new PortInUseError(
      `port ${where.port} on ${where.host} (${where.purpose}) is already in use by ${holder}. Stop it, or start with ${where.option} <another port>.`,
    );
  }
}
