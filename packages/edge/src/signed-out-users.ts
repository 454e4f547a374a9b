/**
 * Users who signed out at this edge, and when: a token of theirs issued at or
 * before that second is refused, even though its signature and expiry are
 * fine. Cognito cannot recall an ID token it issued; the edge can stop
 * honouring it. Entries outlive every token they could match (the longest ID
 * token lifetime Cognito allows, one day) and are then dropped.
 */
import { EDGE_CLOCK_SKEW_SECONDS } from '@openclaw-tenancy/shared';

/** Cognito's maximum ID token validity. */
const MAX_ID_TOKEN_LIFETIME_SECONDS = 24 * 3600;

export class SignedOutUsers {
  private readonly signedOutAt = new Map<string, number>();

  constructor(private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000)) {}

  record(sub: string): void {
    this.prune();
    this.signedOutAt.set(sub, this.nowSeconds());
  }

  /** True for a token of a signed-out user issued no later than the sign-out (`iat` missing counts as before). */
  issuedBeforeSignOut(claims: Readonly<Record<string, unknown>>): boolean {
    const sub = claims['sub'];
    const at = typeof sub === 'string' ? this.signedOutAt.get(sub) : undefined;
    if (at === undefined) return false;
    const iat = claims['iat'];
    return typeof iat !== 'number' || iat <= at;
  }

  private prune(): void {
    const horizon = this.nowSeconds() - MAX_ID_TOKEN_LIFETIME_SECONDS - EDGE_CLOCK_SKEW_SECONDS;
    for (const [sub, at] of this.signedOutAt) if (at < horizon) this.signedOutAt.delete(sub);
  }
}
