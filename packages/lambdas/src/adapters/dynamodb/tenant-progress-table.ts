import { isRuntimeTier, isTenantTier } from '@openclaw-tenancy/shared';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { transactWrite } from './transact-write';
import {
  OFFBOARDING_STEPS,
  OffboardingStep,
  PROVISIONING_STEPS,
  ProvisioningStep,
  TenantLifecycleStatus,
  TenantProgress,
  TenantProgressRecord,
} from '../../ports/tenant-progress';
import { ATTR, CAPACITY_ITEM_KEY, isConditionalCheckFailed, tenantItemKey, transactionCancellationCodes } from './table-keys';

// Steps are top-level attributes (`provisioning_secrets` …): a nested map
// would need to exist before `SET map.key` works, which a claim item may predate.
const provisioningAttr = (step: ProvisioningStep) => `provisioning_${step}`;
const offboardingAttr = (step: OffboardingStep) => `offboarding_${step}`;

/** Lifecycle progress on the `tenant#<id>` items of the `TENANT_TABLE`. */
export class DynamoDbTenantProgress implements TenantProgress {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string): Promise<TenantProgressRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: tenantItemKey(tenantId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const provisioning: Partial<Record<ProvisioningStep, string>> = {};
    for (const step of PROVISIONING_STEPS)
      if (typeof Item[provisioningAttr(step)] === 'string') provisioning[step] = Item[provisioningAttr(step)];
    const offboarding: Partial<Record<OffboardingStep, string>> = {};
    for (const step of OFFBOARDING_STEPS)
      if (typeof Item[offboardingAttr(step)] === 'string') offboarding[step] = Item[offboardingAttr(step)];
    return {
      tenantId,
      owner: String(Item.owner ?? ''),
      status: (Item.status ?? 'claimed') as TenantLifecycleStatus,
      ...(typeof Item.claimedAt === 'string' ? { claimedAt: Item.claimedAt } : {}),
      ...(isTenantTier(Item.tier) ? { tier: Item.tier } : {}),
      ...(isRuntimeTier(Item.runtime) ? { runtime: Item.runtime } : {}),
      ...(typeof Item.admitAt === 'string' && Item.admission === 'reserved' ? { admitAt: Item.admitAt } : {}),
      ...(typeof Item.manifestsCommit === 'string' ? { manifestsCommit: Item.manifestsCommit } : {}),
      ...(typeof Item.idBase === 'string' ? { idBase: Item.idBase } : {}),
      ...(typeof Item.userPoolId === 'string' && typeof Item.userName === 'string'
        ? { user: { userPoolId: Item.userPoolId, userName: Item.userName } }
        : {}),
      ...(typeof Item.supersededBy === 'string' ? { supersededBy: Item.supersededBy } : {}),
      provisioning,
      offboarding,
    };
  }

  async markProvisioningStep(
    tenantId: string,
    step: ProvisioningStep,
    at: string,
    details: { manifestsCommit?: string } = {},
  ): Promise<void> {
    const names: Record<string, string> = { '#step': provisioningAttr(step) };
    const values: Record<string, unknown> = { ':at': at };
    let expression = 'SET #step = if_not_exists(#step, :at)';
    if (details.manifestsCommit) {
      expression += ', #commit = :commit';
      names['#commit'] = 'manifestsCommit';
      values[':commit'] = details.manifestsCommit;
    }
    await this.update(tenantId, expression, names, values);
  }

  async markProvisioned(tenantId: string, at: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: tenantItemKey(tenantId),
          UpdateExpression: 'SET #s = :provisioned, #at = :at',
          ConditionExpression: 'attribute_exists(pk) AND #s = :claimed',
          ExpressionAttributeNames: { '#s': 'status', '#at': 'provisionedAt' },
          ExpressionAttributeValues: { ':provisioned': 'provisioned', ':claimed': 'claimed', ':at': at },
        }),
      );
    } catch (e) {
      if (!isConditionalCheckFailed(e)) throw e;
    }
  }

  async markOffboardingStep(tenantId: string, step: OffboardingStep, at: string): Promise<void> {
    await this.update(tenantId, 'SET #step = if_not_exists(#step, :at)', { '#step': offboardingAttr(step) }, { ':at': at });
  }

  async markDeleted(tenantId: string, at: string): Promise<boolean> {
    try {
      await transactWrite(this.client, [
        {
          Update: {
            TableName: this.tableName,
            Key: tenantItemKey(tenantId),
            UpdateExpression: 'SET #s = :deleted, #at = :at',
            // Only a claim counted by PostConfirmation holds capacity.
            ConditionExpression: '#s IN (:claimed, :provisioned)',
            ExpressionAttributeNames: { '#s': 'status', '#at': 'deletedAt' },
            ExpressionAttributeValues: { ':deleted': 'deleted', ':at': at, ':claimed': 'claimed', ':provisioned': 'provisioned' },
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: CAPACITY_ITEM_KEY,
            UpdateExpression: 'SET #c = #c - :one',
            ConditionExpression: '#c > :zero',
            ExpressionAttributeNames: { '#c': ATTR.count },
            ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
          },
        },
      ]);
      return true;
    } catch (e) {
      const codes = transactionCancellationCodes(e);
      if (!codes) throw e;
      if (codes[0] !== 'ConditionalCheckFailed') throw e;
    }
    // Already deleted, or never claimed here (a tenant added with the CLI):
    // leave a tombstone so the claim path can never hand the id out.
    await this.update(
      tenantId,
      'SET #s = :deleted, #at = if_not_exists(#at, :at), #id = :id',
      { '#s': 'status', '#at': 'deletedAt', '#id': 'tenantId' },
      { ':deleted': 'deleted', ':at': at, ':id': tenantId },
    );
    return false;
  }

  private async update(
    tenantId: string,
    expression: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
  ): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: tenantItemKey(tenantId),
        UpdateExpression: expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }
}
