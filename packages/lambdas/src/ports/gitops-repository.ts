/** Read access to one commit of the GitOps repository. */
export interface RepositorySnapshot {
  readonly commit: string;
  /** File content, or undefined when absent. */
  readFile(path: string): Promise<string | undefined>;
  /** Paths of the files directly in `dir` (no sub-directories), sorted. */
  listFiles(dir: string): Promise<string[]>;
}

/** What one commit changes; applied on top of the current tip, possibly more than once (after a concurrent push). */
export interface TreeChange {
  readonly writes: ReadonlyArray<{ readonly path: string; readonly content: string }>;
  /** Directories whose whole content is removed (or replaced by `writes` below them). */
  readonly removeDirectories: readonly string[];
}

export interface CommitResult {
  /** The new commit, or the unchanged tip when the change was already there. */
  readonly commit: string;
  readonly changed: boolean;
}

export interface GitOpsRepository {
  /** Reads the tip of the branch. */
  read<T>(reader: (snapshot: RepositorySnapshot) => Promise<T>): Promise<T>;
  /**
   * Builds a change from the tip and pushes it as one commit. `plan` runs again
   * on the new tip when another writer pushed first, so it must derive the
   * change from the snapshot it is given. A change that alters nothing creates no commit.
   */
  commit(message: string, plan: (snapshot: RepositorySnapshot) => Promise<TreeChange>): Promise<CommitResult>;
}
