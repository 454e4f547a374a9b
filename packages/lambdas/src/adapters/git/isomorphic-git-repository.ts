/**
 * The GitOps repository over HTTP(S) with isomorphic-git: Lambda has no `git`
 * binary. Every operation works in a fresh temporary directory (Lambda's
 * /tmp), clones only the tip of one branch, never checks files out (see
 * tree-edit.ts) and removes the directory afterwards, so a warm container
 * carries no state from one job to the next.
 *
 * isomorphic-git (~165 KB minified) is loaded on the first Git operation, not
 * at cold start: the provisioner's deferral path, a replayed job and a
 * malformed message never touch Git.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CommitResult, GitOpsRepository, RepositorySnapshot, TreeChange } from '../../ports/gitops-repository';
import { applyTreeChange } from './tree-edit';

type Git = typeof import('isomorphic-git');
type HttpClient = NonNullable<Parameters<Git['clone']>[0]['http']>;

interface GitModules {
  readonly git: Git;
  readonly http: HttpClient;
}

let modules: Promise<GitModules> | undefined;

function loadGit(): Promise<GitModules> {
  modules ??= Promise.all([import('isomorphic-git'), import('isomorphic-git/http/node')]).then(([git, http]) => ({
    git,
    http: { request: http.request },
  }));
  return modules;
}

export interface GitCredentials {
  readonly username: string;
  readonly password: string;
}

export interface IsomorphicGitRepositoryOptions {
  /** `https://…` (or `http://` on loopback for the local platform and tests). */
  readonly url: string;
  readonly branch: string;
  readonly author: { readonly name: string; readonly email: string };
  /** Called when the server asks for credentials; undefined means anonymous. */
  readonly credentials?: () => Promise<GitCredentials>;
  /**
   * Attempts of one commit when other writers keep pushing first.
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * Base of the jittered exponential backoff between attempts, in ms.
   * @default 200
   */
  readonly backoffBaseMs?: number;
  /** @default os.tmpdir() */
  readonly tempRoot?: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** Another writer kept winning the race to the branch tip; the job should be retried later. */
export class GitConcurrencyError extends Error {
  constructor(attempts: number) {
    super(`the branch moved on every one of ${attempts} push attempts`);
    this.name = 'GitConcurrencyError';
  }
}

const isNotFound = (e: unknown) => (e as { code?: string } | null)?.code === 'NotFoundError';

/**
 * A push lost the race to another writer: isomorphic-git's client-side check,
 * or the server refusing to move the ref (`non-fast-forward`/`fetch first`
 * when the other push landed first; `failed to update ref`/`cannot lock ref`
 * when both pushes reached the server at the same moment and its
 * compare-and-swap of the ref failed). Re-planning on the new tip is right in
 * every case; a permanent refusal fails after the bounded attempts anyway.
 */
function isConcurrentUpdate(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | null;
  if (err?.code === 'PushRejectedError') return true;
  return (
    err?.code === 'GitPushError' && /failed to update ref|cannot lock ref|fetch first|non-fast-forward|stale info/i.test(err.message ?? '')
  );
}

class TreeSnapshot implements RepositorySnapshot {
  constructor(
    private readonly git: Git,
    private readonly dir: string,
    private readonly cache: object,
    readonly commit: string,
  ) {}

