/**
 * SQS batch processing with partial failures: each record succeeds or fails
 * on its own, and only the failed ones are returned to the queue (and, after
 * the queue's maxReceiveCount, to its dead-letter queue). Records are
 * processed one after another: jobs of one batch may touch the same Git
 * branch, where running them in parallel would only make them race.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { TenantJob, parseTenantJob } from '@openclaw-tenancy/shared';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MalformedEventError } from './malformed-event-error';

const MAX_LOGGED_ISSUES = 5;

export async function processJobBatch<T extends TenantJob['type']>(
  event: unknown,
  jobType: T,
  logger: Logger,
  processJob: (job: Extract<TenantJob, { type: T }>, record: SQSRecord) => Promise<void>,
): Promise<SQSBatchResponse> {
  const records = (event as Partial<SQSEvent> | null)?.Records;
  if (!Array.isArray(records)) throw new MalformedEventError('the event is not an SQS batch (no Records array)');
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of records) {
    const messageId = String(record?.messageId ?? '');
    const { job, issues } = parseTenantJob(typeof record?.body === 'string' ? record.body : '');
    if (!job || job.type !== jobType) {
      // The body is not echoed: it is untrusted input and might be large; so might the list of its issues.
      const found = job ? [{ path: 'type', message: `expected "${jobType}", got "${job.type}"` }] : issues;
      logger.error('rejected a malformed job message', {
        messageId,
        issues: found.slice(0, MAX_LOGGED_ISSUES).map((i) => ({ path: i.path.slice(0, 100), message: i.message.slice(0, 200) })),
        ...(found.length > MAX_LOGGED_ISSUES ? { moreIssues: found.length - MAX_LOGGED_ISSUES } : {}),
      });
      batchItemFailures.push({ itemIdentifier: messageId });
      continue;
    }
    logger.appendKeys({ tenantId: job.tenantId, messageId });
    try {
      await processJob(job as Extract<TenantJob, { type: T }>, record);
    } catch (e) {
      logger.error('job failed; it returns to the queue', { error: e as Error, receiveCount: record.attributes?.ApproximateReceiveCount });
      batchItemFailures.push({ itemIdentifier: messageId });
    } finally {
      logger.removeKeys(['tenantId', 'messageId']);
    }
  }
  return { batchItemFailures };
}
