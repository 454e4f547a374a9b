// The heavy half of @openclaw-tenancy/tenant-manifests (cdk8s, cdk8s-plus and
// the charts), loaded by ../tenant-manifests-renderer.ts only when a tenant's
// folder is synthesized.
export { synthesizeTenantFiles } from '@openclaw-tenancy/tenant-manifests/src/synthesis/synthesize';
