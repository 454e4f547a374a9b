/**
 * The local platform as a developer runs it: the CLI (directly, or through
 * `npm run local` as the README says) in a process group of its own, as a
 * terminal runs a command, its output collected line by line, stopped as a
 * terminal stops it: SIGINT to the whole group (Ctrl-C).
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPOSITORY_ROOT } from '@openclaw-tenancy/tenant-manifests';

const CLI = path.resolve(__dirname, '..', '..', 'src', 'cli.ts');
const REPO_ROOT = REPOSITORY_ROOT;

export interface PlatformProcess {
  /** The process started: the CLI itself, or the outer `npm`. It leads its own process group. */
  readonly pid: number;
  readonly lines: string[];
  readonly stderr: () => string;
  /** Resolves with the first output line matching `pattern` (looking at lines already seen too). */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  readonly exited: Promise<number | null>;
  /** Ctrl-C as a terminal sends it (SIGINT to the whole process group), then waits for the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
}

/** What one run of the platform uses: each suite or bench its own names and ports, so they never meet. */
export interface PlatformPlan {
  readonly stateDir: string;
  readonly subnet: string;
  readonly namePrefix: string;
  readonly identityPort: number;
  readonly secretsPort: number;
  readonly gitPort: number;
  /** @default - the CLI's default */
  readonly loopbackPort?: number;
  /** @default - the CLI's default */
  readonly modelPort?: number;
  /** @default - the tiers' timeouts from the config */
  readonly idleTimeoutSeconds?: number;
}

/** The `start` arguments for `plan`. */
export function platformArgs(plan: PlatformPlan): string[] {
  const args = ['--state-dir', plan.stateDir, '--subnet', plan.subnet, '--name-prefix', plan.namePrefix];
  args.push('--identity-port', String(plan.identityPort), '--secrets-port', String(plan.secretsPort), '--git-port', String(plan.gitPort));
  if (plan.loopbackPort !== undefined) args.push('--loopback-port', String(plan.loopbackPort));
  if (plan.modelPort !== undefined) args.push('--model-port', String(plan.modelPort));
  if (plan.idleTimeoutSeconds !== undefined) args.push('--idle-timeout', String(plan.idleTimeoutSeconds));
  return args;
}

/** The confirmation code the platform prints for `email` (the local user pool's e-mail stand-in). */
export async function confirmationCode(platform: PlatformProcess, email: string): Promise<string> {
  const escaped = email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return (await platform.waitForLine(new RegExp(`confirmation code for ${escaped}: (\\d{6})`), 30_000))[1] as string;
}

/** The CLI itself (`node --import tsx src/cli.ts start …`). */
export function startPlatformProcess(args: readonly string[]): PlatformProcess {
  return collect(
    spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, CLI, 'start', ...args], {
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    }),
  );
}

/** `npm run local -- …` at the repository root, as the README tells a person to start it. */
export function startPlatformThroughNpm(args: readonly string[]): PlatformProcess {
  return collect(
    spawn('npm', ['run', '--silent', 'local', '--', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    }),
  );
}

function collect(child: ChildProcess): PlatformProcess {
  const lines: string[] = [];
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: (m: RegExpExecArray) => void }> = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (process.env.LOCAL_PLATFORM_E2E_ECHO) process.stdout.write(`platform| ${line}\n`);
      for (const w of [...waiters]) {
        const m = w.pattern.exec(line);
        if (m) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    pid: child.pid ?? -1,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine(pattern, timeoutMs) {
      for (const line of lines) {
        const m = pattern.exec(line);
        if (m) return Promise.resolve(m);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no line matching ${pattern} within ${timeoutMs / 1000} s; last lines:\n${lines.slice(-15).join('\n')}\n${stderr.slice(-2000)}`,
              ),
            ),
          timeoutMs,
        );
        void exited.then((code) =>
          reject(
            new Error(`the platform exited (${code}) before printing ${pattern}:\n${lines.slice(-15).join('\n')}\n${stderr.slice(-2000)}`),
          ),
        );
        waiters.push({
          pattern,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    async stop(timeoutMs = 60000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      process.kill(-(child.pid ?? 0), 'SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
