import {
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  EKSClient,
  ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import { TAG_TENANT, TAG_TENANT_NAMESPACE, tenantIdFromNamespace } from '@openclaw-tenancy/shared';
import type { PodIdentityAssociations, PodIdentityTarget } from '../ports/pod-identity';
import { awsErrorName } from './aws-error-name';

export class EksPodIdentityAssociations implements PodIdentityAssociations {
  constructor(private readonly client: EKSClient) {}

  async ensure(target: PodIdentityTarget, roleArn: string): Promise<'created' | 'existed'> {
    if ((await this.list(target)).length > 0) return 'existed';
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
      if (awsErrorName(e) === 'ResourceInUseException') return 'existed';
      throw e;
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
