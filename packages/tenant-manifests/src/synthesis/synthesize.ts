/**
 * Synthesis as a pure function of (registry record(s), platform config).
 *
 * Each tenant gets its own cdk8s App: one App holding thousands of charts
 * re-resolves and re-validates the whole app per chart and turns quadratic
 * (2,000 tenants took 149 s in a trial), while an App per tenant stays linear.
 */
import { App } from 'cdk8s';
import { GIT_PATHS, PlatformConfig, TenantRecord, hasManifests, tenantNames } from '@openclaw-tenancy/shared';
import { PlatformChart } from '../platform-chart';
import { TenantChart } from '../tenant-chart';
import { KubeObject, renderManifestYaml } from './manifest-yaml';

/** File name of a tenant's manifests inside its folder. */
export const TENANT_MANIFEST_FILE = 'manifests.yaml';
export const PLATFORM_MANIFEST_FILE = 'platform.yaml';

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

/** The files of one tenant: `deploy/tenants/<id>/manifests.yaml`, or none for a tombstone. */
export function synthesizeTenantFiles(record: TenantRecord, config: PlatformConfig): SynthesizedFile[] {
  if (!hasManifests(record)) return [];
  return [{ path: `${tenantNames(record.id).deployDir}/${TENANT_MANIFEST_FILE}`, content: renderManifestYaml(synthesizeTenantObjects(record, config)) }];
}

export function synthesizePlatformObjects(config: PlatformConfig): KubeObject[] {
  const app = new App({ outdir: '/dev/null' });
  return new PlatformChart(app, 'platform', { config }).toJson() as KubeObject[];
}

export function synthesizePlatformFiles(config: PlatformConfig): SynthesizedFile[] {
  return [{ path: `${GIT_PATHS.platformDeployDir}/${PLATFORM_MANIFEST_FILE}`, content: renderManifestYaml(synthesizePlatformObjects(config)) }];
}
