/**
 * TransactWriteItems that survives concurrent transactions on the same items.
 * Every claim updates the one capacity counter (and a domain's counter), so a
 * wave of confirmations makes DynamoDB cancel some transactions with
 * `TransactionConflict`; the SDK does not retry those. A cancellation for any
 * other reason (a failed condition) is the caller's answer and is rethrown
 * at once.
 */
import { DynamoDBDocumentClient, TransactWriteCommand, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { transactionCancellationCodes } from './table-keys';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface TransactRetry {
  /** @default 5 */
  readonly attempts?: number;
  /** First delay; it doubles per attempt, with ±50 % jitter. @default 25 */
  readonly baseDelayMs?: number;
}

/** True when DynamoDB cancelled the transaction only because another transaction held one of its items. */
export function isTransactionConflictOnly(error: unknown): boolean {
  const codes = transactionCancellationCodes(error);
  return codes !== undefined && codes.includes('TransactionConflict') && codes.every((c) => c === 'TransactionConflict' || c === 'None');
}

export async function transactWrite(client: DynamoDBDocumentClient, items: TransactItem[], retry: TransactRetry = {}): Promise<void> {
  const attempts = retry.attempts ?? 5;
  const baseDelayMs = retry.baseDelayMs ?? 25;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (e) {
      if (attempt >= attempts || !isTransactionConflictOnly(e)) throw e;
      await new Promise((r) => setTimeout(r, baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random())));
    }
  }
}
