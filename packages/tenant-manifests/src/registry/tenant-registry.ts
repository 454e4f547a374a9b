/**
 * The tenant registry on disk: one file per tenant under `tenants/`. Reads are
 * all-or-nothing: one malformed file fails the whole read with an error naming
 * the file and field, so synthesis never produces a partial platform.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GIT_PATHS, IssueCollector, TenantRecord, ValidationError, tenantIdProblem, tenantNames } from '@openclaw-tenancy/shared';
import { parseTenantRecordText, serializeTenantRecord } from './tenant-record-file';

export class TenantRegistry {
  /** @param repoRoot the repository (or checkout) holding `tenants/` */
  constructor(private readonly repoRoot: string) {}

  get directory(): string {
    return path.join(this.repoRoot, GIT_PATHS.registryDir);
  }

  /** Every record, sorted by id. Throws a {@link ValidationError} listing every bad file. */
  readAll(): TenantRecord[] {
    if (!fs.existsSync(this.directory)) return [];
    const records: TenantRecord[] = [];
    const problems = new IssueCollector();
    for (const entry of fs.readdirSync(this.directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'README.md') continue;
      const relative = `${GIT_PATHS.registryDir}/${entry.name}`;
      if (!entry.isFile() || !entry.name.endsWith('.yaml')) {
        problems.add(relative, 'the registry holds only <tenant-id>.yaml files');
        continue;
      }
      const idProblem = tenantIdProblem(entry.name.slice(0, -'.yaml'.length));
      if (idProblem) {
        problems.add(relative, `the file name is not a valid tenant id: ${idProblem.detail}`);
        continue;
      }
      try {
        records.push(parseTenantRecordText(fs.readFileSync(path.join(this.directory, entry.name), 'utf8'), relative));
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        for (const issue of e.issues) problems.add(issue.path ? `${relative}: ${issue.path}` : relative, issue.message);
      }
    }
    problems.throwIfAny('the tenant registry');
    return records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  read(id: string): TenantRecord | undefined {
    const file = path.join(this.repoRoot, tenantNames(id).registryFile);
    if (!fs.existsSync(file)) return undefined;
    return parseTenantRecordText(fs.readFileSync(file, 'utf8'), tenantNames(id).registryFile);
  }

  /** Writes one record; returns whether the file changed. Writes via a temp file so a crash never leaves half a record. */
  write(record: TenantRecord): boolean {
    const relative = tenantNames(record.id).registryFile;
    const text = serializeTenantRecord(record);
    // Round-trip before writing: the registry must never contain a file its own reader rejects.
    parseTenantRecordText(text, relative);
    const file = path.join(this.repoRoot, relative);
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return false;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
    return true;
  }
}
