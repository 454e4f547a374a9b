/**
 * The Git changes of the tenant lifecycle, derived from the repository
 * snapshot they apply to (a retry after a concurrent push derives them again
 * from the new tip). The registry file and the tenant's synthesized folder
 * always change together, in one commit, exactly as `npm run synth` would
 * write them.
 */
import { GIT_PATHS, PlatformConfig, TenantRecord, tenantNames } from '@openclaw-tenancy/shared';
import type { RepositorySnapshot, TreeChange } from '../ports/gitops-repository';
import type { ManifestRenderer, TenantRecordCodec } from '../ports/manifest-renderer';

export async function readTenantRecord(
  snapshot: RepositorySnapshot,
  tenantId: string,
  codec: TenantRecordCodec,
): Promise<TenantRecord | undefined> {
  const file = tenantNames(tenantId).registryFile;
  const text = await snapshot.readFile(file);
  return text === undefined ? undefined : codec.parseTenantRecord(text, file);
}

/** Every registry record at the snapshot, sorted by id. */
export async function readRegistry(snapshot: RepositorySnapshot, codec: TenantRecordCodec): Promise<TenantRecord[]> {
  const files = (await snapshot.listFiles(GIT_PATHS.registryDir)).filter((f) => f.endsWith('.yaml'));
  const records: TenantRecord[] = [];
  for (const file of files) records.push(await codec.parseTenantRecord((await snapshot.readFile(file)) ?? '', file));
  return records;
}

/**
 * The registry file of `record` plus its synthesized folder, replacing
 * whatever the folder held (a file the charts no longer produce must go).
 * A tombstone keeps a folder too: the charts reduce it to the tenant's
 * retained data, so Argo CD prunes its workload and route.
 */
export async function tenantFilesChange(record: TenantRecord, config: PlatformConfig, renderer: ManifestRenderer): Promise<TreeChange> {
  const names = tenantNames(record.id);
  const files = await renderer.synthesizeTenantFiles(record, config);
  const outside = files.find((f) => !f.path.startsWith(`${names.deployDir}/`));
  if (outside) throw new Error(`the renderer wrote ${outside.path} for tenant ${record.id}, outside ${names.deployDir}/`);
  return {
    writes: [{ path: names.registryFile, content: await renderer.serializeTenantRecord(record) }, ...files],
    removeDirectories: [names.deployDir],
  };
}

/** Several tenants in one commit (the cost enforcer suspends in bulk). */
export function mergeChanges(changes: readonly TreeChange[]): TreeChange {
  return { writes: changes.flatMap((c) => c.writes), removeDirectories: changes.flatMap((c) => c.removeDirectories) };
}
