import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { LocalJobQueues } from '../src/local-aws/local-job-queue';

const job = { type: 'provision' as const, tenantId: 'alice', owner: 'alice-owner-0001', claimedAt: '2026-11-25T10:00:00Z' };

describe('local SQS stand-in', () => {
  let dir: string;
  const logs: string[] = [];
  const queues: LocalJobQueues[] = [];
  const open = (options: Partial<ConstructorParameters<typeof LocalJobQueues>[0]> = {}) => {
    const q = new LocalJobQueues({
      file: path.join(dir, 'queue.json'),
      region: 'eu-west-1',
      account: '111111111111',
      log: (l) => logs.push(l),
      ...options,
    });
    queues.push(q);
    return q;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-queue-'));
    logs.length = 0;
  });
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('delivers an SQS-shaped event to the consumer after the message delay', async () => {
    const queues = open();
    const events: Array<{ at: number; event: SQSEvent }> = [];
    queues.consume('provisioning', async (event) => {
      events.push({ at: Date.now(), event });
      return { batchItemFailures: [] };
    });
    const sentAt = Date.now();
    await queues.queue('provisioning').send(job, 1);
    for (let i = 0; i < 40 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(events).toHaveLength(1);
    expect((events[0]?.at ?? 0) - sentAt).toBeGreaterThanOrEqual(1000);
    const [record] = events[0]?.event.Records ?? [];
    expect(record).toMatchObject({
      body: JSON.stringify(job),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:111111111111:provisioning',
      attributes: { ApproximateReceiveCount: '1' },
    });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'queue.json'), 'utf8'))).toEqual([]);
  });

  it('returns a failed record after the visibility timeout and dead-letters it after maxReceiveCount', async () => {
    const queues = open({ visibilityTimeoutSeconds: 1, maxReceiveCount: 2 });
    const counts: string[] = [];
    queues.consume('provisioning', async (event) => {
      counts.push(event.Records[0]?.attributes.ApproximateReceiveCount ?? '');
      return { batchItemFailures: [{ itemIdentifier: event.Records[0]?.messageId ?? '' }] };
    });
    await queues.queue('provisioning').send(job);
    for (let i = 0; i < 40 && logs.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(counts).toEqual(['1', '2']);
    expect(logs[0]).toMatch(/queue provisioning: message [0-9a-f-]+ failed 2 times and went to the dead-letter queue/);
  });

  it('keeps undelivered messages across a restart', async () => {
    await open().queue('offboarding').send({ type: 'offboard', tenantId: 'bob', reason: 'left-company' });
    const restarted = open();
    const bodies: string[] = [];
    restarted.consume('offboarding', async (event) => {
      bodies.push(event.Records[0]?.body ?? '');
      return { batchItemFailures: [] };
    });
    for (let i = 0; i < 20 && bodies.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(bodies).toEqual([JSON.stringify({ type: 'offboard', tenantId: 'bob', reason: 'left-company' })]);
  });
});
