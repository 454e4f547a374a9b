/**
 * The host programs the local platform drives (iproute2, util-linux, git),
 * resolved once to absolute paths so a missing one is reported up front with
 * the package that provides it, rather than as a spawn error halfway through.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const PROVIDERS = {
  ip: 'iproute2',
  ss: 'iproute2',
  nsenter: 'util-linux',
  unshare: 'util-linux',
  setpriv: 'util-linux',
  mount: 'mount',
  umount: 'mount',
  pivot_root: 'util-linux',
  git: 'git',
} as const;
export type SystemCommand = keyof typeof PROVIDERS;

const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export type SystemCommands = Readonly<Record<SystemCommand, string>>;

export class MissingCommandError extends Error {
  constructor(missing: readonly SystemCommand[]) {
    const packages = [...new Set(missing.map((c) => PROVIDERS[c]))];
    super(`missing host programs: ${missing.join(', ')}. Install them with: apt-get install -y ${packages.join(' ')}`);
    this.name = 'MissingCommandError';
  }
}

export function resolveSystemCommands(): SystemCommands {
  const found: Partial<Record<SystemCommand, string>> = {};
  const missing: SystemCommand[] = [];
  for (const name of Object.keys(PROVIDERS) as SystemCommand[]) {
    const dir = SEARCH_PATH.find((d) => fs.existsSync(`${d}/${name}`));
    if (dir) found[name] = `${dir}/${name}`;
    else missing.push(name);
  }
  if (missing.length > 0) throw new MissingCommandError(missing);
  return found as SystemCommands;
}

export class CommandError extends Error {
  constructor(
    readonly commandLine: string,
    readonly stderr: string,
  ) {
    super(`${commandLine} failed: ${stderr.trim() || 'no output'}`);
    this.name = 'CommandError';
  }
}

/** Runs a host program and returns its stdout; a non-zero exit throws with its stderr. */
export async function runHostCommand(
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<string> {
  try {
    const { stdout } = await execFileAsync(file, [...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new CommandError([file, ...args].join(' '), err.stderr ?? err.message);
  }
}
