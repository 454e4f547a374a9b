import type { HourWindow } from '../domain/hour-window';

/** The sign-up rate-limit counters (the `SIGNUP_GUARD_TABLE`). */
export interface SignupGuardStore {
  /**
   * Counts one sign-up attempt for a hashed address in `window`, atomically and
   * only while fewer than `limit` were counted. Returns false when the limit is reached.
   */
  tryCountAddressAttempt(addressHash: string, window: HourWindow, limit: number): Promise<boolean>;
  /** Confirmations admitted for `domain` in `window` (0 when none). */
  domainConfirmations(domain: string, window: HourWindow): Promise<number>;
}
