import { EKSClient, ListPodIdentityAssociationsCommand } from '@aws-sdk/client-eks';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { InferenceProfileDirectory } from '@openclaw-tenancy/lambdas';
import { tenantNames } from '@openclaw-tenancy/shared';
import type { TenantResourceInspector, TenantResourceView } from './lifecycle-ports';

const errorName = (e: unknown): string | undefined => (e instanceof Error ? e.name : undefined);

/** Reads what the provisioner created for a tenant, by the names `tenantNames` gives (never writes). */
export class AwsTenantResources implements TenantResourceInspector {
  constructor(
    private readonly clients: { readonly secretsManager: SecretsManagerClient; readonly eks: EKSClient },
    private readonly profiles: InferenceProfileDirectory,
    private readonly settings: { readonly clusterName: string; readonly bedrockRegion: string; readonly modelAliases: readonly string[] },
  ) {}

  async inspect(tenantId: string): Promise<TenantResourceView> {
    const names = tenantNames(tenantId);
    const [secret, podIdentityAssociationArn, inferenceProfiles] = await Promise.all([
      this.secret(names.secretId('gateway')),
      this.podIdentity(names.namespace, names.serviceAccount),
      this.inferenceProfiles(this.settings.modelAliases.map((alias) => names.inferenceProfileName(alias))),
    ]);
    return { secret, ...(podIdentityAssociationArn ? { podIdentityAssociationArn } : {}), inferenceProfiles };
  }

  private async secret(secretId: string): Promise<TenantResourceView['secret']> {
    try {
      const described = await this.clients.secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));
      return described.DeletedDate ? 'scheduled-for-deletion' : 'present';
    } catch (e) {
      if (errorName(e) === 'ResourceNotFoundException') return 'absent';
      throw e;
    }
  }

  private async podIdentity(namespace: string, serviceAccount: string): Promise<string | undefined> {
    const page = await this.clients.eks.send(
      new ListPodIdentityAssociationsCommand({ clusterName: this.settings.clusterName, namespace, serviceAccount }),
    );
    const association = page.associations?.[0];
    return association ? (association.associationArn ?? `${namespace}/${serviceAccount}`) : undefined;
  }

  /** Exact names only: a prefix would also match another tenant's (`jane-` is a prefix of `jane-2-`). */
  private async inferenceProfiles(expectedNames: readonly string[]): Promise<Record<string, string>> {
    const byName = await this.profiles.arnsByName(this.settings.bedrockRegion);
    const mine: Record<string, string> = {};
    for (const name of expectedNames) {
      const arn = byName.get(name);
      if (arn) mine[name] = arn;
    }
    return mine;
  }
}
