/**
 * Writes synthesized files into `deploy/` of a checkout: only files whose
 * bytes change are written, and tenant folders that no longer belong to an
 * active or suspended tenant are removed. Adding one tenant therefore touches
 * exactly one folder, and a re-run touches nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GIT_PATHS, PlatformConfig, TenantRecord } from '@openclaw-tenancy/shared';
import { SynthesizedFile, synthesizePlatformFiles, synthesizeTenantFiles } from './synthesize';

export interface DeployTreeReport {
  /** Files whose content changed (or would change in check mode). */
  readonly written: string[];
  /** Files that already held the synthesized bytes. */
  readonly unchanged: number;
  /** Paths present in `deploy/` that synthesis does not produce (removed unless checking). */
  readonly removed: string[];
}

export interface DeployTreeOptions {
  /** Report differences without touching the disk (CI's "committed deploy/ is up to date" check). */
  readonly check?: boolean;
}

/** Every file of the tree, produced lazily so 10,000 tenants never sit in memory at once. */
export function* synthesizeAll(records: Iterable<TenantRecord>, config: PlatformConfig): Generator<SynthesizedFile> {
  yield* synthesizePlatformFiles(config);
  for (const record of records) yield* synthesizeTenantFiles(record, config);
}

export function writeDeployTree(repoRoot: string, files: Iterable<SynthesizedFile>, options: DeployTreeOptions = {}): DeployTreeReport {
  const report: DeployTreeReport = { written: [], unchanged: 0, removed: [] };
  const wanted = new Set<string>();
  for (const file of files) {
    wanted.add(file.path);
    const target = path.join(repoRoot, file.path);
    if (fs.existsSync(target) && fs.readFileSync(target, 'utf8') === file.content) {
      (report as { unchanged: number }).unchanged++;
      continue;
    }
    report.written.push(file.path);
    if (options.check) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
  }
  for (const stale of listFiles(repoRoot, GIT_PATHS.tenantsDeployDir).concat(listFiles(repoRoot, GIT_PATHS.platformDeployDir))) {
    if (wanted.has(stale)) continue;
    report.removed.push(stale);
    if (!options.check) fs.rmSync(path.join(repoRoot, stale));
  }
  if (!options.check) removeEmptyDirs(path.join(repoRoot, GIT_PATHS.tenantsDeployDir));
  report.written.sort();
  report.removed.sort();
  return report;
}

function listFiles(repoRoot: string, dir: string): string[] {
  const root = path.join(repoRoot, dir);
  if (!fs.existsSync(root)) return [];
  const out: string[] = [];
  const walk = (abs: string, rel: string) => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const childRel = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path.join(abs, entry.name), childRel);
      else out.push(childRel);
    }
  };
  walk(root, dir);
  return out;
}

function removeEmptyDirs(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const child = path.join(dir, entry.name);
    removeEmptyDirs(child);
    if (fs.readdirSync(child).length === 0) fs.rmdirSync(child);
  }
}
