/**
 * The auth UI's side of the edge: the runtime config the edge (or CloudFront)
 * serves at /config.json, the session endpoint that holds the tokens, and the
 * auth UI's Content-Security-Policy — one definition for both edges.
 */
// ---------------------------------------------------------------------------
// What the edge (or CloudFront) serves the auth UI at /config.json
// ---------------------------------------------------------------------------

/**
 * Runtime configuration of the auth UI, generated at deploy time (CDK in the
 * cloud, the local platform on one machine) — never a placeholder in the build.
 */
export interface AuthUiRuntimeConfig {
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** Origin the UI is served from, e.g. `https://ai.example.com`. */
  readonly origin: string;
  /** @default - `https://cognito-idp.<region>.amazonaws.com/` (cognito-local sets its own URL) */
  readonly cognitoEndpoint?: string;
}

/** Path at which the auth UI fetches its runtime configuration. */
export const AUTH_UI_CONFIG_PATH = '/config.json';

/** Validates a parsed `config.json`; returns the problems (empty when usable). */
export function authUiRuntimeConfigProblems(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return ['config.json must be a JSON object'];
  const value = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of ['region', 'userPoolId', 'clientId', 'origin'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '') problems.push(`${key} is missing`);
  }
  for (const key of ['origin', 'cognitoEndpoint'] as const) {
    const v = value[key];
    if (typeof v === 'string' && !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/?$/.test(v))
      problems.push(`${key} must be an http(s) origin, got ${JSON.stringify(v)}`);
  }
  const unknown = Object.keys(value).filter((k) => !['region', 'userPoolId', 'clientId', 'origin', 'cognitoEndpoint'].includes(k));
  if (unknown.length > 0) problems.push(`unknown keys: ${unknown.join(', ')}`);
  return problems;
}

/** Origin of Cognito's JSON API in a region (what the auth UI's CSP allows it to connect to). */
export function cognitoApiOrigin(region: string): string {
  return `https://cognito-idp.${region}.amazonaws.com`;
}

/** The Cognito JSON API endpoint the UI posts to. */
export function cognitoEndpointOf(config: AuthUiRuntimeConfig): string {
  return config.cognitoEndpoint ?? `${cognitoApiOrigin(config.region)}/`;
}

// ---------------------------------------------------------------------------
// The session endpoint: the server-side step that holds the tokens
// ---------------------------------------------------------------------------

/**
 * The refresh token's cookie: HttpOnly, scoped to the session endpoint's path
 * so no other request (no workspace, no auth UI file) ever carries it.
 */
export const REFRESH_COOKIE = 'openclaw_refresh';

/**
 * Not a credential: which workspace the browser's signed-in user owns (or
 * `-` before one is assigned), HttpOnly on `Path=/`, so the edge can answer a
 * signed-in user at someone else's workspace honestly ("not yours", with a
 * link to theirs) instead of "sign in required", whose cookie the path scope
 * keeps away from that route.
 */
export const SIGNED_IN_COOKIE = 'openclaw_signed_in';
/** The value of `SIGNED_IN_COOKIE` while the user has no workspace yet. */
export const SIGNED_IN_WITHOUT_TENANT = '-';

/** Where the session endpoint answers (POST, JSON): never under `/t/`, never a file of the auth UI. */
export const SESSION_PATH_PREFIX = '/_session';
export const SESSION_PATHS = {
  signIn: `${SESSION_PATH_PREFIX}/sign-in`,
  /** Completes a sign-in that Cognito answered with `NEW_PASSWORD_REQUIRED` (a user an administrator invited). */
  newPassword: `${SESSION_PATH_PREFIX}/new-password`,
  /** Completes a sign-in that Cognito answered with `SOFTWARE_TOKEN_MFA`: the code of the user's authenticator app. */
  mfaCode: `${SESSION_PATH_PREFIX}/mfa-code`,
  /** Completes a sign-in that Cognito answered with `MFA_SETUP`: the first code of the authenticator app just set up. */
  mfaSetup: `${SESSION_PATH_PREFIX}/mfa-setup`,
  refresh: `${SESSION_PATH_PREFIX}/refresh`,
  signOut: `${SESSION_PATH_PREFIX}/sign-out`,
} as const;

/**
 * Cognito's `Session` of a sign-in waiting for its challenge answer (a new
 * password): HttpOnly, scoped to the session endpoint, living as long as
 * Cognito accepts it ({@link CHALLENGE_COOKIE_MAX_AGE_SECONDS}).
 */
export const CHALLENGE_COOKIE = 'openclaw_challenge';
/** Cognito's default authentication session validity (3 minutes). */
export const CHALLENGE_COOKIE_MAX_AGE_SECONDS = 180;

