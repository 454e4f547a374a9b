import './support/aws-test-env';
import { DescribeTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { ATTR, PLATFORM_TABLE_IDS, PLATFORM_TABLE_SCHEMAS, idempotencyPersistenceLayer, tenantItemKey } from '../src';
import { LocalDynamoDb, startLocalDynamoDb } from '../src/testing';

let dynamo: LocalDynamoDb;
let client: DynamoDBClient;
beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
  client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  client.destroy();
  await dynamo.close();
});

describe('platform table schemas', () => {
  it.each(PLATFORM_TABLE_IDS)('the local DynamoDB creates %s with the partition key of its schema', async (table) => {
    await dynamo.createTable(`schema-${table}`, table);
    const described = await client.send(new DescribeTableCommand({ TableName: `schema-${table}` }));
    expect(described.Table?.KeySchema).toEqual([{ AttributeName: PLATFORM_TABLE_SCHEMAS[table].partitionKey, KeyType: 'HASH' }]);
  });

  it('fails naming the platform tables if asked for a table that has no schema', async () => {
    await expect(dynamo.createTable('x', 'auditTable' as never)).rejects.toThrow(
      'cannot create table x: unknown platform table "auditTable"; one of tenantTable, signupGuardTable, idempotencyTable',
    );
  });

  it('item keys and the TTL attribute the adapters write are the schema attributes', () => {
    expect(Object.keys(tenantItemKey('alice'))).toEqual([PLATFORM_TABLE_SCHEMAS.tenantTable.partitionKey]);
    expect(ATTR.expiresAt).toBe(PLATFORM_TABLE_SCHEMAS.signupGuardTable.timeToLiveAttribute);
  });

  it('the idempotency store writes records under the key and expiry attributes of the schema', async () => {
    await dynamo.createTable('schema-idempotency-records', 'idempotencyTable');
    const handler = makeIdempotent(async (event: { id: string }) => ({ done: event.id }), {
      persistenceStore: idempotencyPersistenceLayer('schema-idempotency-records', client),
      config: new IdempotencyConfig({ eventKeyJmesPath: 'id' }),
    });
    await handler({ id: 'job-1' });
    const items = (await client.send(new ScanCommand({ TableName: 'schema-idempotency-records' }))).Items ?? [];
    expect(items).toHaveLength(1);
    const schema = PLATFORM_TABLE_SCHEMAS.idempotencyTable;
    expect(items[0]?.[schema.partitionKey]?.S).toEqual(expect.any(String));
    expect(Number(items[0]?.[schema.timeToLiveAttribute]?.N)).toBeGreaterThan(Date.now() / 1000);
  });
});
