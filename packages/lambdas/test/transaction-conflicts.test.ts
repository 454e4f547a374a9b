/**
 * DynamoDB cancels a transaction with `TransactionConflict` when another
 * transaction holds one of its items (every claim touches the capacity
 * counter). dynalite serializes requests and never does, so these tests put a
 * client in front of it that answers the first transactions with that
 * cancellation, as DynamoDB does under a wave of confirmations.
 */
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbTenantClaims } from '../src/adapters/dynamodb/tenant-claims-table';
import { DynamoDbTenantProgress } from '../src/adapters/dynamodb/tenant-progress-table';
import { CAPACITY_ITEM_KEY } from '../src/adapters/dynamodb/table-keys';
import { isTransactionConflictOnly, transactWrite } from '../src/adapters/dynamodb/transact-write';
import { claimTenant } from '../src/domain/tenant-claim';
import { TestTables, startTestTables } from './support/test-tables';

const CLAIM_POLICY = { maxTenants: 10, confirmationsPerDomainPerHour: 5, tier: 'standard', runtime: 'runc' } as const;

function cancellation(...codes: string[]): Error {
  return Object.assign(new Error(`Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`), {
    name: 'TransactionCanceledException',
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

/** The tables' client, except that the next `conflicts` transactions are cancelled for a conflict. */
function conflictingClient(db: DynamoDBDocumentClient, conflicts: number): { client: DynamoDBDocumentClient; transactions: () => number } {
  let left = conflicts;
  let transactions = 0;
  const client = {
    send: async (command: unknown) => {
      if (command instanceof TransactWriteCommand) {
        transactions += 1;
        if (left > 0) {
          left -= 1;
          throw cancellation('None', 'TransactionConflict', 'None');
        }
      }
      return db.send(command as GetCommand);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, transactions: () => transactions };
}

describe('transactions under conflicts', () => {
  let tables: TestTables;
  beforeEach(async () => {
    tables = await startTestTables();
  });
  afterEach(async () => {
    await tables.close();
  });

  const capacity = async () =>
    (await tables.db.send(new GetCommand({ TableName: tables.tenantTable, Key: CAPACITY_ITEM_KEY }))).Item?.count;

  it('tells a conflict-only cancellation from a failed condition', () => {
    expect(isTransactionConflictOnly(cancellation('None', 'TransactionConflict'))).toBe(true);
    expect(isTransactionConflictOnly(cancellation('ConditionalCheckFailed', 'TransactionConflict'))).toBe(false);
    expect(isTransactionConflictOnly(cancellation('None', 'None'))).toBe(false);
    expect(isTransactionConflictOnly(new Error('timeout'))).toBe(false);
  });

  it('a claim cancelled twice for conflicts is retried and counted once', async () => {
    const { client, transactions } = conflictingClient(tables.db, 2);
    const outcome = await claimTenant({ owner: '0b1f0a2e-0000-4000-8000-000000000001', email: 'jane@example.com' }, CLAIM_POLICY, {
      claims: new DynamoDbTenantClaims(client, tables),
      now: () => new Date('2026-11-25T10:00:00Z'),
    });
    expect(outcome).toMatchObject({ tenantId: 'jane' });
    expect(transactions()).toBe(3);
    expect(await capacity()).toBe(1);
  });

  it('offboarding gives the capacity unit back through a conflict', async () => {
    await claimTenant({ owner: '0b1f0a2e-0000-4000-8000-000000000001', email: 'jane@example.com' }, CLAIM_POLICY, {
      claims: new DynamoDbTenantClaims(tables.db, tables),
      now: () => new Date('2026-11-25T10:00:00Z'),
    });
    const { client, transactions } = conflictingClient(tables.db, 1);
    expect(await new DynamoDbTenantProgress(client, tables.tenantTable).markDeleted('jane', '2026-11-26T10:00:00Z')).toBe(true);
    expect(transactions()).toBe(2);
    expect(await capacity()).toBe(0);
  });

  it('gives up after the last attempt, and never retries a failed condition', async () => {
    const persistent = conflictingClient(tables.db, 10);
    await expect(
      transactWrite(
        persistent.client,
        [{ ConditionCheck: { TableName: tables.tenantTable, Key: CAPACITY_ITEM_KEY, ConditionExpression: 'attribute_not_exists(pk)' } }],
        { attempts: 3, baseDelayMs: 1 },
      ),
    ).rejects.toMatchObject({
      name: 'TransactionCanceledException',
    });
    expect(persistent.transactions()).toBe(3);

    const direct = conflictingClient(tables.db, 0);
    await tables.db.send(
      new TransactWriteCommand({ TransactItems: [{ Put: { TableName: tables.tenantTable, Item: { ...CAPACITY_ITEM_KEY, count: 1 } } }] }),
    );
    await expect(
      transactWrite(direct.client, [
        { ConditionCheck: { TableName: tables.tenantTable, Key: CAPACITY_ITEM_KEY, ConditionExpression: 'attribute_not_exists(pk)' } },
      ]),
    ).rejects.toMatchObject({
      name: 'TransactionCanceledException',
    });
    expect(direct.transactions()).toBe(1);
  });
});
