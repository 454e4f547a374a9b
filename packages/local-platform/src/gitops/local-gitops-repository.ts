/**
 * The GitOps remote of the local platform: a bare repository in the state
 * folder, served over smart HTTP (with basic auth, the credential kept in the
 * local Secrets Manager as in AWS) by the lambdas package's `git
 * http-backend` bridge, so the provisioner pushes to it with isomorphic-git
 * exactly as it pushes to the real remote.
 *
 * At every start the platform config is brought up to date in one commit —
 * the config file, the platform folder and every tenant folder synthesized
 * from it (what CI's `npm run synth` does after a config change) — and
 * nothing is committed when nothing changed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CommitResult,
  GitCredentials,
  IsomorphicGitRepository,
  ManifestRenderer,
  RepositorySnapshot,
  TreeChange,
  mergeChanges,
  readRegistry,
  tenantFilesChange,
} from '@openclaw-tenancy/lambdas';
import type { PlatformConfig } from '@openclaw-tenancy/shared';
import { synthesizePlatformFiles } from '@openclaw-tenancy/tenant-manifests';
import { runHostCommand } from '../host/system-commands';

export const GITOPS_REPO_NAME = 'gitops.git';
export const GITOPS_BRANCH = 'main';
const SEED_AUTHOR = { name: 'local-platform', email: 'local-platform@openclaw.invalid' };

/** Environment for the git CLI that ignores the developer's own git configuration. */
export function gitEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: os.tmpdir(),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: SEED_AUTHOR.name,
    GIT_AUTHOR_EMAIL: SEED_AUTHOR.email,
    GIT_COMMITTER_NAME: SEED_AUTHOR.name,
    GIT_COMMITTER_EMAIL: SEED_AUTHOR.email,
  };
}

/** Creates the bare repository with a first commit on `main` when it does not exist yet. */
export async function ensureBareRepository(git: string, bareRepo: string): Promise<boolean> {
  if (fs.existsSync(path.join(bareRepo, 'HEAD'))) return false;
  fs.mkdirSync(bareRepo, { recursive: true });
  await runHostCommand(git, ['init', '--quiet', '--bare', `--initial-branch=${GITOPS_BRANCH}`, bareRepo], { env: gitEnv() });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-seed-'));
  try {
    fs.writeFileSync(
      path.join(work, 'README.md'),
      '# GitOps repository of the local platform\n\nThe tenant registry (`tenants/`) and the synthesized manifests (`deploy/`), written by the provisioner; the local reconciler plays Argo CD.\n',
    );
    await runHostCommand(git, ['init', '--quiet', `--initial-branch=${GITOPS_BRANCH}`, work], { env: gitEnv() });
    await runHostCommand(git, ['-C', work, 'add', 'README.md'], { env: gitEnv() });
    await runHostCommand(git, ['-C', work, 'commit', '--quiet', '-m', 'Create the GitOps repository'], { env: gitEnv() });
    await runHostCommand(git, ['-C', work, 'push', '--quiet', bareRepo, `HEAD:${GITOPS_BRANCH}`], { env: gitEnv() });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return true;
}

export interface GitOpsClientOptions {
  readonly url: string;
  readonly credentials: GitCredentials;
  readonly author: { readonly name: string; readonly email: string };
}

export function gitOpsClient(options: GitOpsClientOptions): IsomorphicGitRepository {
  return new IsomorphicGitRepository({
    url: options.url,
    branch: GITOPS_BRANCH,
    author: options.author,
    credentials: async () => options.credentials,
  });
}

/**
 * Commits everything synthesized from `config` (deploy/platform and every
 * tenant folder); no commit when the repository already matches. The config
 * itself is not committed: the functions get it from the platform, never from
 * the branch they push to.
 */
export async function commitPlatformSynthesis(
  repository: IsomorphicGitRepository,
  config: PlatformConfig,
  renderer: ManifestRenderer,
): Promise<CommitResult> {
  return repository.commit(
    'Configure the local platform\n\nRe-synthesized every tenant from the platform config.\n',
    async (snapshot: RepositorySnapshot): Promise<TreeChange> => {
      const records = await readRegistry(snapshot, renderer);
      const tenants = mergeChanges(await Promise.all(records.map((record) => tenantFilesChange(record, config, renderer))));
      return { writes: [...synthesizePlatformFiles(config), ...tenants.writes], removeDirectories: tenants.removeDirectories };
    },
  );
}
