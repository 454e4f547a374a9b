import { spawn } from 'node:child_process';

export interface CommandResult {
  /** null when the process was ended by a signal (e.g. the timeout). */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

export interface CommandOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  /** Written to stdin; stdin is closed either way so nothing waits for a terminal. */
  readonly input?: string;
}

export function runCommand(command: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', reject);
    child.once('close', (exitCode, signal) =>
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs: Date.now() - started,
      }),
    );
    // A child that exits without reading stdin closes the pipe (EPIPE); its exit status is what counts.
    child.stdin.once('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

export class CommandFailedError extends Error {
  constructor(
    readonly commandLine: string,
    readonly result: CommandResult,
  ) {
    const status = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
    const output = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-30).join('\n');
    super(`${commandLine} ${status}${output ? `:\n${output}` : ''}`);
    this.name = 'CommandFailedError';
  }
}

export async function runChecked(command: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const result = await runCommand(command, args, options);
  if (result.exitCode !== 0) throw new CommandFailedError([command, ...args].join(' '), result);
  return result;
}

/**
 * The environment for a nested npm. `npm run` exports its resolved config as
 * npm_config_* (including local_prefix = the repository root and the user
 * .npmrc's nodedir), which would make a nested `npm install` write into the
 * workspace instead of the cache; the nested npm re-reads the .npmrc itself.
 */
export function nestedNpmEnv(binDirFirstOnPath?: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (!key.toLowerCase().startsWith('npm_config_')) env[key] = value;
  }
  if (binDirFirstOnPath) env.PATH = [binDirFirstOnPath, base.PATH].filter(Boolean).join(':');
  return env;
}
