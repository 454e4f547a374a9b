import type { TenantJob } from '@openclaw-tenancy/shared';

/** SQS allows at most 15 minutes of per-message delay. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

export interface JobQueue {
  /** Sends `job`; `delaySeconds` (0-900) holds it back. */
  send(job: TenantJob, delaySeconds?: number): Promise<void>;
}
