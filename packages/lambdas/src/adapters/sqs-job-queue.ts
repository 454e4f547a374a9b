import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { TenantJob } from '@openclaw-tenancy/shared';
import { JobQueue, MAX_QUEUE_DELAY_SECONDS } from '../ports/job-queue';

export class SqsJobQueue implements JobQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(job: TenantJob, delaySeconds = 0): Promise<void> {
    const delay = Math.max(0, Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil(delaySeconds)));
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(job),
        ...(delay > 0 ? { DelaySeconds: delay } : {}),
      }),
    );
  }
}
