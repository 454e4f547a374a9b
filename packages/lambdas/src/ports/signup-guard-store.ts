import type { HourWindow } from '../domain/hour-window';

export interface AttemptLimits {
  readonly perAddress: number;
  readonly total: number;
}

/** `counted`, or which limit refused the attempt (nothing counted then). */
export type AttemptCount = 'counted' | 'address-limit' | 'platform-limit';

/** The sign-up rate-limit counters (the `SIGNUP_GUARD_TABLE`). */
export interface SignupGuardStore {
  /**
   * Counts one sign-up attempt for a hashed address and one for the platform
   * in `window`, only while the address has fewer than `limits.perAddress`
   * and the platform fewer than `limits.total`; a refused attempt is counted
   * for neither.
   */
  tryCountAttempt(addressHash: string, window: HourWindow, limits: AttemptLimits): Promise<AttemptCount>;
  /** Confirmations admitted for `domain` in `window` (0 when none). */
  domainConfirmations(domain: string, window: HourWindow): Promise<number>;
}
