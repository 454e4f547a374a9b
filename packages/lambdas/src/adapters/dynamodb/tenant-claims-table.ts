import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { counterExpiry, HourWindow } from '../../domain/hour-window';
import type { Admission, ClaimOutcome, ClaimRequest, OwnerClaim, TenantClaims } from '../../ports/tenant-claims';
import { TransactItem, transactWrite } from './transact-write';
import {
  ATTR,
  CAPACITY_ITEM_KEY,
  domainCounterKey,
  mailboxItemKey,
  ownerItemKey,
  tenantItemKey,
  transactionCancellationCodes,
} from './table-keys';

export interface TenantClaimsTables {
  readonly tenantTable: string;
  /** Only needed for the domain confirmation slots (PostConfirmation); the provisioner's replacement claims take none. */
  readonly signupGuardTable?: string;
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
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tables.tenantTable, Key: CAPACITY_ITEM_KEY, ConsistentRead: true }),
    );
    const value = Item?.[ATTR.count];
    return typeof value === 'number' ? value : 0;
  }

  async findClaimByOwner(owner: string): Promise<OwnerClaim | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tables.tenantTable, Key: ownerItemKey(owner), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return { tenantId: String(Item.tenantId), claimedAt: String(Item.claimedAt) };
  }

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    const { tenantTable } = this.tables;
    const replacing = request.replaces !== undefined;
    // Each item's role, to read the cancellation reasons below. dynalite reports only the
    // first failing item (ADR 0201), so the decisive one comes first: the owner item.
    const items: Array<{ role: 'owner' | 'mailbox' | 'tenant' | 'capacity' | 'slot' | 'replaced'; item: TransactItem }> = [
      {
        role: 'owner',
        item: replacing
          ? {
              Update: {
                TableName: tenantTable,
                Key: ownerItemKey(request.owner),
                UpdateExpression: 'SET tenantId = :id',
                ConditionExpression: 'tenantId = :replaced',
                ExpressionAttributeValues: { ':id': request.tenantId, ':replaced': request.replaces },
              },
            }
          : {
              Put: {
                TableName: tenantTable,
                Item: { ...ownerItemKey(request.owner), tenantId: request.tenantId, claimedAt: request.claimedAt },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
      },
      {
        role: 'tenant',
        item: {
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
              // A replacement was admitted already (the provisioner only runs admitted claims).
              admission: replacing || request.domainSlot ? 'immediate' : 'pending',
              ...(request.idBase ? { idBase: request.idBase } : {}),
              ...(request.user ? { userPoolId: request.user.userPoolId, userName: request.user.userName } : {}),
              ...(replacing ? { replaces: request.replaces } : {}),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
    ];
    if (request.replaces === undefined) {
      // Second, right after the owner item: a retry by the same owner fails on its owner item first and finds its claim.
      items.splice(1, 0, {
        role: 'mailbox',
        item: {
          Put: {
            TableName: tenantTable,
            Item: { ...mailboxItemKey(request.mailbox), owner: request.owner, claimedAt: request.claimedAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      });
    }
    if (request.replaces !== undefined) {
      items.push({
        role: 'replaced',
        item: {
          Update: {
            TableName: tenantTable,
            Key: tenantItemKey(request.replaces),
            UpdateExpression: 'SET #s = :superseded, supersededBy = :id, supersededAt = :at',
            ConditionExpression: '#owner = :owner AND #s = :claimed',
            ExpressionAttributeNames: { '#s': 'status', '#owner': 'owner' },
            ExpressionAttributeValues: {
              ':superseded': 'superseded',
              ':id': request.tenantId,
              ':at': request.movedAt,
              ':owner': request.owner,
              ':claimed': 'claimed',
            },
          },
        },
      });
    } else {
      items.push({
        role: 'capacity',
        item: {
          Update: {
            TableName: tenantTable,
            Key: CAPACITY_ITEM_KEY,
            UpdateExpression: 'SET #c = if_not_exists(#c, :zero) + :one',
            ConditionExpression: 'attribute_not_exists(#c) OR #c < :max',
            ExpressionAttributeNames: { '#c': ATTR.count },
            ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':max': request.maxTenants },
          },
        },
      });
      if (request.domainSlot)
        items.push({ role: 'slot', item: this.slotUpdate(request.domainSlot.domain, request.domainSlot.window, request.domainSlot.limit) });
    }
    try {
      await transactWrite(
        this.client,
        items.map((i) => i.item),
      );
      return { kind: 'claimed' };
    } catch (e) {
      const codes = transactionCancellationCodes(e);
      if (!codes) throw e;
      const failed = (role: (typeof items)[number]['role']) =>
        items.some((i, n) => i.role === role && codes[n] === 'ConditionalCheckFailed');
      if (failed('owner')) {
        // A new claim: the owner has one already. A replacement: the owner's claim was moved meanwhile.
        const claim = await this.findClaimByOwner(request.owner);
        if (claim) return { kind: 'owner-has-claim', claim };
      }
      if (failed('mailbox')) return { kind: 'mailbox-has-claim' };
      if (failed('capacity')) return { kind: 'capacity-reached' };
      if (failed('tenant')) return { kind: 'id-taken' };
      if (failed('slot')) return { kind: 'domain-slot-refused' };
      // A replaced claim that is not this owner's open claim any more, or conflicts that outlasted the retries: the caller's retry decides.
      throw e;
    }
  }

  async admissionOf(tenantId: string): Promise<Admission> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tables.tenantTable, Key: tenantItemKey(tenantId), ConsistentRead: true }),
    );
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
      await transactWrite(this.client, items);
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
    if (!this.tables.signupGuardTable) throw new Error('a domain confirmation slot needs the sign-up guard table');
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
