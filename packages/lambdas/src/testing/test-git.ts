/**
 * The git CLI as tests use it beside a real bare repository: a fixed author
 * and committer, no system config and a throwaway HOME, so no developer's
 * settings change what a test sees.
 */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';

export function testGitEnv(identity: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_AUTHOR_NAME: identity,
    GIT_AUTHOR_EMAIL: `${identity}@example.com`,
    GIT_COMMITTER_NAME: identity,
    GIT_COMMITTER_EMAIL: `${identity}@example.com`,
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: os.tmpdir(),
  };
}

export interface TestGit {
  /** Runs `git <args>` in `cwd` and returns its trimmed output; a failure throws with git's stderr. */
  run(cwd: string, ...args: string[]): string;
  /** The content of `filePath` at the tip of `branch` in `repoDir`, or undefined when it is not there. */
  show(repoDir: string, branch: string, filePath: string): string | undefined;
}

export function testGit(identity: string): TestGit {
  const env = testGitEnv(identity);
  return {
    run: (cwd, ...args) => execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim(),
    show(repoDir, branch, filePath) {
      try {
        return execFileSync('git', ['show', `${branch}:${filePath}`], {
          cwd: repoDir,
          env,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        });
      } catch {
        return undefined;
      }
    },
  };
}
