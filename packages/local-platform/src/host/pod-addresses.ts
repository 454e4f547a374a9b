/**
 * Which address index each tenant pod has. Kept in a file so a tenant keeps
 * its address across restarts (log lines and bookmarks stay meaningful) and
 * an index is never handed to two tenants.
 */
import * as fs from 'node:fs';

export class PodAddressBook {
  private readonly indexes: Map<string, number>;

  constructor(private readonly file: string) {
    const saved = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>) : {};
    this.indexes = new Map(Object.entries(saved));
  }

  /** The tenant's index, allocating the lowest free one on first use. */
  indexOf(tenantId: string): number {
    const known = this.indexes.get(tenantId);
    if (known !== undefined) return known;
    const used = new Set(this.indexes.values());
    let index = 1;
    while (used.has(index)) index++;
    this.indexes.set(tenantId, index);
    fs.writeFileSync(this.file, `${JSON.stringify(Object.fromEntries(this.indexes), null, 2)}\n`);
    return index;
  }
}