/** The sign-in challenges the endpoint carries through (others are refused). */
export const NEW_PASSWORD_CHALLENGE = 'NEW_PASSWORD_REQUIRED';
/** A user with an authenticator app set up: the sign-in needs its current code. */
export const MFA_CODE_CHALLENGE = 'SOFTWARE_TOKEN_MFA';
/** The pool requires MFA and the user has none yet: an authenticator app is set up before the sign-in completes. */
export const MFA_SETUP_CHALLENGE = 'MFA_SETUP';

/** An authenticator code: six digits (TOTP, 30 s). */
export const MFA_CODE_PATTERN = /^\d{6}$/;

/**
 * What a sign-in step answers when another step comes before the workspace;
 * nothing is signed in yet. For `MFA_SETUP` the page shows the new
 * authenticator key, once, so the person can add it to their app: that is
 * what setting one up means, and the key is never stored by the page.
 */
export type SessionChallenge =
  | { readonly challenge: typeof NEW_PASSWORD_CHALLENGE }
  | { readonly challenge: typeof MFA_CODE_CHALLENGE }
  | {
      readonly challenge: typeof MFA_SETUP_CHALLENGE;
      /** The TOTP key (base32) Cognito generated for this user. */
      readonly secretCode: string;
      /** `otpauth://totp/…`: the same key as authenticator apps read it from a link or QR code. */
      readonly otpauthUri: string;
    };

/** `/t/<id>` + this: signs the workspace's session out from inside the workspace (the edge answers it). */
export const WORKSPACE_SIGN_OUT_SUFFIX = '/_platform/sign-out';
/** Query parameter the edge sends a browser back to the auth UI with after a workspace sign-out. */
export const SIGNED_OUT_PARAM = 'signed-out';

/** What the session endpoint tells page script: never a token. */
export interface SessionView {
  readonly email: string;
  /** The tenant claim of the current ID token; absent until PostConfirmation recorded it. */
  readonly tenantId?: string;
  /** When the workspace cookie's ID token expires (epoch seconds). */
  readonly expiresAt: number;
}

/** A refusal of the session endpoint: Cognito's error type (or the endpoint's own) and a message. */
export interface SessionError {
  readonly error: string;
  readonly message: string;
}

export interface SessionCookieOptions {
  /** `Path=`: the tenant's route for the ID token, `SESSION_PATH_PREFIX` for the refresh token. */
  readonly path: string;
  /** 0 expires the cookie. */
  readonly maxAgeSeconds: number;
  /** Set whenever the origin is https. */
  readonly secure: boolean;
}

/**
 * A `Set-Cookie` value for a session cookie: HttpOnly (no script reads it),
 * SameSite=Strict (no cross-site request carries it, WebSocket included),
 * path-scoped. Not `__Host-`: that prefix demands `Path=/`, and the path
 * scope is what keeps each token off every other route.
 */
export function sessionSetCookie(name: string, value: string, options: SessionCookieOptions): string {
  if (!/^[A-Za-z0-9._~-]*$/.test(value))
    throw new Error(`cookie ${name}: the value must be a token (base64url and dots), got ${value.length} other characters`);
  if (!options.path.startsWith('/') || /[;\s]/.test(options.path))
    throw new Error(`cookie ${name}: path must be an absolute path without ';' or spaces, got ${JSON.stringify(options.path)}`);
  if (!Number.isInteger(options.maxAgeSeconds) || options.maxAgeSeconds < 0)
    throw new Error(`cookie ${name}: Max-Age must be a whole number of seconds >= 0, got ${options.maxAgeSeconds}`);
  return `${name}=${value}; Path=${options.path}; Max-Age=${options.maxAgeSeconds}; HttpOnly; SameSite=Strict${options.secure ? '; Secure' : ''}`;
}

// ---------------------------------------------------------------------------
// The auth UI's Content-Security-Policy, one definition for both edges
// ---------------------------------------------------------------------------

/**
 * The auth UI's CSP. Only the site's own scripts and styles; `connect-src`
 * the origin (config, session endpoint, readiness) and Cognito's endpoint
 * (sign-up, confirmation, password reset); no framing, no plugins, no base
 * or form retargeting. CloudFront's response headers policy and the local
 * edge both send exactly this.
 */
export function authUiContentSecurityPolicy(cognitoOrigin: string): string {
  if (!/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(cognitoOrigin))
    throw new Error(`the Cognito origin must be scheme://host[:port] without a path, got ${JSON.stringify(cognitoOrigin)}`);
  return [
    "default-src 'self'",
    `connect-src 'self' ${cognitoOrigin}`,
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The other security headers every auth UI response carries, at both edges. */
export const AUTH_UI_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};
