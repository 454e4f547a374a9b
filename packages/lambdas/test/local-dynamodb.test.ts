import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TestTables, startTestTables } from './support/test-tables';

describe('local DynamoDB (dynalite + transaction front)', () => {
  let tables: TestTables;
  beforeAll(async () => {
    tables = await startTestTables();
  });
  afterAll(() => tables.close());

  it('applies a transaction whose conditions hold', async () => {
    await tables.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tables.tenantTable, Item: { pk: 'a', v: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: tables.signupGuardTable, Item: { pk: 'b', v: 2 }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
    expect((await tables.db.send(new GetCommand({ TableName: tables.tenantTable, Key: { pk: 'a' } }))).Item).toEqual({ pk: 'a', v: 1 });
    expect((await tables.db.send(new GetCommand({ TableName: tables.signupGuardTable, Key: { pk: 'b' } }))).Item).toEqual({
      pk: 'b',
      v: 2,
    });
  });

  it('fails if any condition is false, undoing the items already written, with per-item reasons', async () => {
    await tables.db.send(new PutCommand({ TableName: tables.tenantTable, Item: { pk: 'taken' } }));
    const attempt = tables.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tables.tenantTable,
              Key: { pk: 'counter' },
              UpdateExpression: 'SET #c = if_not_exists(#c, :z) + :one',
              ExpressionAttributeNames: { '#c': 'count' },
              ExpressionAttributeValues: { ':z': 0, ':one': 1 },
            },
          },
          { Put: { TableName: tables.tenantTable, Item: { pk: 'taken', v: 9 }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
    await expect(attempt).rejects.toMatchObject({
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
    });
    expect((await tables.db.send(new GetCommand({ TableName: tables.tenantTable, Key: { pk: 'counter' } }))).Item).toBeUndefined();
    expect((await tables.db.send(new GetCommand({ TableName: tables.tenantTable, Key: { pk: 'taken' } }))).Item).toEqual({ pk: 'taken' });
  });

  it('passes single-item conditional writes through to dynalite', async () => {
    const inc = () =>
      tables.db.send(
        new UpdateCommand({
          TableName: tables.signupGuardTable,
          Key: { pk: 'n' },
          UpdateExpression: 'SET #n = if_not_exists(#n, :z) + :one',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
          ExpressionAttributeNames: { '#n': 'n' },
          ExpressionAttributeValues: { ':z': 0, ':one': 1, ':max': 1 },
        }),
      );
    await inc();
    await expect(inc()).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });
});
