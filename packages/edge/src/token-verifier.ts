/**
 * Verifies the session cookie's Cognito ID token with jose: signature against
 * the pool's JWKS (fetched and cached by `createRemoteJWKSet`), RS256 only,
 * issuer, audience, expiry. Claim rules (token_use, tenant) are the shared
 * contract's job; this module only reports how verification ended.
 */
import { EDGE_CLOCK_SKEW_SECONDS, EDGE_JWT_ALGORITHM, TokenFailure, TokenVerification } from '@openclaw-tenancy/shared';

/** Where tokens come from; `identityEndpoints(config)` in shared computes it for a platform config. */
export interface IdentityProviderEndpoints {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri: string;
}

export type TokenVerifier = (token: string) => Promise<TokenVerification>;

/** Thrown when the JWKS cannot be fetched: not the client's fault, so not a 401. */
export class IdentityProviderUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`identity provider keys unavailable: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'IdentityProviderUnavailableError';
  }
}

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
let jose: Promise<Jose> | undefined;
// jose is ESM-only; a dynamic import keeps this package loadable as CommonJS.
const loadJose = (): Promise<Jose> => (jose ??= import('jose'));

export async function createTokenVerifier(endpoints: IdentityProviderEndpoints): Promise<TokenVerifier> {
  const { createRemoteJWKSet, jwtVerify, errors } = await loadJose();
  const keys = createRemoteJWKSet(new URL(endpoints.jwksUri), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });

  function classify(error: unknown): TokenFailure {
    if (error instanceof errors.JWTExpired) return 'expired';
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === 'iss') return 'wrong-issuer';
      if (error.claim === 'aud') return 'wrong-audience';
      if (error.claim === 'nbf') return 'not-yet-valid';
      return 'malformed';
    }
    if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return 'unsupported-algorithm';
    if (
      error instanceof errors.JWSSignatureVerificationFailed ||
      error instanceof errors.JWKSNoMatchingKey ||
      error instanceof errors.JWKSMultipleMatchingKeys
    ) {
      return 'bad-signature';
    }
    if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'malformed';
    throw new IdentityProviderUnavailableError(error);
  }

  return async (token: string): Promise<TokenVerification> => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: [EDGE_JWT_ALGORITHM],
        issuer: endpoints.issuer,
        audience: endpoints.audience,
        clockTolerance: EDGE_CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp', 'sub'],
      });
      return { ok: true, claims: payload };
    } catch (error) {
      return { ok: false, failure: classify(error) };
    }
  };
}
