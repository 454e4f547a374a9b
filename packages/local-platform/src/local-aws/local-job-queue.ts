/**
 * The provisioning and offboarding queues: an in-process stand-in for SQS.
 * Producers use the lambdas' `JobQueue` port; the consumer invokes the real
 * handler with real SQS-shaped events (one record per message, like the CDK
 * event source's partial-batch mode), honours `DelaySeconds`, returns a
 * failed record after a visibility timeout, and moves a message that failed
 * `maxReceiveCount` times to the dead-letter list (with a loud log line, where
 * AWS would raise the DLQ alarm). Messages survive a restart in a JSON file.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { MAX_QUEUE_DELAY_SECONDS, type JobQueue } from '@openclaw-tenancy/lambdas';
import type { TenantJob } from '@openclaw-tenancy/shared';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

export interface QueuedMessage {
  readonly messageId: string;
  readonly queue: string;
  readonly body: string;
  readonly sentAt: number;
  /** Epoch ms before which the message is invisible (delay or visibility timeout). */
  visibleAt: number;
  receiveCount: number;
}

export type QueueConsumer = (event: SQSEvent) => Promise<SQSBatchResponse>;

export interface LocalJobQueueOptions {
  readonly file: string;
  readonly region: string;
  readonly account: string;
  /** Seconds a failed message stays invisible (AWS: 15 min; shorter locally so a fix is retried soon). @default 10 */
  readonly visibilityTimeoutSeconds?: number;
  /** @default 5 (as the CDK app) */
  readonly maxReceiveCount?: number;
  readonly log: (line: string) => void;
}

export class LocalJobQueues {
  private readonly messages: QueuedMessage[];
  private readonly consumers = new Map<string, QueueConsumer>();
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: LocalJobQueueOptions) {
    this.messages = fs.existsSync(options.file) ? (JSON.parse(fs.readFileSync(options.file, 'utf8')) as QueuedMessage[]) : [];
  }

  /** The `JobQueue` port of one queue, for the functions that send to it. */
  queue(name: string): JobQueue {
    return {
      send: async (job: TenantJob, delaySeconds = 0) => {
        const delay = Math.max(0, Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil(delaySeconds)));
        const now = Date.now();
        this.messages.push({
          messageId: randomUUID(),
          queue: name,
          body: JSON.stringify(job),
          sentAt: now,
          visibleAt: now + delay * 1000,
          receiveCount: 0,
        });
        this.save();
        this.schedule(delay * 1000);
      },
    };
  }

  /** Starts delivering `name`'s messages to `consumer` (the event source mapping). */
  consume(name: string, consumer: QueueConsumer): void {
    this.consumers.set(name, consumer);
    this.schedule(0);
  }

  /** Stops delivering and waits for the batch in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.draining;
  }

  private arn(queue: string): string {
    return `arn:aws:sqs:${this.options.region}:${this.options.account}:${queue}`;
  }

  private schedule(inMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.draining = this.draining.then(() => this.deliver());
    }, inMs);
  }

  private async deliver(): Promise<void> {
    const now = Date.now();
    for (const message of this.messages.filter((m) => m.visibleAt <= now && this.consumers.has(m.queue))) {
      if (this.stopped) return;
      message.receiveCount += 1;
      message.visibleAt = Date.now() + (this.options.visibilityTimeoutSeconds ?? 10) * 1000;
      this.save();
      const event: SQSEvent = {
        Records: [
          {
            messageId: message.messageId,
            receiptHandle: `${message.messageId}#${message.receiveCount}`,
            body: message.body,
            attributes: {
              ApproximateReceiveCount: String(message.receiveCount),
              SentTimestamp: String(message.sentAt),
              SenderId: 'local-platform',
              ApproximateFirstReceiveTimestamp: String(now),
            },
            messageAttributes: {},
            md5OfBody: '',
            eventSource: 'aws:sqs',
            eventSourceARN: this.arn(message.queue),
            awsRegion: this.options.region,
          },
        ],
      };
      let failed = true;
      try {
        const result = await (this.consumers.get(message.queue) as QueueConsumer)(event);
        failed = result.batchItemFailures.some((f) => f.itemIdentifier === message.messageId);
      } catch (e) {
        this.options.log(`queue ${message.queue}: the consumer threw: ${(e as Error).message}`);
      }
      if (!failed) {
        this.messages.splice(this.messages.indexOf(message), 1);
      } else if (message.receiveCount >= (this.options.maxReceiveCount ?? 5)) {
        this.messages.splice(this.messages.indexOf(message), 1);
        this.options.log(
          `queue ${message.queue}: message ${message.messageId} failed ${message.receiveCount} times and went to the dead-letter queue: ${message.body}`,
        );
      }
      this.save();
    }
    const next = Math.min(...this.messages.filter((m) => this.consumers.has(m.queue)).map((m) => m.visibleAt));
    if (Number.isFinite(next)) this.schedule(Math.max(0, next - Date.now()));
  }

  private save(): void {
    const temp = `${this.options.file}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(this.messages));
    fs.renameSync(temp, this.options.file);
  }
}
