/**
 * Where tenant containers' output (prompts, tool output) is kept off the
 * cluster; offboarding erases a tenant's part of it.
 */
export interface TenantOutputLogs {
  /** Deletes the output of every container that ran in `namespace`; a second call finds nothing left. */
  eraseNamespace(namespace: string): Promise<{ readonly deleted: number }>;
}
