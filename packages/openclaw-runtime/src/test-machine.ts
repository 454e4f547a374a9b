/**
 * What a machine needs before `npm test` can pass, in one list: the Debian
 * packages the browser and end-to-end tests use, root for the network
 * namespaces of the local platform, and the pinned OpenClaw runtime.
 *
 * `prepareTestMachine` installs what it can (apt-get as root, the runtime from
 * the npm registry) and otherwise fails at once with every missing piece and
 * the command that provides it. Tests call `requireTestPrerequisites` up front
 * so that an absent prerequisite is a named error, never a silent wait.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureOpenClawRuntime, OpenClawRuntime } from './ensure';
import { isNodeComplete, isOpenClawComplete, resolveCacheDir, runtimeLayout } from './layout';
import { runCommand } from './process';

/** The single command that prepares a machine and runs every test (the README's test command). */
export const TEST_COMMAND = 'npm test';

/** The command that prepares a machine without running the tests. */
export const PREPARE_COMMAND = 'npm run -w @openclaw-tenancy/openclaw-runtime prepare-test-machine';

export const ENSURE_RUNTIME_COMMAND = 'npm run -w @openclaw-tenancy/openclaw-runtime ensure';

interface CommandProbe {
  readonly kind: 'command';
  readonly command: string;
}
interface FileProbe {
  readonly kind: 'file';
  readonly file: string;
}

export interface DebianPrerequisite {
  readonly name: string;
  /** The Debian package that provides it. */
  readonly aptPackage: string;
  readonly neededFor: string;
  readonly probe: CommandProbe | FileProbe;
}

/** Debian packages the tests use; apt-get installs exactly these. */
export const DEBIAN_PREREQUISITES = [
  {
    name: 'chromium',
    aptPackage: 'chromium',
    neededFor: 'the auth UI and local platform browser tests (playwright-core drives the system Chromium, it never downloads one)',
    probe: { kind: 'command', command: 'chromium' },
  },
  {
    name: 'fonts-liberation',
    aptPackage: 'fonts-liberation',
    neededFor: 'text in the browser tests renders with metric-compatible fonts',
    probe: { kind: 'file', file: '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf' },
  },
  {
    name: 'fonts-noto-color-emoji',
    aptPackage: 'fonts-noto-color-emoji',
    neededFor: 'the branding emoji in browser screenshots',
    probe: { kind: 'file', file: '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf' },
  },
  {
    name: 'iproute2',
    aptPackage: 'iproute2',
    neededFor: 'the local platform runs every gateway and the edge in a network namespace of its own (`ip netns`)',
    probe: { kind: 'command', command: 'ip' },
  },
  {
    name: 'git',
    aptPackage: 'git',
    neededFor: 'the local GitOps remote and the end-to-end tests',
    probe: { kind: 'command', command: 'git' },
  },
] as const satisfies readonly DebianPrerequisite[];

/**
 * How the browser tests start the system Chromium (headless, through
 * playwright-core): no sandbox (tests may run as root), no GPU, and no
 * background traffic to Google services, so a test never depends on the network.
 */
export const HEADLESS_CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

type DebianPrerequisiteEntry = (typeof DEBIAN_PREREQUISITES)[number];
export type DebianPrerequisiteName = DebianPrerequisiteEntry['name'];

/** Everything a test can require: a Debian package, root, or the cached OpenClaw runtime. */
export type TestPrerequisite = DebianPrerequisiteName | 'root' | 'openclaw-runtime';

export interface MachineProbe {
  readonly env?: NodeJS.ProcessEnv;
  /** Defaults to the effective uid of this process being 0. */
  readonly isRoot?: boolean;
  /** Where the OpenClaw runtime is cached; defaults to `resolveCacheDir(env)`. */
  readonly runtimeCacheDir?: string;
}

export interface MissingPrerequisite {
  /** A {@link TestPrerequisite} name, or the name of a caller-supplied {@link DebianPrerequisite}. */
  readonly name: string;
  readonly neededFor: string;
  /** A command (or action) that provides it on a Debian machine. */
  readonly fix: string;
}

