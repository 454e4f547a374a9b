import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PLATFORM_TABLE_IDS, PLATFORM_TABLE_SCHEMAS } from '@openclaw-tenancy/lambdas';
import { LOCAL_TABLE_NAMES } from '@openclaw-tenancy/lambdas/testing';
import { startPlatformTables } from '../src/local-aws/platform-tables';

describe('the local platform tables', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-tables-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are the three platform tables with the key schemas the CDK app creates, and survive a restart through the snapshot', async () => {
    const snapshot = path.join(dir, 'tables.json');
    const first = await startPlatformTables(snapshot, 'eu-west-1');
    try {
      expect(first.names).toEqual(LOCAL_TABLE_NAMES);
      for (const table of PLATFORM_TABLE_IDS) {
        const described = await first.client.send(new DescribeTableCommand({ TableName: first.names[table] }));
        expect(described.Table?.KeySchema).toEqual([{ AttributeName: PLATFORM_TABLE_SCHEMAS[table].partitionKey, KeyType: 'HASH' }]);
      }
      await first.client.send(
        new PutItemCommand({ TableName: first.names.tenantTable, Item: { pk: { S: 'tenant#alice' }, owner: { S: 'sub-1' } } }),
      );
    } finally {
      await first.close();
    }

    const second = await startPlatformTables(snapshot, 'eu-west-1');
    try {
      const item = await second.client.send(
        new GetItemCommand({ TableName: second.names.tenantTable, Key: { pk: { S: 'tenant#alice' } }, ConsistentRead: true }),
      );
      expect(item.Item).toEqual({ pk: { S: 'tenant#alice' }, owner: { S: 'sub-1' } });
    } finally {
      await second.close();
    }
  });
});
