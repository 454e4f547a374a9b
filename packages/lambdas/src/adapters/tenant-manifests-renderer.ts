/**
 * The real chart code from `@openclaw-tenancy/tenant-manifests`, the same
 * `npm run synth` and the `tenants` CLI run, loaded in two parts on first use
 * rather than at cold start:
 *
 * - the codec (registry files and the platform config: the `yaml` package,
 *   ~115 KB minified) when a function first reads the GitOps repository;
 * - the charts (cdk8s + cdk8s-plus + generated imports, ~500 KB) only when a
 *   tenant's folder is synthesized: a cost-enforcer run that suspends nobody
 *   never loads them.
 *
 * Both parts come from module paths inside the package (./manifests/*.ts)
 * because its index re-exports everything, so a static import of the index
 * evaluates cdk8s at every cold start. Requested from the package's owner:
 * subpath exports for the codec and the synthesis; then only those two
 * re-export lines change.
 */
import type { ManifestRenderer } from '../ports/manifest-renderer';

type RecordCodecModule = typeof import('./manifests/record-codec');
type SynthesisModule = typeof import('./manifests/synthesis');

let codecModule: Promise<RecordCodecModule> | undefined;
let synthesisModule: Promise<SynthesisModule> | undefined;

const codec = (): Promise<RecordCodecModule> => (codecModule ??= import('./manifests/record-codec.js'));
const synthesis = (): Promise<SynthesisModule> => (synthesisModule ??= import('./manifests/synthesis.js'));

/** The registry file format plus the tenant charts. */
export const tenantManifestsRenderer: ManifestRenderer = {
  serializeTenantRecord: async (record) => (await codec()).serializeTenantRecord(record),
  parseTenantRecord: async (text, fileName) => (await codec()).parseTenantRecordText(text, fileName),
  synthesizeTenantFiles: async (record, config) => (await synthesis()).synthesizeTenantFiles(record, config),
};
