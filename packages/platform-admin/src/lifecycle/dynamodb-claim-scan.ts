import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { PLATFORM_TABLE_SCHEMAS, tenantItemKey } from '@openclaw-tenancy/lambdas';
import type { ClaimedTenantIds } from './lifecycle-ports';

/**
 * Every tenant id the tenant table holds a claim for, by scanning for the
 * tenant items' key prefix (`tenantItemKey`, with no id). An operator command:
 * one paged scan of a table that holds a few items per tenant.
 */
export class DynamoDbClaimedTenantIds implements ClaimedTenantIds {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(): Promise<string[]> {
    const key = PLATFORM_TABLE_SCHEMAS.tenantTable.partitionKey;
    const prefix = tenantItemKey('')[key];
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'begins_with(#pk, :prefix)',
          ProjectionExpression: '#pk',
          ExpressionAttributeNames: { '#pk': key },
          ExpressionAttributeValues: { ':prefix': prefix },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const value = item[key];
        if (typeof value === 'string' && value.startsWith(prefix)) ids.push(value.slice(prefix.length));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return ids.sort();
  }
}
