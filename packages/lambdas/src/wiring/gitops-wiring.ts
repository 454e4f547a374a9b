import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseGitCredential } from '@openclaw-tenancy/shared';
import { GitCredentials, IsomorphicGitRepository } from '../adapters/git/isomorphic-git-repository';
import { SecretsManagerPlatformSecretReader } from '../adapters/secrets-manager-tenant-secrets';
import type { GitOpsConfig } from '../config/function-config';

/** The GitOps repository with its credential read from Secrets Manager when the server first asks. */
export function gitOpsRepositoryFromConfig(config: GitOpsConfig, secretsManager: SecretsManagerClient): IsomorphicGitRepository {
  const reader = new SecretsManagerPlatformSecretReader(secretsManager);
  return new IsomorphicGitRepository({
    url: config.repoUrl,
    branch: config.branch,
    author: { name: config.authorName, email: config.authorEmail },
    credentials: async (): Promise<GitCredentials> => {
      return parseGitCredential(await reader.readJson(config.credentialsSecret), config.credentialsSecret);
    },
  });
}
