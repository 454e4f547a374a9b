import type { TenantLifecycleEvent } from '@openclaw-tenancy/shared';

/** Tells the platform administrators about a lifecycle event (SNS in AWS). */
export interface AdminNotifier {
  notify(event: TenantLifecycleEvent, workspaceUrl?: string): Promise<void>;
}
