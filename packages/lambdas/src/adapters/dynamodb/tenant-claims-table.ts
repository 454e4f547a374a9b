import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { counterExpiry, HourWindow } from '../../domain/hour-window';
import type { Admission, ClaimOutcome, ClaimRequest, OwnerClaim, TenantClaims } from '../../ports/tenant-claims';
import { ATTR, CAPACITY_ITEM_KEY, domainCounterKey, ownerItemKey, tenantItemKey, transactionCancellationCodes } from './table-keys';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface TenantClaimsTables {
  readonly tenantTable: string;
  readonly signupGuardTable: string;
}

/**
 * Claims in the `TENANT_TABLE`, with the domain confirmation slot in the
 * `SIGNUP_GUARD_TABLE` taken in the same transaction (DynamoDB transactions
 * span tables of one account and region).
 */
export class DynamoDbTenantClaims implements TenantClaims {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: TenantClaimsTables,
  ) {}

  async activeTenantCount(): Promise<number> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tables.tenantTable, Key: CAPACITY_ITEM_KEY, ConsistentRead: true }));
    const value = Item?.[ATTR.count];
    return typeof value === 'number' ? value : 0;
  }

  async findClaimByOwner(owner: string): Promise<OwnerClaim | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tables.tenantTable, Key: ownerItemKey(owner), ConsistentRead: true }));
    if (!Item) return undefined;
    return { tenantId: String(Item.tenantId), claimedAt: String(Item.claimedAt) };
  }

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    const { tenantTable } = this.tables;
    // Order matters only for reading the cancellation reasons below.
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tenantTable,
          Item: { ...ownerItemKey(request.owner), tenantId: request.tenantId, claimedAt: request.claimedAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tenantTable,
          Item: {
            ...tenantItemKey(request.tenantId),
            tenantId: request.tenantId,
            owner: request.owner,
            claimedAt: request.claimedAt,
            tier: request.tier,
            runtime: request.runtime,
            status: 'claimed',
            admission: request.domainSlot ? 'immediate' : 'pending',
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: tenantTable,
          Key: CAPACITY_ITEM_KEY,
          UpdateExpression: 'SET #c = if_not_exists(#c, :zero) + :one',
          ConditionExpression: 'attribute_not_exists(#c) OR #c < :max',
          ExpressionAttributeNames: { '#c': ATTR.count },
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':max': request.maxTenants },
        },
      },
    ];
    if (request.domainSlot) items.push(this.slotUpdate(request.domainSlot.domain, request.domainSlot.window, request.domainSlot.limit));
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return { kind: 'claimed' };
    } catch (e) {
      const codes = transactionCancellationCodes(e);
      if (!codes) throw e;
      const failed = (i: number) => codes[i] === 'ConditionalCheckFailed';
      if (failed(0)) {
        const claim = await this.findClaimByOwner(request.owner);
        if (claim) return { kind: 'owner-has-claim', claim };
      }
      if (failed(2)) return { kind: 'capacity-reached' };
      if (failed(1)) return { kind: 'id-taken' };
      if (failed(3)) return { kind: 'domain-slot-refused' };
      // TransactionConflict and the like: let the caller's retry (Cognito's) try again.
      throw e;
    }
  }

  async admissionOf(tenantId: string): Promise<Admission> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tables.tenantTable, Key: tenantItemKey(tenantId), ConsistentRead: true }));
    if (!Item) throw new Error(`tenant ${tenantId} has no claim item`);
    if (Item.admission === 'pending') return { kind: 'pending' };
    if (Item.admission === 'reserved' && typeof Item.admitAt === 'string') return { kind: 'reserved', admitAt: Item.admitAt };
    return { kind: 'immediate' };
  }

  async reserveAdmission(tenantId: string, domain: string, window: HourWindow, limit: number): Promise<boolean> {
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tables.tenantTable,
          Key: tenantItemKey(tenantId),
          UpdateExpression: 'SET #adm = :reserved, #at = :at',
          ConditionExpression: '#adm = :pending',
          ExpressionAttributeNames: { '#adm': 'admission', '#at': 'admitAt' },
          ExpressionAttributeValues: { ':reserved': 'reserved', ':pending': 'pending', ':at': window.start.toISOString() },
        },
      },
    ];
    if (Number.isFinite(limit)) items.push(this.slotUpdate(domain, window, limit));
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (e) {
      const codes = transactionCancellationCodes(e);
      if (!codes) throw e;
      // The tenant is no longer pending: a concurrent retry reserved it already.
      if (codes[0] === 'ConditionalCheckFailed') return true;
      if (codes[1] === 'ConditionalCheckFailed') return false;
      throw e;
    }
  }

  private slotUpdate(domain: string, window: HourWindow, limit: number): TransactItem {
    return {
      Update: {
        TableName: this.tables.signupGuardTable,
        Key: domainCounterKey(domain, window),
        UpdateExpression: 'SET #n = if_not_exists(#n, :zero) + :one, #exp = :exp',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
        ExpressionAttributeNames: { '#n': ATTR.confirmations, '#exp': ATTR.expiresAt },
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':limit': limit, ':exp': counterExpiry(window) },
      },
    };
  }
}
