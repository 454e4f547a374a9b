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
import { LocalDynamoDb, PlatformTableNames, startLocalDynamoDb } from '@openclaw-tenancy/lambdas/testing';

type Item = Record<string, AttributeValue>;
type Snapshot = Record<string, Item[]>;

export interface LocalPlatformTables {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly names: PlatformTableNames;
  /** Writes the current content of every table to the snapshot file. */
  snapshot(): Promise<void>;
  close(): Promise<void>;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function startPlatformTables(snapshotFile: string, region: string): Promise<LocalPlatformTables> {
  const dynamo: LocalDynamoDb = await startLocalDynamoDb();
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region, credentials: LOCAL_CREDENTIALS });
  const saved: Snapshot = fs.existsSync(snapshotFile) ? (JSON.parse(fs.readFileSync(snapshotFile, 'utf8')) as Snapshot) : {};
  // Key schemas come from the lambdas' table definitions, as in the CDK app.
  const names = await dynamo.createPlatformTables();
  for (const name of Object.values(names)) {
    for (const item of saved[name] ?? []) await client.send(new PutItemCommand({ TableName: name, Item: item }));
  }

  let pending: Promise<void> = Promise.resolve();
  async function writeSnapshot(): Promise<void> {
    const out: Snapshot = {};
    for (const name of Object.values(names)) {
      const items: Item[] = [];
      let start: Item | undefined;
      do {
        const page = await client.send(
          new ScanCommand({ TableName: name, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }),
        );
        items.push(...((page.Items ?? []) as Item[]));
        start = page.LastEvaluatedKey as Item | undefined;
      } while (start);
      out[name] = items;
    }
    fs.mkdirSync(path.dirname(snapshotFile), { recursive: true });
    const temp = `${snapshotFile}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(out));
    fs.renameSync(temp, snapshotFile);
  }

  return {
    endpoint: dynamo.endpoint,
    client,
    names,
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
