import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { toIsoSeconds } from '@openclaw-tenancy/shared';
import type { BudgetAlertLedger } from '../../ports/budget-alert-ledger';
import { budgetItemKey, isConditionalCheckFailed } from './table-keys';

const sentAttr = (percent: number) => `alerted_${percent}`;
const claimAttr = (percent: number) => `claimed_${percent}`;

/** Longer than a cost-enforcer run can last (Lambda's 15-minute limit): an older claim belongs to a run that died. */
export const BUDGET_ALERT_LEASE_MS = 15 * 60_000;

/**
 * `budget#<id>#<yyyy-mm>` items in the `TENANT_TABLE`: `alerted_<t>` once the
 * alert of threshold `t` was sent, `claimed_<t>` while a run is sending it.
 */
export class DynamoDbBudgetAlertLedger implements BudgetAlertLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(tenantId: string, month: string, thresholdPercent: number, at: Date): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: budgetItemKey(tenantId, month),
          UpdateExpression: 'SET #c = :at',
          // ISO-8601 UTC timestamps of one format compare as strings.
          ConditionExpression: 'attribute_not_exists(#s) AND (attribute_not_exists(#c) OR #c < :expired)',
          ExpressionAttributeNames: { '#s': sentAttr(thresholdPercent), '#c': claimAttr(thresholdPercent) },
          ExpressionAttributeValues: { ':at': toIsoSeconds(at), ':expired': toIsoSeconds(new Date(at.getTime() - BUDGET_ALERT_LEASE_MS)) },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionalCheckFailed(e)) return false;
      throw e;
    }
  }

  async markSent(tenantId: string, month: string, thresholdPercent: number, at: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: budgetItemKey(tenantId, month),
        UpdateExpression: 'SET #s = :at REMOVE #c',
        ExpressionAttributeNames: { '#s': sentAttr(thresholdPercent), '#c': claimAttr(thresholdPercent) },
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  async release(tenantId: string, month: string, thresholdPercent: number): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: budgetItemKey(tenantId, month),
        UpdateExpression: 'REMOVE #c',
        ExpressionAttributeNames: { '#c': claimAttr(thresholdPercent) },
      }),
    );
  }
}
