// The light half of @openclaw-tenancy/tenant-manifests (the `yaml` package and
// validation from shared, no cdk8s), loaded on first use by
// ../tenant-manifests-renderer.ts. Imported by module path: the package index
// re-exports the cdk8s charts too (see the renderer for why that matters).
export { parseTenantRecordText, serializeTenantRecord } from '@openclaw-tenancy/tenant-manifests/src/registry/tenant-record-file';
