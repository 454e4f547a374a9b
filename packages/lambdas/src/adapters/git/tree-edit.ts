/**
 * Applies a {@link TreeChange} to a Git tree object by writing blobs and trees
 * straight into the object store, without a working tree. A checkout of the
 * GitOps repository grows with every tenant (tens of thousands of files at
 * scale); editing trees touches only the directories on the changed paths.
 */
import * as fs from 'node:fs';
import type { TreeChange } from '../../ports/gitops-repository';

/** The isomorphic-git functions tree editing uses (the module is loaded on first use, see isomorphic-git-repository.ts). */
export type GitTreeApi = Pick<typeof import('isomorphic-git'), 'readTree' | 'writeTree' | 'writeBlob'>;

interface DirectoryEdit {
  /** Drop whatever the directory held before (it was removed; new writes start afresh). */
  reset: boolean;
  readonly files: Map<string, string>;
  readonly directories: Map<string, DirectoryEdit>;
}

const newEdit = (): DirectoryEdit => ({ reset: false, files: new Map(), directories: new Map() });

function splitPath(path: string): string[] {
  const parts = path.split('/').filter((p) => p.length > 0);
  if (parts.length === 0 || parts.some((p) => p === '.' || p === '..'))
    throw new Error(`not a repository-relative path: ${JSON.stringify(path)}`);
  return parts;
}

function directoryAt(root: DirectoryEdit, parts: readonly string[]): DirectoryEdit {
  let node = root;
  for (const part of parts) {
    let child = node.directories.get(part);
    if (!child) {
      child = newEdit();
      node.directories.set(part, child);
    }
    node = child;
  }
  return node;
}

function planEdits(change: TreeChange): DirectoryEdit {
  const root = newEdit();
  // Removals first, so that writes below a removed directory survive it.
  for (const dir of change.removeDirectories) directoryAt(root, splitPath(dir)).reset = true;
  for (const { path, content } of change.writes) {
    const parts = splitPath(path);
    directoryAt(root, parts.slice(0, -1)).files.set(parts[parts.length - 1] as string, content);
  }
  return root;
}

export interface ObjectStore {
  readonly git: GitTreeApi;
  readonly dir: string;
  readonly cache: object;
}

/** Returns the oid of `baseTree` with `change` applied (equal to `baseTree` when nothing changed). */
export async function applyTreeChange(store: ObjectStore, baseTree: string, change: TreeChange): Promise<string> {
  return (await editTree(store, baseTree, planEdits(change))) ?? (await store.git.writeTree({ fs, dir: store.dir, tree: [] }));
}

/** Returns the new tree oid, or undefined when the directory ends up empty (Git has no empty directories). */
async function editTree(store: ObjectStore, treeOid: string | undefined, edit: DirectoryEdit): Promise<string | undefined> {
  const { git, dir, cache } = store;
  const entries = new Map<string, { mode: string; path: string; oid: string; type: 'blob' | 'tree' | 'commit' }>();
  if (treeOid && !edit.reset) {
    for (const entry of (await git.readTree({ fs, dir, cache, oid: treeOid })).tree) entries.set(entry.path, entry);
  }
  if (edit.reset && edit.files.size === 0 && edit.directories.size === 0) return undefined;
  for (const [name, content] of edit.files) {
    const oid = await git.writeBlob({ fs, dir, blob: Buffer.from(content, 'utf8') });
    entries.set(name, { mode: '100644', path: name, oid, type: 'blob' });
  }
  for (const [name, childEdit] of edit.directories) {
    const existing = entries.get(name);
    const childOid = await editTree(store, existing?.type === 'tree' ? existing.oid : undefined, childEdit);
    if (childOid === undefined) entries.delete(name);
    else entries.set(name, { mode: '040000', path: name, oid: childOid, type: 'tree' });
  }
  if (entries.size === 0) return undefined;
  return git.writeTree({ fs, dir, tree: [...entries.values()] });
}
