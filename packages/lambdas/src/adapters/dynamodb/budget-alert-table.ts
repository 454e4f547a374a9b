import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BudgetAlertLedger } from '../../ports/budget-alert-ledger';
import { budgetItemKey, isConditionalCheckFailed } from './table-keys';

const thresholdAttr = (percent: number) => `alerted_${percent}`;

/** `budget#<id>#<yyyy-mm>` items in the `TENANT_TABLE`: one attribute per threshold already alerted. */
export class DynamoDbBudgetAlertLedger implements BudgetAlertLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(tenantId: string, month: string, thresholdPercent: number, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: budgetItemKey(tenantId, month),
          UpdateExpression: 'SET #t = :at',
          ConditionExpression: 'attribute_not_exists(#t)',
          ExpressionAttributeNames: { '#t': thresholdAttr(thresholdPercent) },
          ExpressionAttributeValues: { ':at': at },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionalCheckFailed(e)) return false;
      throw e;
    }
  }

  async release(tenantId: string, month: string, thresholdPercent: number): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: budgetItemKey(tenantId, month),
        UpdateExpression: 'REMOVE #t',
        ExpressionAttributeNames: { '#t': thresholdAttr(thresholdPercent) },
      }),
    );
  }
}
