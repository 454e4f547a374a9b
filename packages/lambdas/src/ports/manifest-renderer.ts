import type { PlatformConfig, TenantRecord } from '@openclaw-tenancy/shared';

export interface RenderedFile {
  /** Relative to the repository root. */
  readonly path: string;
  readonly content: string;
}

/**
 * The chart code `npm run synth` runs, as the provisioner needs it: the
 * provisioner must write byte-for-byte what CI would synthesize, or CI's
 * drift check would fail on every commit the provisioner makes.
 */
export interface ManifestRenderer {
  loadPlatformConfig(yamlText: string, source: string): PlatformConfig;
  serializeTenantRecord(record: TenantRecord): string;
  parseTenantRecord(text: string, fileName: string): TenantRecord;
  /** Every file of the tenant, all under `deploy/tenants/<id>/`. */
  synthesizeTenantFiles(record: TenantRecord, config: PlatformConfig): RenderedFile[];
}