export class MissingPrerequisiteError extends Error {
  constructor(
    readonly missing: readonly MissingPrerequisite[],
    headline: string,
  ) {
    super([headline, ...missing.map((m) => `  - ${m.name} (${m.neededFor}): ${m.fix}`)].join('\n'));
    this.name = 'MissingPrerequisiteError';
  }
}

/** The absolute path of `command` on the PATH of `env`, or undefined; no shell involved. */
export function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function isPresent(prerequisite: DebianPrerequisite, env: NodeJS.ProcessEnv): boolean {
  return prerequisite.probe.kind === 'command'
    ? findOnPath(prerequisite.probe.command, env) !== undefined
    : fs.existsSync(prerequisite.probe.file);
}

const isRootProcess = (): boolean => process.geteuid?.() === 0;

const ROOT_NEEDED_FOR = 'the local platform tests create network and mount namespaces';

function missingDebian(names: readonly DebianPrerequisiteName[], env: NodeJS.ProcessEnv): DebianPrerequisiteEntry[] {
  return DEBIAN_PREREQUISITES.filter((p) => names.includes(p.name) && !isPresent(p, env));
}

function missingOf<P extends DebianPrerequisite>(prerequisites: readonly P[], env: NodeJS.ProcessEnv): P[] {
  return prerequisites.filter((p) => !isPresent(p, env));
}

function aptInstallCommand(packages: readonly string[], asRoot: boolean): string {
  return `${asRoot ? '' : 'sudo '}apt-get install -y ${packages.join(' ')}`;
}

/**
 * Throws a {@link MissingPrerequisiteError} naming every absent prerequisite
 * in `names` and its fix; installs nothing, so it returns or throws in
 * milliseconds. Returns the absolute path of each command prerequisite.
 */
export function requireTestPrerequisites(names: readonly TestPrerequisite[], probe: MachineProbe = {}): Readonly<Record<string, string>> {
  const env = probe.env ?? process.env;
  const isRoot = probe.isRoot ?? isRootProcess();
  const missing: MissingPrerequisite[] = [];
  if (names.includes('root') && !isRoot) {
    missing.push({ name: 'root', neededFor: ROOT_NEEDED_FOR, fix: `run the tests as root (sudo ${TEST_COMMAND})` });
  }
  const debianNames = names.filter((n): n is DebianPrerequisiteName => DEBIAN_PREREQUISITES.some((p) => p.name === n));
  for (const p of missingDebian(debianNames, env)) {
    missing.push({
      name: p.name,
      neededFor: p.neededFor,
      fix: `${aptInstallCommand([p.aptPackage], isRoot)} (or ${TEST_COMMAND} as root, which installs it)`,
    });
  }
  if (names.includes('openclaw-runtime')) {
    const layout = runtimeLayout(probe.runtimeCacheDir ?? resolveCacheDir(env));
    if (!isNodeComplete(layout) || !isOpenClawComplete(layout)) {
      missing.push({
        name: 'openclaw-runtime',
        neededFor: `the real OpenClaw gateway and Node.js 24, cached in ${layout.cacheDir}`,
        fix: `${ENSURE_RUNTIME_COMMAND} (about a minute; ${TEST_COMMAND} runs it first)`,
      });
    }
  }
  if (missing.length > 0) throw new MissingPrerequisiteError(missing, 'this test cannot run on this machine; missing:');
  const paths: Record<string, string> = {};
  for (const p of DEBIAN_PREREQUISITES) {
    if (p.probe.kind === 'command' && debianNames.includes(p.name)) paths[p.name] = findOnPath(p.probe.command, env) as string;
  }
  return paths;
}

export interface PrepareOptions extends MachineProbe {
  /** One line per phase; defaults to stderr. */
  readonly log?: (line: string) => void;
  /** Set false to check and install the Debian packages only. @default true */
  readonly installRuntime?: boolean;
  /** What to check and install. @default DEBIAN_PREREQUISITES */
  readonly prerequisites?: readonly DebianPrerequisite[];
  /** Attempts at apt-get while another apt holds the lock. @default 5 */
  readonly aptAttempts?: number;
  readonly aptRetryDelayMs?: number;
}

