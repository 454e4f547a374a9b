/** The administrators' SNS topic, locally: each lifecycle notification becomes one line of the platform's output. */
import type { AdminNotifier } from '@openclaw-tenancy/lambdas';
import { describeLifecycleEvent } from '@openclaw-tenancy/shared';

export function logAdminNotifier(log: (line: string) => void): AdminNotifier {
  return {
    async notify(event, workspaceUrl) {
      const { subject, message } = describeLifecycleEvent(event, workspaceUrl);
      log(`admin notification: ${subject} — ${message.replace(/\n/g, ' ')}`);
    },
  };
}
