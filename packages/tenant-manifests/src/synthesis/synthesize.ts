/**
 * Synthesis as a pure function of (registry record(s), platform config).
 *
 * Each tenant gets its own cdk8s App: one App holding thousands of charts
 * re-resolves and re-validates the whole app per chart and turns quadratic
 * (2,000 tenants took 149 s in a trial), while an App per tenant stays linear.
 */
import { App } from 'cdk8s';
import { GIT_PATHS, PlatformConfig, TenantRecord, tenantNames } from '@openclaw-tenancy/shared';
import { tenantAdmissionPolicies, tenantAdmissionSettings } from '../admission/tenant-admission-policies';
import { TENANT_PROJECT_FILES, tenantProjectTemplateFiles } from '../gitops/tenant-project';
import { PlatformChart } from '../platform-chart';
import { TenantChart } from '../tenant-chart';
import { KubeObject, renderManifestYaml } from './manifest-yaml';

/** File name of a tenant's manifests inside its folder. */
export const TENANT_MANIFEST_FILE = 'manifests.yaml';
export const PLATFORM_MANIFEST_FILE = 'platform.yaml';
/** The tenant admission policies and bindings, beside the platform objects. */
export const ADMISSION_MANIFEST_FILE = 'tenant-admission.yaml';

export interface SynthesizedFile {
  /** Path relative to the repository root, `/`-separated. */
  readonly path: string;
  readonly content: string;
}

export function synthesizeTenantObjects(record: TenantRecord, config: PlatformConfig): KubeObject[] {
  const app = new App({ outdir: '/dev/null' });
  const chart = new TenantChart(app, record.id, { record, config });
  return chart.toJson() as KubeObject[];
}

/** The files of one tenant: `deploy/tenants/<id>/manifests.yaml` (a tombstone's holds its retained data only). */
export function synthesizeTenantFiles(record: TenantRecord, config: PlatformConfig): SynthesizedFile[] {
  return [
    {
      path: `${tenantNames(record.id).deployDir}/${TENANT_MANIFEST_FILE}`,
      content: renderManifestYaml(synthesizeTenantObjects(record, config)),
    },
  ];
}

export function synthesizePlatformObjects(config: PlatformConfig): KubeObject[] {
  const app = new App({ outdir: '/dev/null' });
  return new PlatformChart(app, 'platform', { config }).toJson() as KubeObject[];
}

/** The tenant ValidatingAdmissionPolicies and their bindings, policies first. */
export function synthesizeAdmissionObjects(config: PlatformConfig): KubeObject[] {
  const set = tenantAdmissionPolicies(tenantAdmissionSettings(config));
  return [...set.policies, ...set.bindings] as unknown as KubeObject[];
}

/**
 * `deploy/platform/`: the platform objects, the admission policies, and the tenant AppProject template
 * with its kustomization (a subfolder, which the platform Application's
 * non-recursive directory source does not apply).
 */
export function synthesizePlatformFiles(config: PlatformConfig): SynthesizedFile[] {
  const project = tenantProjectTemplateFiles(config.gitops.repoUrl);
  return [
    { path: `${GIT_PATHS.platformDeployDir}/${PLATFORM_MANIFEST_FILE}`, content: renderManifestYaml(synthesizePlatformObjects(config)) },
    { path: `${GIT_PATHS.platformDeployDir}/${ADMISSION_MANIFEST_FILE}`, content: renderManifestYaml(synthesizeAdmissionObjects(config)) },
    { path: `${GIT_PATHS.tenantProjectTemplateDir}/${TENANT_PROJECT_FILES.appProject}`, content: renderManifestYaml([project.template]) },
    { path: `${GIT_PATHS.tenantProjectTemplateDir}/${TENANT_PROJECT_FILES.kustomization}`, content: project.kustomization },
  ];
}
