/**
 * The key schema and TTL attribute of each platform table: the one place the
 * CDK app (which creates the tables), the local stand-ins (which create them
 * in dynalite) and these adapters (which read and write the items) take them
 * from.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';

export interface PlatformTableSchema {
  /** The single string partition key (no sort key). */
  readonly partitionKey: string;
  /** The number attribute (epoch seconds) after which DynamoDB deletes an item; absent where items are kept for ever. */
  readonly timeToLiveAttribute?: string;
}

export type PlatformTableId = 'tenantTable' | 'signupGuardTable' | 'idempotencyTable';

export const PLATFORM_TABLE_SCHEMAS = {
  /** Claims, owner and mailbox index, capacity counter, progress, budget alerts: kept for ever (ids are never reused). */
  tenantTable: { partitionKey: 'pk' },
  /** Rate-limit windows that expire. */
  signupGuardTable: { partitionKey: 'pk', timeToLiveAttribute: 'expiresAt' },
  /** Powertools idempotency records, written through {@link idempotencyPersistenceLayer}. */
  idempotencyTable: { partitionKey: 'id', timeToLiveAttribute: 'expiration' },
} as const satisfies Readonly<Record<PlatformTableId, PlatformTableSchema>>;

export const PLATFORM_TABLE_IDS = Object.keys(PLATFORM_TABLE_SCHEMAS) as readonly PlatformTableId[];

/** The Powertools idempotency store on the idempotency table, with the key and expiry attributes of its schema. */
export function idempotencyPersistenceLayer(tableName: string, client: DynamoDBClient): DynamoDBPersistenceLayer {
  const schema = PLATFORM_TABLE_SCHEMAS.idempotencyTable;
  return new DynamoDBPersistenceLayer({
    tableName,
    awsSdkV3Client: client,
    keyAttr: schema.partitionKey,
    expiryAttr: schema.timeToLiveAttribute,
  });
}
