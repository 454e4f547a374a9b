/**
 * Item keys of the tenant and sign-up guard tables. Both have the single
 * string partition key of their schema (`table-schemas.ts`); the prefix says
 * what an item is.
 */
import type { HourWindow } from '../../domain/hour-window';
import { PLATFORM_TABLE_SCHEMAS } from './table-schemas';

type ItemKeyAttribute = (typeof PLATFORM_TABLE_SCHEMAS)['tenantTable' | 'signupGuardTable']['partitionKey'];
export type ItemKey = { readonly [K in ItemKeyAttribute]: string };

/** `tenant#<id>`: the claim (kept for ever, so an id is never reused) and the lifecycle progress. */
export const tenantItemKey = (tenantId: string): ItemKey => ({ pk: `tenant#${tenantId}` });
/** `owner#<sub>`: the owner's tenant id; makes "same sub → same id" a conditional write. */
export const ownerItemKey = (owner: string): ItemKey => ({ pk: `owner#${owner}` });
/**
 * `mailbox#<hash>`: the one owner a mailbox (`hashMailbox`: lower-cased, `+tag`
 * removed) ever gave a tenant; taken in the claim transaction, kept for ever
 * like the tenant item, so sub-addresses and re-registrations of one mailbox
 * never yield a second tenant.
 */
export const mailboxItemKey = (mailboxHash: string): ItemKey => ({ pk: `mailbox#${mailboxHash}` });
/** The counter of tenants that hold capacity (claimed and not offboarded). */
export const CAPACITY_ITEM_KEY: ItemKey = { pk: 'meta#capacity' };
/** `budget#<id>#<yyyy-mm>`: which budget alerts were sent that month. */
export const budgetItemKey = (tenantId: string, month: string): ItemKey => ({ pk: `budget#${tenantId}#${month}` });

/** Sign-up attempts of one (hashed) address in one window. */
export const addressCounterKey = (addressHash: string, window: HourWindow): ItemKey => ({ pk: `address#${addressHash}#${window.key}` });
/** Sign-up attempts of the whole platform in one window. */
export const platformAttemptsKey = (window: HourWindow): ItemKey => ({ pk: `platform#${window.key}` });
/** Confirmations admitted for one domain in one window. */
export const domainCounterKey = (domain: string, window: HourWindow): ItemKey => ({ pk: `domain#${domain}#${window.key}` });

/** Attribute names; several are DynamoDB reserved words, so expressions always alias them. */
export const ATTR = {
  count: 'count',
  attempts: 'attempts',
  confirmations: 'confirmations',
  expiresAt: PLATFORM_TABLE_SCHEMAS.signupGuardTable.timeToLiveAttribute,
} as const;

/** True for the error DynamoDB returns when a condition expression is false. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

/** Per-item cancellation codes of a failed transaction, or undefined for any other error. */
export function transactionCancellationCodes(error: unknown): string[] | undefined {
  const e = error as { name?: string; CancellationReasons?: Array<{ Code?: string }> } | null;
  if (e?.name !== 'TransactionCanceledException') return undefined;
  return (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}
