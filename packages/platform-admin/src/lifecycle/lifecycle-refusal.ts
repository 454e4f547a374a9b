/**
 * A command that the tenant's or user's current state does not allow (unknown
 * tenant, already offboarded, unconfirmed user, …). Nothing was changed; the
 * CLI exits with {@link EXIT_CODES.refused}.
 */
export class LifecycleRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LifecycleRefusal';
  }
}

/** Exit codes of every `platform-admin` command except preflight, documented in the README and `--help`. */
export const EXIT_CODES = {
  /** Done, or (with `--dry-run`) planned. */
  ok: 0,
  /** A call to AWS or Git failed; what was done before it is reported. */
  failed: 1,
  /** Bad usage, option or config; nothing was changed. */
  usage: 2,
  /** Refused by the tenant's or user's state; nothing was changed. */
  refused: 3,
  /** An image rollout stopped: a wave failed its health gate or the operator stopped it. The committed waves stay. */
  stopped: 4,
} as const;
