// dynalite ships no types. This triple-slash reference carries its declaration along wherever this file is type-checked
// (the local platform and the auth UI tests compile it from here), instead of a copy in each package.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./dynalite.d.ts" />
/**
 * A local DynamoDB for tests and the local platform: dynalite (a real
 * DynamoDB-compatible server) behind a small front that adds what dynalite
 * 4 lacks, TransactWriteItems. The front serializes every request, so a
 * transaction is all-or-nothing and isolated from every other write: it checks
 * and applies each item with dynalite's own conditional writes, and on the
 * first failed condition restores the items it already changed and answers
 * `TransactionCanceledException` with per-item `CancellationReasons`, as
 * DynamoDB does. (DynamoDB reports every failing item; the front stops at the
 * first and marks the rest `None`, which callers must tolerate — ours do.)
 * See docs/adr/0201-dynalite-transactions.md.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { PLATFORM_TABLE_IDS, PLATFORM_TABLE_SCHEMAS, PlatformTableId } from '../adapters/dynamodb/table-schemas';

type Json = Record<string, unknown>;
interface DynamoResponse {
  readonly status: number;
  readonly body: Json;
}

export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`: the endpoint to give DynamoDB clients. */
  readonly endpoint: string;
  /** Creates a table named `name` with the key schema of platform table `table`, as the CDK app creates it. */
  createTable(name: string, table: PlatformTableId): Promise<void>;
  /** Creates all three platform tables under `names` and returns the names. */
  createPlatformTables(names?: PlatformTableNames): Promise<PlatformTableNames>;
  close(): Promise<void>;
}

export type PlatformTableNames = Readonly<Record<PlatformTableId, string>>;

/** The table names of the local stand-ins (CloudFormation names the deployed tables). */
export const LOCAL_TABLE_NAMES: PlatformTableNames = {
  tenantTable: 'tenants',
  signupGuardTable: 'signup-guard',
  idempotencyTable: 'idempotency',
};

const TARGET_PREFIX = 'DynamoDB_20120810.';
const LOCAL_AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0';

/** Starts dynalite and the transaction front on random loopback ports. */
export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const backend = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', () => resolve()));
  const backendPort = (backend.address() as AddressInfo).port;

  const call = (operation: string, payload: Json): Promise<DynamoResponse> =>
    send(backendPort, `${TARGET_PREFIX}${operation}`, JSON.stringify(payload));
  const keyNames = new Map<string, string[]>();
  const keySchema = async (table: string): Promise<string[]> => {
    let names = keyNames.get(table);
    if (!names) {
      const described = await call('DescribeTable', { TableName: table });
      const schema = ((described.body.Table as Json | undefined)?.KeySchema ?? []) as Array<{ AttributeName: string }>;
      names = schema.map((k) => k.AttributeName);
      keyNames.set(table, names);
    }
    return names;
  };

  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  const front = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const target = String(req.headers['x-amz-target'] ?? '');
      serialized(async () => {
        if (target === `${TARGET_PREFIX}TransactWriteItems`) return transactWrite(JSON.parse(body) as Json, call, keySchema);
        return send(backendPort, target, body);
      }).then(
        (out) => {
          res.writeHead(out.status, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify(out.body));
        },
        (e: Error) => {
          res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: e.message }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;

  async function createTable(name: string, table: PlatformTableId): Promise<void> {
    const schema = (PLATFORM_TABLE_SCHEMAS as Partial<Record<string, { partitionKey: string }>>)[table];
    if (!schema)
      throw new Error(
        `cannot create table ${name}: unknown platform table ${JSON.stringify(table)}; one of ${Object.keys(PLATFORM_TABLE_SCHEMAS).join(', ')}`,
      );
    const { partitionKey } = schema;
    const out = await call('CreateTable', {
      TableName: name,
      AttributeDefinitions: [{ AttributeName: partitionKey, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    if (out.status !== 200) throw new Error(`cannot create table ${name}: ${JSON.stringify(out.body)}`);
  }

  return {
    endpoint,
    createTable,
    async createPlatformTables(names = LOCAL_TABLE_NAMES) {
      for (const table of PLATFORM_TABLE_IDS) await createTable(names[table], table);
      return names;
    },
    async close() {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await new Promise<void>((resolve) => backend.close(() => resolve()));
    },
  };
}

function send(port: number, target: string, body: string): Promise<DynamoResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        // dynalite insists on a signature-shaped header but never verifies it.
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': target,
          authorization: LOCAL_AUTHORIZATION,
          'x-amz-date': '20260101T000000Z',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 500, body: text ? (JSON.parse(text) as Json) : {} });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const isConditionFailure = (out: DynamoResponse) =>
  out.status === 400 && String(out.body.__type ?? '').endsWith('ConditionalCheckFailedException');

/** Copies the expression parameters a transaction item carries into a single-item request. */
function expressionParams(spec: Json): Json {
  const params: Json = {};
  for (const key of ['ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues', 'UpdateExpression']) {
    if (spec[key] !== undefined) params[key] = spec[key];
  }
  return params;
}

async function transactWrite(
  input: Json,
  call: (operation: string, payload: Json) => Promise<DynamoResponse>,
  keySchema: (table: string) => Promise<string[]>,
): Promise<DynamoResponse> {
  const items = (input.TransactItems ?? []) as Json[];
  const undo: Array<{ table: string; key: Json; previous?: Json }> = [];
  const rollback = async () => {
    for (const step of undo.reverse()) {
      if (step.previous) await call('PutItem', { TableName: step.table, Item: step.previous });
      else await call('DeleteItem', { TableName: step.table, Key: step.key });
    }
  };
  for (let i = 0; i < items.length; i++) {
    const [kind, spec] = Object.entries(items[i] as Json)[0] as [string, Json];
    const table = String(spec.TableName);
    const key: Json =
      kind === 'Put' ? Object.fromEntries((await keySchema(table)).map((k) => [k, (spec.Item as Json)[k]])) : (spec.Key as Json);
    const before = await call('GetItem', { TableName: table, Key: key, ConsistentRead: true });
    const previous = before.body.Item as Json | undefined;
    undo.push({ table, key, ...(previous ? { previous } : {}) });
    let out: DynamoResponse;
    if (kind === 'Put') out = await call('PutItem', { TableName: table, Item: spec.Item, ...expressionParams(spec) });
    else if (kind === 'Update') out = await call('UpdateItem', { TableName: table, Key: key, ...expressionParams(spec) });
    else if (kind === 'Delete') out = await call('DeleteItem', { TableName: table, Key: key, ...expressionParams(spec) });
    else if (previous) out = await call('PutItem', { TableName: table, Item: previous, ...expressionParams(spec) });
    else out = await call('DeleteItem', { TableName: table, Key: key, ...expressionParams(spec) });
    if (out.status === 200) continue;
    await rollback();
    if (!isConditionFailure(out)) return out;
    const reasons = items.map((_, j) =>
      j === i ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } : { Code: 'None' },
    );
    return {
      status: 400,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
        CancellationReasons: reasons,
      },
    };
  }
  return { status: 200, body: {} };
}
