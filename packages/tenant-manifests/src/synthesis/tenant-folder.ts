/**
 * Synchronizes one tenant's folder without touching any other: the O(1) path
 * used when a single tenant changes (the CLI, the provisioner). A full
 * `writeDeployTree` produces the same bytes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PlatformConfig, TenantRecord, tenantNames } from '@openclaw-tenancy/shared';
import { synthesizeTenantFiles } from './synthesize';

export interface TenantFolderChange {
  readonly written: string[];
  readonly removed: string[];
}

export function syncTenantFolder(repoRoot: string, record: TenantRecord, config: PlatformConfig): TenantFolderChange {
  const dir = tenantNames(record.id).deployDir;
  const files = synthesizeTenantFiles(record, config);
  const change: TenantFolderChange = { written: [], removed: [] };
  const wanted = new Set(files.map((f) => f.path));
  for (const file of files) {
    const target = path.join(repoRoot, file.path);
    if (fs.existsSync(target) && fs.readFileSync(target, 'utf8') === file.content) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
    change.written.push(file.path);
  }
  const absDir = path.join(repoRoot, dir);
  if (fs.existsSync(absDir)) {
    for (const name of fs.readdirSync(absDir).sort()) {
      const rel = `${dir}/${name}`;
      if (!wanted.has(rel)) {
        fs.rmSync(path.join(absDir, name), { recursive: true });
        change.removed.push(rel);
      }
    }
    if (fs.readdirSync(absDir).length === 0) fs.rmdirSync(absDir);
  }
  return change;
}
