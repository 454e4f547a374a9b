import './aws-test-env';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { idempotencyPersistenceLayer } from '../../src/adapters/dynamodb/table-schemas';
import { LocalDynamoDb, startLocalDynamoDb } from '../../src/testing/local-dynamodb';
import { documentClient } from '../../src/wiring/aws-clients';

export interface TestTables {
  readonly dynamo: LocalDynamoDb;
  readonly client: DynamoDBClient;
  readonly db: DynamoDBDocumentClient;
  readonly tenantTable: string;
  readonly signupGuardTable: string;
  readonly idempotencyTable: string;
  /** A fresh idempotency store (Powertools keeps an in-memory cache per instance). */
  idempotencyStore(): DynamoDBPersistenceLayer;
  /**
   * A store on a new, empty idempotency table: a replay after the record
   * expired (or was never written), so the domain code itself must answer it.
   */
  emptyIdempotencyStore(): Promise<DynamoDBPersistenceLayer>;
  close(): Promise<void>;
}

let tableCounter = 0;

/** dynalite with the three tables the CDK app creates (same key schema); fresh table names per call. */
export async function startTestTables(): Promise<TestTables> {
  const dynamo = await startLocalDynamoDb();
  const suffix = `${process.pid}-${++tableCounter}`;
  const tenantTable = `tenants-${suffix}`;
  const signupGuardTable = `signup-guard-${suffix}`;
  const idempotencyTable = `idempotency-${suffix}`;
  await dynamo.createTable(tenantTable, 'tenantTable');
  await dynamo.createTable(signupGuardTable, 'signupGuardTable');
  await dynamo.createTable(idempotencyTable, 'idempotencyTable');
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    dynamo,
    client,
    db: documentClient(client),
    tenantTable,
    signupGuardTable,
    idempotencyTable,
    idempotencyStore: () => idempotencyPersistenceLayer(idempotencyTable, client),
    async emptyIdempotencyStore() {
      const tableName = `${idempotencyTable}-empty-${++tableCounter}`;
      await dynamo.createTable(tableName, 'idempotencyTable');
      return idempotencyPersistenceLayer(tableName, client);
    },
    async close() {
      client.destroy();
      await dynamo.close();
    },
  };
}
