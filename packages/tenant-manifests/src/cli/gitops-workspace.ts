/** Where the CLIs find the GitOps repository and the platform config. */
import * as path from 'node:path';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { loadPlatformConfigFile, platformConfigPathFromEnv } from '../platform-config-file';
import { TenantRegistry } from '../registry/tenant-registry';
import { REPOSITORY_ROOT } from '../repository-layout';

export interface GitOpsWorkspace {
  readonly repoRoot: string;
  readonly configPath: string;
  readonly config: PlatformConfig;
  readonly registry: TenantRegistry;
}

export function openGitOpsWorkspace(env: NodeJS.ProcessEnv = process.env): GitOpsWorkspace {
  // This repository is its own GitOps repository by default.
  const repoRoot = env.OPENCLAW_GITOPS_ROOT ? path.resolve(env.OPENCLAW_GITOPS_ROOT) : REPOSITORY_ROOT;
  const configPath = platformConfigPathFromEnv(env);
  return { repoRoot, configPath, config: loadPlatformConfigFile(configPath), registry: new TenantRegistry(repoRoot) };
}
