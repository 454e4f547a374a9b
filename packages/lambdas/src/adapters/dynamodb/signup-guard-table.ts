import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { counterExpiry, HourWindow } from '../../domain/hour-window';
import type { SignupGuardStore } from '../../ports/signup-guard-store';
import { ATTR, addressCounterKey, domainCounterKey, isConditionalCheckFailed } from './table-keys';

/** The rate-limit windows in the `SIGNUP_GUARD_TABLE` (items expire through the TTL attribute `expiresAt`). */
export class DynamoDbSignupGuardStore implements SignupGuardStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async tryCountAddressAttempt(addressHash: string, window: HourWindow, limit: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: addressCounterKey(addressHash, window),
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
