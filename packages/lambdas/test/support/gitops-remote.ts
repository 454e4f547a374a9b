/**
 * A real GitOps remote for tests: a bare repository (seeded with the example
 * platform config, which the operator's `tenants` CLI reads) served over HTTP by
 * `git http-backend`, plus git-CLI helpers to inspect what it contains and to
 * push from "another client".
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { EXAMPLE_PLATFORM_CONFIG, REPOSITORY_ROOT, loadPlatformConfigFile } from '@openclaw-tenancy/tenant-manifests';
import { GitHttpServer, GitHttpServerOptions, startGitHttpServer } from '../../src/testing/git-http-server';
import { testGit, testGitEnv } from '../../src/testing/test-git';

export const PLATFORM_CONFIG_PATH = 'config/platform.yaml';
export const GIT_CREDENTIALS = { username: 'provisioner', password: 'test-only-password' };
const EXAMPLE_CONFIG = EXAMPLE_PLATFORM_CONFIG;
/** The example platform config: what the functions are deployed with in these tests (never read from the remote). */
export const PLATFORM_CONFIG: PlatformConfig = loadPlatformConfigFile(EXAMPLE_CONFIG);
const TSX_CLI = require.resolve('tsx/cli');
const TENANTS_CLI = path.join(REPOSITORY_ROOT, 'packages', 'tenant-manifests', 'src', 'cli', 'tenants.ts');

const GIT = testGit('operator');
const GIT_ENV = testGitEnv('operator');

export const git = (cwd: string, ...args: string[]): string => GIT.run(cwd, ...args);

export interface GitOpsRemote {
  readonly root: string;
  readonly bareDir: string;
  readonly url: string;
  readonly server: GitHttpServer;
  /** Subjects of the commits on main, newest first. */
  log(): string[];
  countCommits(): number;
  /** The commit at the tip of main. */
  head(): string;
  /** File content at the tip of main, or undefined. */
  show(filePath: string): string | undefined;
  /** Files at the tip of main under `dir`. */
  files(dir: string): string[];
  /** Commits `filePath` from a separate clone with the git CLI (another writer). */
  pushFromAnotherClient(filePath: string, content: string, subject: string): void;
  /** Commits several files at once from a separate clone (seeding a registry). */
  pushFiles(files: ReadonlyArray<{ path: string; content: string }>, subject: string): void;
  /** `git show --name-status` of a commit: `M\ttenants/x.yaml`, `D\tdeploy/…`, sorted. */
  changedFiles(commit?: string): string[];
  /**
   * Runs the real `tenants` CLI of packages/tenant-manifests (as an operator
   * would, `npm run tenants -- …`) in a fresh clone, then commits and pushes
   * what it wrote. Returns the CLI's output.
   */
  runTenantsCli(args: readonly string[], subject: string): string;
  close(): Promise<void>;
}

export async function startGitOpsRemote(intercept?: GitHttpServerOptions['intercept']): Promise<GitOpsRemote> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-remote-'));
  const bareDir = path.join(root, 'gitops.git');
  git(root, 'init', '--bare', '--initial-branch=main', bareDir);
  const seed = path.join(root, 'seed');
  git(root, 'clone', '--quiet', bareDir, seed);
  fs.mkdirSync(path.join(seed, 'config'), { recursive: true });
  fs.copyFileSync(EXAMPLE_CONFIG, path.join(seed, PLATFORM_CONFIG_PATH));
  fs.mkdirSync(path.join(seed, 'tenants'));
  fs.writeFileSync(path.join(seed, 'tenants', 'README.md'), 'One file per tenant.\n');
  git(seed, 'add', '-A');
  git(seed, 'commit', '--quiet', '-m', 'Seed the GitOps repository');
  git(seed, 'push', '--quiet', 'origin', 'HEAD:main');

  const server = await startGitHttpServer({ projectRoot: root, credentials: GIT_CREDENTIALS, ...(intercept ? { intercept } : {}) });
  let clones = 0;
  return {
    root,
    bareDir,
    url: server.repoUrl('gitops.git'),
    server,
    log: () => git(bareDir, 'log', '--format=%s', 'main').split('\n').filter(Boolean),
    countCommits: () => Number(git(bareDir, 'rev-list', '--count', 'main')),
    head: () => git(bareDir, 'rev-parse', 'main'),
    show: (filePath) => GIT.show(bareDir, 'main', filePath),
    files: (dir) => git(bareDir, 'ls-tree', '-r', '--name-only', 'main', '--', dir).split('\n').filter(Boolean),
    pushFromAnotherClient(filePath, content, subject) {
      const work = path.join(root, `other-${++clones}`);
      git(root, 'clone', '--quiet', bareDir, work);
      fs.mkdirSync(path.dirname(path.join(work, filePath)), { recursive: true });
      fs.writeFileSync(path.join(work, filePath), content);
      git(work, 'add', '-A');
      git(work, 'commit', '--quiet', '-m', subject);
      git(work, 'push', '--quiet', 'origin', 'HEAD:main');
    },
    pushFiles(files, subject) {
      const work = path.join(root, `other-${++clones}`);
      git(root, 'clone', '--quiet', bareDir, work);
      for (const file of files) {
        fs.mkdirSync(path.dirname(path.join(work, file.path)), { recursive: true });
        fs.writeFileSync(path.join(work, file.path), file.content);
      }
      git(work, 'add', '-A');
      git(work, 'commit', '--quiet', '-m', subject);
      git(work, 'push', '--quiet', 'origin', 'HEAD:main');
    },
    changedFiles: (commit = 'main') => git(bareDir, 'show', '--name-status', '--format=', commit).split('\n').filter(Boolean).sort(),
    runTenantsCli(args, subject) {
      const work = path.join(root, `operator-${++clones}`);
      git(root, 'clone', '--quiet', bareDir, work);
      const output = execFileSync(process.execPath, [TSX_CLI, TENANTS_CLI, ...args], {
        cwd: work,
        env: { ...GIT_ENV, OPENCLAW_GITOPS_ROOT: work, OPENCLAW_PLATFORM_CONFIG: path.join(work, PLATFORM_CONFIG_PATH) },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      git(work, 'add', '-A');
      git(work, 'commit', '--quiet', '-m', subject);
      git(work, 'push', '--quiet', 'origin', 'HEAD:main');
      return output;
    },
    async close() {
      await server.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
