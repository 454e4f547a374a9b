import { PlatformConfig, RuntimeTier, TenantRecord, TenantTier, newTenantRecord } from '@openclaw-tenancy/shared';
import { EXAMPLE_PLATFORM_CONFIG, KubeObject, loadPlatformConfigFile, synthesizeTenantObjects } from '../src';

export const exampleConfig: PlatformConfig = loadPlatformConfigFile(EXAMPLE_PLATFORM_CONFIG);

export const OWNER = '5f0c1e2a-1111-4000-8000-000000000001';

export function tenant(id = 'alice', tier: TenantTier = 'standard', runtime: RuntimeTier = 'runc'): TenantRecord {
  return newTenantRecord({ id, owner: OWNER, tier, runtime, createdAt: new Date('2026-11-25T10:00:00Z') });
}

export function objectsOf(record: TenantRecord = tenant(), config: PlatformConfig = exampleConfig): KubeObject[] {
  return synthesizeTenantObjects(record, config);
}

export function find(objects: readonly KubeObject[], kind: string, name?: string): any {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''}`);
  return found;
}

/** A deep copy to mutate into a non-compliant fixture. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
