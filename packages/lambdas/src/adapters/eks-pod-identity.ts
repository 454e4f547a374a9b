import {
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import { TAG_TENANT, TAG_TENANT_NAMESPACE, tenantIdFromNamespace } from '@openclaw-tenancy/shared';
import type { PodIdentityAssociations, PodIdentityTarget } from '../ports/pod-identity';
import { awsErrorName } from './aws-error-name';

export class EksPodIdentityAssociations implements PodIdentityAssociations {
  constructor(private readonly client: EKSClient) {}

  async ensure(target: PodIdentityTarget, roleArn: string): Promise<'created' | 'existed'> {
    const existing = await this.list(target);
    if (existing.length > 0) {
      await this.requireRole(target, existing, roleArn);
      return 'existed';
    }
    const tenantId = tenantIdFromNamespace(target.namespace);
    try {
      await this.client.send(
        new CreatePodIdentityAssociationCommand({
          clusterName: target.clusterName,
          namespace: target.namespace,
          serviceAccount: target.serviceAccount,
          roleArn,
          ...(tenantId ? { tags: { [TAG_TENANT]: tenantId, [TAG_TENANT_NAMESPACE]: target.namespace } } : {}),
        }),
      );
      return 'created';
    } catch (e) {
      // Created concurrently between the list and the create.
      if (awsErrorName(e) !== 'ResourceInUseException') throw e;
      await this.requireRole(target, await this.list(target), roleArn);
      return 'existed';
    }
  }

  /**
   * An association is adopted only if it hands out the tenant role: one made
   * by hand (or drifted) with another role would give the tenant's pods
   * permissions nobody reviewed, so the provisioner stops with a clear error.
   */
  private async requireRole(target: PodIdentityTarget, associationIds: readonly string[], roleArn: string): Promise<void> {
    for (const associationId of associationIds) {
      const { association } = await this.client.send(
        new DescribePodIdentityAssociationCommand({ clusterName: target.clusterName, associationId }),
      );
      if (association?.roleArn !== roleArn) {
        throw new Error(
          `Pod Identity association ${associationId} of ${target.namespace}/${target.serviceAccount} hands out ${association?.roleArn ?? 'an unknown role'}, not the tenant role ${roleArn}; remove it (the provisioner then creates the right one)`,
        );
      }
    }
  }

  async remove(target: PodIdentityTarget): Promise<'deleted' | 'absent'> {
    const ids = await this.list(target);
    for (const associationId of ids) {
      try {
        await this.client.send(new DeletePodIdentityAssociationCommand({ clusterName: target.clusterName, associationId }));
      } catch (e) {
        if (awsErrorName(e) !== 'ResourceNotFoundException') throw e;
      }
    }
    return ids.length > 0 ? 'deleted' : 'absent';
  }

  private async list(target: PodIdentityTarget): Promise<string[]> {
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListPodIdentityAssociationsCommand({
          clusterName: target.clusterName,
          namespace: target.namespace,
          serviceAccount: target.serviceAccount,
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      for (const a of page.associations ?? []) if (a.associationId) ids.push(a.associationId);
      nextToken = page.nextToken;
    } while (nextToken);
    return ids;
  }
}
