/**
 * Claims of an ID token the function has just received from Cognito itself,
 * in the answer to its own TLS call to the pool's endpoint. OpenID Connect
 * Core 1.0 §3.1.3.7 (6) lets TLS server validation stand in for the signature
 * check for a token received that way; issuer, audience, use and expiry are
 * still checked, so a token of another pool or client is never a session.
 * No JWKS fetch on a cold start; never use this for a token a browser sent.
 */
import { EDGE_CLOCK_SKEW_SECONDS, ID_TOKEN_USE, TokenVerification } from '@openclaw-tenancy/shared';

export interface IssuedTokenExpectations {
  readonly issuer: string;
  /** The app client id. */
  readonly audience: string;
  /** @default - the clock */
  readonly nowSeconds?: () => number;
}

function payloadOf(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function issuedTokenClaims(expected: IssuedTokenExpectations): (token: string) => Promise<TokenVerification> {
  const now = expected.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  return async (token) => {
    const claims = payloadOf(token);
    if (!claims || typeof claims['sub'] !== 'string' || typeof claims['exp'] !== 'number') return { ok: false, failure: 'malformed' };
    if (claims['iss'] !== expected.issuer) return { ok: false, failure: 'wrong-issuer' };
    const audience = claims['aud'];
    if (Array.isArray(audience) ? !audience.includes(expected.audience) : audience !== expected.audience)
      return { ok: false, failure: 'wrong-audience' };
    if (claims['token_use'] !== ID_TOKEN_USE) return { ok: false, failure: 'malformed' };
    if (claims['exp'] + EDGE_CLOCK_SKEW_SECONDS <= now()) return { ok: false, failure: 'expired' };
    return { ok: true, claims };
  };
}
