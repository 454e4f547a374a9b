/**
 * The checks a synthesis for a real platform adds to schema validation: no
 * example value left in the config, no other platform's tenant in the
 * registry. The example config is exempt: it is what the offline build and CI
 * synthesize, demo tenants included.
 */
import * as path from 'node:path';
import {
  TenantRecord,
  ValidationError,
  assertDeployableConfig,
  configProvenance as provenanceLine,
  foreignTenantIssues,
} from '@openclaw-tenancy/shared';
import { EXAMPLE_PLATFORM_CONFIG, loadPlatformConfigFile } from '../platform-config-file';
import { GitOpsWorkspace } from './gitops-workspace';

/** True when the workspace synthesizes the committed example config. */
export function usesExampleConfig(ws: Pick<GitOpsWorkspace, 'configPath'>): boolean {
  return path.resolve(ws.configPath) === path.resolve(EXAMPLE_PLATFORM_CONFIG);
}

/** One line saying which config the synthesis reads. */
export function configProvenance(ws: Pick<GitOpsWorkspace, 'configPath'>): string {
  return provenanceLine(ws.configPath, usesExampleConfig(ws));
}

/** Throws a {@link ValidationError} naming each example value and each foreign tenant; touches nothing. */
export function assertDeployableWorkspace(ws: Pick<GitOpsWorkspace, 'configPath' | 'config'>, records: readonly TenantRecord[]): void {
  if (usesExampleConfig(ws)) return;
  assertDeployableConfig(ws.config, loadPlatformConfigFile(EXAMPLE_PLATFORM_CONFIG), ws.configPath);
  const foreign = foreignTenantIssues(records, ws.config);
  if (foreign.length > 0) throw new ValidationError(`tenant registry for ${ws.configPath}`, foreign);
}
