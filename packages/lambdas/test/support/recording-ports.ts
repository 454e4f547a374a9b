import { Logger } from '@aws-lambda-powertools/logger';
import type { TenantJob, TenantLifecycleEvent } from '@openclaw-tenancy/shared';
import type { AdminNotifier } from '../../src/ports/admin-notifier';
import type { JobQueue } from '../../src/ports/job-queue';
import type { UserDirectory } from '../../src/ports/user-directory';

/** Ports that only record what they were asked to do. */
export class RecordingQueue implements JobQueue {
  readonly sent: Array<{ job: TenantJob; delaySeconds: number }> = [];
  async send(job: TenantJob, delaySeconds = 0): Promise<void> {
    this.sent.push({ job, delaySeconds });
  }
}

export class RecordingUserDirectory implements UserDirectory {
  readonly updates: Array<{ userPoolId: string; userName: string; tenantId: string }> = [];
  async recordTenantId(input: { userPoolId: string; userName: string; tenantId: string }): Promise<void> {
    this.updates.push(input);
  }
}

export class RecordingNotifier implements AdminNotifier {
  readonly events: Array<{ event: TenantLifecycleEvent; workspaceUrl?: string }> = [];
  async notify(event: TenantLifecycleEvent, workspaceUrl?: string): Promise<void> {
    this.events.push({ event, ...(workspaceUrl ? { workspaceUrl } : {}) });
  }
}

/** A silent Powertools logger whose calls tests can inspect. */
export function quietLogger(): Logger {
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  jest.spyOn(logger, 'info');
  jest.spyOn(logger, 'error');
  return logger;
}