  async readFile(filepath: string): Promise<string | undefined> {
    try {
      const { blob } = await this.git.readBlob({ fs, dir: this.dir, cache: this.cache, oid: this.commit, filepath });
      return Buffer.from(blob).toString('utf8');
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async listFiles(directory: string): Promise<string[]> {
    try {
      const { tree } = await this.git.readTree({ fs, dir: this.dir, cache: this.cache, oid: this.commit, filepath: directory });
      return tree
        .filter((e) => e.type === 'blob')
        .map((e) => `${directory}/${e.path}`)
        .sort();
    } catch (e) {
      if (isNotFound(e)) return [];
      throw e;
    }
  }
}

export class IsomorphicGitRepository implements GitOpsRepository {
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;

  constructor(private readonly options: IsomorphicGitRepositoryOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoffBaseMs = options.backoffBaseMs ?? 200;
  }

  async read<T>(reader: (snapshot: RepositorySnapshot) => Promise<T>): Promise<T> {
    const { git, http } = await loadGit();
    return this.withWorkspace(async (dir, cache, auth) => {
      await this.cloneTip({ git, http }, dir, auth);
      return reader(new TreeSnapshot(git, dir, cache, await this.remoteTip(git, dir)));
    });
  }

  async commit(message: string, plan: (snapshot: RepositorySnapshot) => Promise<TreeChange>): Promise<CommitResult> {
    const { git, http } = await loadGit();
    // Two writers planning the same change on the same tip within one second would otherwise write
    // byte-identical commits, and both pushes would "succeed" (both would, say, notify a suspension).
    // A trailer unique to this call makes the second push a non-fast-forward, which re-plans to no change.
    const fullMessage = `${message.replace(/\n*$/, '')}\n\nWriter-Run: ${randomUUID()}\n`;
    return this.withWorkspace(async (dir, cache, auth) => {
      const { branch, url } = this.options;
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        if (attempt === 1) await this.cloneTip({ git, http }, dir, auth);
        else await git.fetch({ fs, http, dir, cache, url, ref: branch, singleBranch: true, depth: 1, tags: false, ...auth });
        const tip = await this.remoteTip(git, dir);
        const change = await plan(new TreeSnapshot(git, dir, cache, tip));
        const baseTree = (await git.readCommit({ fs, dir, cache, oid: tip })).commit.tree;
        const tree = await applyTreeChange({ git, dir, cache }, baseTree, change);
        // A replay, or a change another writer already made: no empty commit.
        if (tree === baseTree) return { commit: tip, changed: false };
        const signature = this.signature();
        const commit = await git.writeCommit({
          fs,
          dir,
          commit: { message: fullMessage, tree, parent: [tip], author: signature, committer: signature },
        });
        await git.writeRef({ fs, dir, ref: `refs/heads/${branch}`, value: commit, force: true });
        try {
          await git.push({ fs, http, dir, cache, url, ref: branch, remoteRef: branch, ...auth });
          return { commit, changed: true };
        } catch (e) {
          if (!isConcurrentUpdate(e)) throw e;
          if (attempt < this.maxAttempts) await this.backoff(attempt);
        }
      }
      throw new GitConcurrencyError(this.maxAttempts);
    });
  }

  private async cloneTip({ git, http }: GitModules, dir: string, auth: AuthCallbacks): Promise<void> {
    const { url, branch } = this.options;
    await git.clone({ fs, http, dir, url, ref: branch, singleBranch: true, depth: 1, noCheckout: true, noTags: true, ...auth });
  }

  private async remoteTip(git: Git, dir: string): Promise<string> {
    return git.resolveRef({ fs, dir, ref: `refs/remotes/origin/${this.options.branch}` });
  }

  private signature() {
    const now = (this.options.now ?? (() => new Date()))();
    return { ...this.options.author, timestamp: Math.floor(now.getTime() / 1000), timezoneOffset: 0 };
  }

  private async backoff(attempt: number): Promise<void> {
    // Full jitter: concurrent writers that collided spread out instead of colliding again.
    const ms = Math.random() * this.backoffBaseMs * 2 ** (attempt - 1);
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  private async withWorkspace<T>(work: (dir: string, cache: object, auth: AuthCallbacks) => Promise<T>): Promise<T> {
    const dir = await fs.promises.mkdtemp(path.join(this.options.tempRoot ?? os.tmpdir(), 'gitops-'));
    let credentials: Promise<GitCredentials> | undefined;
    const auth: AuthCallbacks = {
      // Read once per operation, and only when the server asks for it.
      onAuth: async () => (this.options.credentials ? await (credentials ??= this.options.credentials()) : { cancel: true }),
      // A rejected credential will not become right by asking again.
      onAuthFailure: () => ({ cancel: true }),
    };
    try {
      return await work(dir, {}, auth);
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }
}

interface AuthCallbacks {
  onAuth(): Promise<GitCredentials | { cancel: true }>;
  onAuthFailure(): { cancel: true };
}
