/**
 * The three DynamoDB tables the CDK app creates (tenant claims and progress,
 * sign-up guard, Powertools idempotency; same key schemas), served by the
 * lambdas package's local DynamoDB (dynalite plus its TransactWriteItems
 * front).
 *
 * That local DynamoDB keeps dynalite in memory and takes no LevelDB `path`
 * yet (requested from its owner), so this adapter persists the tables itself
 * through the public API: it restores a JSON snapshot into the fresh tables on
 * start and rewrites the snapshot after every function invocation (every
 * write comes from one) and on shutdown.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DynamoDBClient, PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { LocalDynamoDb, startLocalDynamoDb } from '@openclaw-tenancy/lambdas/testing';

/** Table names and partition keys; the TTL attributes (`expiresAt`, `expiration`) are checked by the code that reads them. */
export const PLATFORM_TABLES = {
  tenantTable: { name: 'tenants', key: 'pk' },
  signupGuardTable: { name: 'signup-guard', key: 'pk' },
  idempotencyTable: { name: 'idempotency', key: 'id' },
} as const;

type Item = Record<string, AttributeValue>;
type Snapshot = Record<string, Item[]>;

export interface PlatformTables {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly names: { readonly tenantTable: string; readonly signupGuardTable: string; readonly idempotencyTable: string };
  /** Writes the current content of every table to the snapshot file. */
  snapshot(): Promise<void>;
  close(): Promise<void>;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function startPlatformTables(snapshotFile: string, region: string): Promise<PlatformTables> {
  const dynamo: LocalDynamoDb = await startLocalDynamoDb();
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region, credentials: LOCAL_CREDENTIALS });
  const saved: Snapshot = fs.existsSync(snapshotFile) ? (JSON.parse(fs.readFileSync(snapshotFile, 'utf8')) as Snapshot) : {};
  for (const table of Object.values(PLATFORM_TABLES)) {
    await dynamo.createTable(table.name, table.key);
    for (const item of saved[table.name] ?? []) await client.send(new PutItemCommand({ TableName: table.name, Item: item }));
  }

  let pending: Promise<void> = Promise.resolve();
  async function writeSnapshot(): Promise<void> {
    const out: Snapshot = {};
    for (const table of Object.values(PLATFORM_TABLES)) {
      const items: Item[] = [];
      let start: Item | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: table.name, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
        items.push(...((page.Items ?? []) as Item[]));
        start = page.LastEvaluatedKey as Item | undefined;
      } while (start);
      out[table.name] = items;
    }
    fs.mkdirSync(path.dirname(snapshotFile), { recursive: true });
    const temp = `${snapshotFile}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(out));
    fs.renameSync(temp, snapshotFile);
  }

  return {
    endpoint: dynamo.endpoint,
    client,
    names: { tenantTable: PLATFORM_TABLES.tenantTable.name, signupGuardTable: PLATFORM_TABLES.signupGuardTable.name, idempotencyTable: PLATFORM_TABLES.idempotencyTable.name },
    // Serialized: two invocations finishing together must not write the file concurrently.
    snapshot: () => (pending = pending.then(writeSnapshot, writeSnapshot)),
    async close() {
      await pending.catch(() => undefined);
      await writeSnapshot();
      client.destroy();
      await dynamo.close();
    },
  };
}
