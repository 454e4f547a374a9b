/** A tenant-owned secret and the tags the ABAC policy of the tenant role matches on. */
export interface TenantSecretSpec {
  readonly secretId: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Value written only when the secret is created; an existing value is never touched. */
  readonly initialValue: string;
}

export type EnsureSecretOutcome = 'created' | 'existed' | 'restored';
export type ScheduleDeletionOutcome = 'scheduled' | 'already-scheduled' | 'absent';

export interface TenantSecrets {
  ensure(spec: TenantSecretSpec): Promise<EnsureSecretOutcome>;
  /** Schedules deletion with a recovery window; never force-deletes. */
  scheduleDeletion(secretId: string, recoveryWindowDays: number): Promise<ScheduleDeletionOutcome>;
}

/** Reads a JSON secret the platform itself uses (the Git credential). */
export interface PlatformSecretReader {
  readJson(secretId: string): Promise<unknown>;
}
