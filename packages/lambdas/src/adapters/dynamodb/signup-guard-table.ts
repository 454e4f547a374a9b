import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { counterExpiry, HourWindow } from '../../domain/hour-window';
import type { AttemptCount, AttemptLimits, SignupGuardStore } from '../../ports/signup-guard-store';
import { ATTR, ItemKey, addressCounterKey, domainCounterKey, isConditionalCheckFailed, platformAttemptsKey } from './table-keys';

/** The rate-limit windows in the `SIGNUP_GUARD_TABLE` (items expire through the TTL attribute `expiresAt`). */
export class DynamoDbSignupGuardStore implements SignupGuardStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async tryCountAttempt(addressHash: string, window: HourWindow, limits: AttemptLimits): Promise<AttemptCount> {
    const addressKey = addressCounterKey(addressHash, window);
    if (!(await this.countBelow(addressKey, limits.perAddress, window))) return 'address-limit';
    // Single-item conditional updates, not one transaction: every sign-up of the hour writes the platform counter,
    // and DynamoDB serialises updates of one item where concurrent transactions on it would be cancelled.
    if (!(await this.countBelow(platformAttemptsKey(window), limits.total, window))) {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: addressKey,
          UpdateExpression: 'SET #n = #n - :one',
          ExpressionAttributeNames: { '#n': ATTR.attempts },
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
      return 'platform-limit';
    }
    return 'counted';
  }

  /** Adds one to the counter at `key` unless it reached `limit`; false when it had. */
  private async countBelow(key: ItemKey, limit: number, window: HourWindow): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #n = if_not_exists(#n, :zero) + :one, #exp = :exp',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
          ExpressionAttributeNames: { '#n': ATTR.attempts, '#exp': ATTR.expiresAt },
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':limit': limit, ':exp': counterExpiry(window) },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionalCheckFailed(e)) return false;
      throw e;
    }
  }

  async domainConfirmations(domain: string, window: HourWindow): Promise<number> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: domainCounterKey(domain, window), ConsistentRead: true }),
    );
    const value = Item?.[ATTR.confirmations];
    return typeof value === 'number' ? value : 0;
  }
}
