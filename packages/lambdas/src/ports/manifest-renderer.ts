import type { PlatformConfig, TenantRecord } from '@openclaw-tenancy/shared';

export interface RenderedFile {
  /** Relative to the repository root. */
  readonly path: string;
  readonly content: string;
}

/**
 * The registry file format, exactly as the `tenants` CLI and `npm run synth`
 * read and write it. Asynchronous so that an
 * adapter can load its code on first use.
 */
export interface TenantRecordCodec {
  serializeTenantRecord(record: TenantRecord): Promise<string>;
  parseTenantRecord(text: string, fileName: string): Promise<TenantRecord>;
}

/**
 * The chart code `npm run synth` runs, as the functions that write a tenant's
 * folder need it (provisioner, offboarder, cost enforcer): they must write
 * byte-for-byte what CI would synthesize, or CI's drift check would fail on
 * every commit they make.
 */
export interface ManifestRenderer extends TenantRecordCodec {
  /** Every file of the tenant, all under `deploy/tenants/<id>/`. */
  synthesizeTenantFiles(record: TenantRecord, config: PlatformConfig): Promise<RenderedFile[]>;
}
