import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { TenantLifecycleEvent, describeLifecycleEvent } from '@openclaw-tenancy/shared';
import type { AdminNotifier } from '../ports/admin-notifier';

/** SNS subjects are limited to 100 printable ASCII characters. */
const MAX_SUBJECT = 100;

export class SnsAdminNotifier implements AdminNotifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async notify(event: TenantLifecycleEvent, workspaceUrl?: string): Promise<void> {
    const { subject, message } = describeLifecycleEvent(event, workspaceUrl);
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: subject.replace(/[^\x20-\x7e]/g, '?').slice(0, MAX_SUBJECT),
        Message: message,
        // Lets subscribers filter by event type and tenant without parsing text.
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: event.type },
          tenantId: { DataType: 'String', StringValue: event.tenantId },
        },
      }),
    );
  }
}
