import {
  loadPlatformConfigText,
  parseTenantRecordText,
  serializeTenantRecord,
  synthesizeTenantFiles,
} from '@openclaw-tenancy/tenant-manifests';
import type { ManifestRenderer } from '../ports/manifest-renderer';

/** The real chart code from `@openclaw-tenancy/tenant-manifests`, the same `npm run synth` runs. */
export const tenantManifestsRenderer: ManifestRenderer = {
  loadPlatformConfig: (yamlText, source) => loadPlatformConfigText(yamlText, source),
  serializeTenantRecord: (record) => serializeTenantRecord(record),
  parseTenantRecord: (text, fileName) => parseTenantRecordText(text, fileName),
  synthesizeTenantFiles: (record, config) => synthesizeTenantFiles(record, config),
};
