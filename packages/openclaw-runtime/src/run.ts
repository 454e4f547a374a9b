import * as fs from 'node:fs';
import * as path from 'node:path';
import { OpenClawRuntime, ensureOpenClawRuntime } from './ensure';
import { CommandResult, runCommand } from './process';

export interface OpenClawCliOptions {
  /**
   * Folder that receives HOME (`home/`), TMPDIR (`tmp/`) and by default the
   * state dir (`state/`), so a run never touches the real home directory.
   */
  readonly sandboxDir: string;
  /** OPENCLAW_CONFIG_PATH; defaults to `<sandboxDir>/openclaw.json` (which need not exist). */
  readonly configPath?: string;
  /** OPENCLAW_STATE_DIR; defaults to `<sandboxDir>/state`. */
  readonly stateDir?: string;
  /** Added last, so it can override anything above. */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Defaults to 120 s; the process gets SIGTERM when it is exceeded. */
  readonly timeoutMs?: number;
  readonly input?: string;
  /** A runtime from `ensureOpenClawRuntime`; ensured (with its progress line) when absent. */
  readonly runtime?: OpenClawRuntime;
}

export interface OpenClawCliEnvInput {
  readonly runtime: Pick<OpenClawRuntime, 'nodeBinary'> & Partial<Pick<OpenClawRuntime, 'compileCacheDir'>>;
  readonly sandboxDir: string;
  readonly configPath?: string;
  readonly stateDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** PATH entries appended after Node 24's bin dir. */
  readonly inheritedPath?: string;
}

/**
 * The complete environment of an openclaw CLI run. It is built from scratch
 * rather than inherited so the developer's own OPENCLAW_* settings, provider
 * API keys and home-directory plugins cannot change a result. PATH is kept
 * (after Node 24) because openclaw shells out, e.g. `npm root --global`.
 */
export function openClawCliEnv(input: OpenClawCliEnvInput): NodeJS.ProcessEnv {
  const sandboxDir = path.resolve(input.sandboxDir);
  return {
    PATH: [path.dirname(input.runtime.nodeBinary), input.inheritedPath].filter(Boolean).join(':'),
    HOME: path.join(sandboxDir, 'home'),
    TMPDIR: path.join(sandboxDir, 'tmp'),
    OPENCLAW_CONFIG_PATH: path.resolve(input.configPath ?? path.join(sandboxDir, 'openclaw.json')),
    OPENCLAW_STATE_DIR: path.resolve(input.stateDir ?? path.join(sandboxDir, 'state')),
    ...(input.runtime.compileCacheDir ? { NODE_COMPILE_CACHE: input.runtime.compileCacheDir } : {}),
    ...input.env,
  };
}

/** Runs `openclaw <args>` on Node 24 and captures its output; a non-zero exit is returned, not thrown. */
export async function runOpenClawCli(args: readonly string[], options: OpenClawCliOptions): Promise<CommandResult> {
  const runtime = options.runtime ?? (await ensureOpenClawRuntime());
  const env = openClawCliEnv({ ...options, runtime, inheritedPath: process.env.PATH });
  for (const dir of [env.HOME, env.TMPDIR, env.OPENCLAW_STATE_DIR, env.NODE_COMPILE_CACHE]) {
    if (dir) fs.mkdirSync(dir, { recursive: true });
  }
  return runCommand(runtime.nodeBinary, [runtime.openclawEntry, ...args], {
    cwd: options.cwd ?? path.resolve(options.sandboxDir),
    env,
    timeoutMs: options.timeoutMs ?? 120_000,
    ...(options.input === undefined ? {} : { input: options.input }),
  });
}