export interface PreparedMachine {
  /** Debian packages this run installed (empty when all were present). */
  readonly installedPackages: readonly string[];
  readonly runtime?: OpenClawRuntime;
}

const logToStderr = (line: string): void => {
  process.stderr.write(`[test-machine] ${line}\n`);
};

/**
 * Makes this machine able to run `npm test`: installs missing Debian packages
 * with apt-get when running as root, then the pinned OpenClaw runtime. Where
 * something cannot be installed (not root, no apt-get) it throws at once,
 * before any download, naming everything missing and how to get it.
 */
export async function prepareTestMachine(options: PrepareOptions = {}): Promise<PreparedMachine> {
  const env = options.env ?? process.env;
  const isRoot = options.isRoot ?? isRootProcess();
  const log = options.log ?? logToStderr;
  const prerequisites = options.prerequisites ?? DEBIAN_PREREQUISITES;
  const absent = missingOf(prerequisites, env);
  const aptGet = findOnPath('apt-get', env);

  const blockers: { name: string; neededFor: string; fix: string }[] = [];
  if (!isRoot) blockers.push({ name: 'root', neededFor: ROOT_NEEDED_FOR, fix: `run sudo ${TEST_COMMAND}` });
  if (absent.length > 0 && (!isRoot || !aptGet)) {
    const packages = absent.map((p) => p.aptPackage);
    const fix = aptGet
      ? `${aptInstallCommand(packages, false)} (this user cannot run apt-get)`
      : `no apt-get on this machine: install ${packages.join(', ')} with its package manager (Debian names), then ${TEST_COMMAND} again`;
    for (const p of absent) blockers.push({ name: p.name, neededFor: p.neededFor, fix });
  }
  if (blockers.length > 0) throw new MissingPrerequisiteError(blockers, `${TEST_COMMAND} cannot prepare this machine; missing:`);

  const installedPackages = absent.map((p) => p.aptPackage);
  if (absent.length > 0) {
    await aptInstall(aptGet as string, installedPackages, env, log, options.aptAttempts ?? 5, options.aptRetryDelayMs ?? 10_000);
    const stillAbsent = missingOf(prerequisites, env);
    if (stillAbsent.length > 0) {
      throw new MissingPrerequisiteError(
        stillAbsent.map((p) => ({
          name: p.name,
          neededFor: p.neededFor,
          fix: `apt-get installed ${p.aptPackage} but it is still not found; check ${describeProbe(p)}`,
        })),
        'apt-get ran, yet prerequisites are missing:',
      );
    }
  } else {
    log(`debian packages present: ${prerequisites.map((p) => p.aptPackage).join(', ')}`);
  }
  if (options.installRuntime === false) return { installedPackages };
  const runtime = await ensureOpenClawRuntime({ log, ...(options.runtimeCacheDir ? { cacheDir: options.runtimeCacheDir } : {}) });
  return { installedPackages, runtime };
}

function describeProbe(p: DebianPrerequisite): string {
  return p.probe.kind === 'command' ? `that \`${p.probe.command}\` is on PATH` : `that ${p.probe.file} exists`;
}

async function aptInstall(
  aptGet: string,
  packages: readonly string[],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  attempts: number,
  delayMs: number,
): Promise<void> {
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  for (let attempt = 1; ; attempt++) {
    log(`apt-get: installing ${packages.join(' ')} (attempt ${attempt} of ${attempts})`);
    const update = await runCommand(aptGet, ['update', '-qq'], { env: aptEnv });
    const install = update.exitCode === 0 ? await runCommand(aptGet, ['install', '-y', '-qq', ...packages], { env: aptEnv }) : update;
    if (install.exitCode === 0) return;
    const reason = install.stderr.trim().split('\n').slice(-3).join(' / ');
    // apt-get fails while another apt process holds its lock; that clears by itself.
    if (attempt >= attempts) throw new Error(`apt-get install ${packages.join(' ')} failed ${attempts} times; last error: ${reason}`);
    log(`apt-get failed (${reason}); retrying in ${Math.round(delayMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
