/**
 * The session endpoint (`/_session/*`) as one pure request → response step,
 * run by the local edge and by the `session` Lambda behind CloudFront alike.
 * It signs in with the password (then, when Cognito asks, with a new password
 * for a user an administrator invited, the code of the user's authenticator
 * app, or the set-up of one), refreshes and signs out by calling
 * Cognito itself, and hands the browser HttpOnly cookies only: the ID token
 * scoped to the tenant's route, the refresh token and a pending challenge's
 * session scoped to this endpoint. Page script learns a `SessionView`
 * (e-mail, tenant, expiry) or which sign-in step comes next, never a token
 * or a challenge session.
 *
 * Cross-site requests are refused three ways: the cookies are
 * SameSite=Strict, a JSON content type forces a CORS preflight this endpoint
 * never approves, and a browser's `Sec-Fetch-Site`/`Origin` must say
 * same-origin.
 *
 * Transport is a port: the local edge posts to Cognito's JSON API with fetch,
 * the Lambda sends the same actions and inputs through the AWS SDK.
 */
import {
  CHALLENGE_COOKIE,
  CHALLENGE_COOKIE_MAX_AGE_SECONDS,
  MFA_CODE_CHALLENGE,
  MFA_CODE_PATTERN,
  MFA_SETUP_CHALLENGE,
  NEW_PASSWORD_CHALLENGE,
  REFRESH_COOKIE,
  SESSION_PATHS,
  SESSION_PATH_PREFIX,
  SIGNED_IN_COOKIE,
  SIGNED_IN_WITHOUT_TENANT,
  SessionChallenge,
  SessionError,
  SessionView,
  sessionSetCookie,
} from './auth-ui-contract';
import { TokenVerification } from './edge-contract';
import { EDGE_SESSION_COOKIE, TENANT_ID_CLAIM, tenantNames } from './names';
import { isValidTenantId } from './tenant-id';

/** Refresh token lifetime of the app client: the refresh cookie lives as long. */
export const REFRESH_COOKIE_MAX_AGE_SECONDS = 30 * 24 * 3600;
/** Request bodies are a few hundred bytes; anything larger is refused. */
export const SESSION_MAX_BODY_BYTES = 4096;
const MAX_EMAIL_LENGTH = 254;
const MAX_PASSWORD_LENGTH = 256;

/**
 * SHA-256 (hex) of the request body, sent by the auth UI with every session
 * request: CloudFront's origin access control signs requests to a Lambda
 * function URL, and Lambda accepts a signed POST only with its payload hash.
 * Both edges require it to match the body, so the local platform proves what
 * AWS needs.
 */
export const SESSION_BODY_HASH_HEADER = 'x-amz-content-sha256';

// ---------------------------------------------------------------------------
// The Cognito actions the endpoint uses: inputs and outputs as in Cognito's API
// ---------------------------------------------------------------------------

export interface CognitoAuthenticationResult {
  readonly IdToken?: string;
  readonly RefreshToken?: string;
}

export interface SessionCognitoActions {
  readonly InitiateAuth: {
    readonly input: {
      readonly ClientId: string;
      readonly AuthFlow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH';
      readonly AuthParameters: Readonly<Record<string, string>>;
    };
    readonly output: {
      readonly AuthenticationResult?: CognitoAuthenticationResult;
      readonly ChallengeName?: string;
      readonly Session?: string;
    };
  };
  /**
   * The answer to a sign-in challenge: the user's own password for `NEW_PASSWORD_REQUIRED`, the
   * authenticator code for `SOFTWARE_TOKEN_MFA`, the completed set-up for `MFA_SETUP`.
   */
  readonly RespondToAuthChallenge: {
    readonly input: {
      readonly ClientId: string;
      readonly ChallengeName: typeof NEW_PASSWORD_CHALLENGE | typeof MFA_CODE_CHALLENGE | typeof MFA_SETUP_CHALLENGE;
      readonly Session: string;
      readonly ChallengeResponses: Readonly<Record<string, string>>;
    };
    readonly output: {
      readonly AuthenticationResult?: CognitoAuthenticationResult;
      readonly ChallengeName?: string;
      readonly Session?: string;
    };
  };
  /** `MFA_SETUP`, first step: a TOTP key for the user of the sign-in session. */
  readonly AssociateSoftwareToken: {
    readonly input: { readonly Session: string };
    readonly output: { readonly SecretCode?: string; readonly Session?: string };
  };
  /** `MFA_SETUP`, second step: the app's first code proves the key was added. */
  readonly VerifySoftwareToken: {
    readonly input: { readonly Session: string; readonly UserCode: string; readonly FriendlyDeviceName?: string };
    readonly output: { readonly Status?: string; readonly Session?: string };
  };
  /** The refresh of an app client that rotates refresh tokens (InitiateAuth REFRESH_TOKEN_AUTH is refused there). */
  readonly GetTokensFromRefreshToken: {
    readonly input: { readonly ClientId: string; readonly RefreshToken: string };
    readonly output: { readonly AuthenticationResult?: CognitoAuthenticationResult };
  };
  readonly RevokeToken: {
    readonly input: { readonly ClientId: string; readonly Token: string };
    readonly output: Record<string, unknown>;
  };
}
export type SessionCognitoAction = keyof SessionCognitoActions;

/** Sends one Cognito action; throws `CognitoCallError` for a refusal or an unreachable service. */
export type SessionCognitoCall = <A extends SessionCognitoAction>(
  action: A,
  input: SessionCognitoActions[A]['input'],
) => Promise<SessionCognitoActions[A]['output']>;

/** A Cognito refusal (`type` is Cognito's exception name) or `NetworkError` when it could not be reached. */
export class CognitoCallError extends Error {
  constructor(
    readonly type: string,
    /** Cognito's HTTP status; undefined when no answer arrived. */
    readonly httpStatus: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'CognitoCallError';
  }
}

// ---------------------------------------------------------------------------
// Request and response
// ---------------------------------------------------------------------------

export interface SessionRequest {
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  /** Lower-case names; `cookie` holds every cookie as a browser sends them (`a=1; b=2`). */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body as received (UTF-8); an adapter may stop reading after `SESSION_MAX_BODY_BYTES` + 1 bytes. */
  readonly body: string;
}

export interface SessionResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** `Set-Cookie` values, one per cookie. */
  readonly cookies: readonly string[];
  readonly body: string;
}

export interface SessionEndpointOptions {
  readonly cognito: SessionCognitoCall;
  readonly clientId: string;
  /**
   * The app client rotates refresh tokens: refresh with GetTokensFromRefreshToken
   * and keep the new refresh token it returns.
   */
  readonly refreshTokenRotation: boolean;
  /** Mark cookies `Secure` (the origin is https). */
  readonly secureCookies: boolean;
  /**
   * The host (`name[:port]`) a browser's `Origin` must name: the public host.
   * Behind CloudFront the request's own `Host` is the function URL's, so the
   * adapter says which host the browser used.
   */
  readonly publicHost: string;
  /** Signature (or origin), issuer, audience and expiry; a token it refuses is no session. */
  readonly verify: (token: string) => Promise<TokenVerification>;
  /**
   * Called with the `sub` of a user who signed out, before the refresh token is revoked.
   * @default - nothing recorded
   */
  readonly onSignedOut?: (sub: string) => void;
}

/** True when the session endpoint answers `path`. */
export function isSessionPath(path: string): boolean {
  return path === SESSION_PATH_PREFIX || path.startsWith(`${SESSION_PATH_PREFIX}/`);
}

/** The value of cookie `name` in a `Cookie` header, if present. */
export function cookieValueOf(cookieHeader: string | undefined, name: string): string | undefined {
  for (const pair of String(cookieHeader ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

class SessionRefusal extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function refusalOf(error: CognitoCallError): SessionRefusal {
  if (error.httpStatus === undefined)
    return new SessionRefusal(503, error.type, error.message || 'the sign-in service could not be reached');
  const status = error.httpStatus >= 500 ? 502 : error.type === 'NotAuthorizedException' ? 401 : 400;
  return new SessionRefusal(status, error.type, error.message);
}

/** Hex SHA-256 of the UTF-8 body (Web Crypto: the same in Node and in a browser). */
export async function sessionBodyHash(body: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(body));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function parseJsonBody(req: SessionRequest): Promise<Record<string, unknown>> {
  const body = req.body;
  if (new TextEncoder().encode(body).length > SESSION_MAX_BODY_BYTES)
    throw new SessionRefusal(413, 'InvalidParameterException', `the request body is larger than ${SESSION_MAX_BODY_BYTES} bytes`);
  if (req.headers[SESSION_BODY_HASH_HEADER] !== (await sessionBodyHash(body))) {
    throw new SessionRefusal(
      400,
      'InvalidParameterException',
      `the ${SESSION_BODY_HASH_HEADER} header must be the hex SHA-256 of the body`,
    );
  }
  if (body === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new SessionRefusal(400, 'InvalidParameterException', 'the request body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new SessionRefusal(400, 'InvalidParameterException', 'the request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** A browser request from this origin: POST, JSON, and same-origin by the browser's own account. */
function refuseCrossSite(req: SessionRequest, publicHost: string): void {
  if (req.method !== 'POST') throw new SessionRefusal(405, 'MethodNotAllowed', `${req.method} is not allowed here; use POST`);
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
    throw new SessionRefusal(415, 'InvalidParameterException', 'the content type must be application/json');
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin')
    throw new SessionRefusal(403, 'CrossSiteRequest', `cross-site request refused (Sec-Fetch-Site: ${site})`);
  const origin = req.headers['origin'];
  if (origin !== undefined && originHost(origin) !== publicHost)
    throw new SessionRefusal(403, 'CrossSiteRequest', `cross-origin request refused (Origin: ${origin})`);
}

/** The host of an `Origin` header; undefined for `null` or anything that is not a URL (never equal to a host). */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

function stringField(body: Record<string, unknown>, name: string, maxLength: number): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw new SessionRefusal(400, 'InvalidParameterException', `${name} is required`);
  if (value.length > maxLength)
    throw new SessionRefusal(400, 'InvalidParameterException', `${name} is longer than ${maxLength} characters`);
  return value;
}

/** A tenant id the page names (to expire its old cookie); ignored unless valid. */
function optionalTenantId(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && isValidTenantId(value) ? value : undefined;
}

function expiredCookie(name: string, path: string, secure: boolean): string {
  return sessionSetCookie(name, '', { path, maxAgeSeconds: 0, secure });
}

interface Tokens {
  readonly idToken: string;
  /** The refresh token to keep: the one presented, or its successor when the client rotates them. */
  readonly refreshToken: string;
}

/** Answers a request under `SESSION_PATH_PREFIX` (see `isSessionPath`). */
export async function answerSessionRequest(req: SessionRequest, options: SessionEndpointOptions): Promise<SessionResponse> {
  const cookies: string[] = [];
  const secure = options.secureCookies;

  async function call<A extends SessionCognitoAction>(
    action: A,
    input: SessionCognitoActions[A]['input'],
  ): Promise<SessionCognitoActions[A]['output']> {
    try {
      return await options.cognito(action, input);
    } catch (e) {
      if (e instanceof CognitoCallError) throw refusalOf(e);
      throw e;
    }
  }

  /** New tokens for a refresh token, by the flow the app client allows. */
  async function refreshTokens(refreshToken: string): Promise<Tokens> {
    const out = options.refreshTokenRotation
      ? await call('GetTokensFromRefreshToken', { ClientId: options.clientId, RefreshToken: refreshToken })
      : await call('InitiateAuth', {
          ClientId: options.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        });
    const result = out.AuthenticationResult;
    if (!result?.IdToken) throw new SessionRefusal(401, 'NotAuthorizedException', 'no tokens in the refresh answer');
    if (options.refreshTokenRotation && !result.RefreshToken)
      throw new SessionRefusal(502, 'UnknownError', 'a rotating app client returned no new refresh token');
    return { idToken: result.IdToken, refreshToken: result.RefreshToken ?? refreshToken };
  }

  /**
   * Verifies the fresh ID token (a genuine token of this pool, or nothing is
   * set) and sets its cookie. A token issued in the very second its user
   * signed out is refused by the local edge (`iat` has whole seconds): once
   * that second has passed, a refresh yields one it accepts.
   */
  async function workspaceSession(tokens: Tokens): Promise<{ view: SessionView; refreshToken: string }> {
    let verified = await options.verify(tokens.idToken);
    if (!verified.ok && verified.failure === 'signed-out') {
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 50));
      tokens = await refreshTokens(tokens.refreshToken);
      verified = await options.verify(tokens.idToken);
    }
    if (!verified.ok)
      throw new SessionRefusal(502, 'UnknownError', `the sign-in service returned an ID token that does not verify (${verified.failure})`);
    const { claims } = verified;
    const tenant = claims[TENANT_ID_CLAIM];
    const tenantId = typeof tenant === 'string' && isValidTenantId(tenant) ? tenant : undefined;
    const expiresAt = Number(claims['exp']);
    if (tenantId) {
      const maxAgeSeconds = Math.max(0, Math.floor(expiresAt - Date.now() / 1000));
      cookies.push(sessionSetCookie(EDGE_SESSION_COOKIE, tokens.idToken, { path: tenantNames(tenantId).routePath, maxAgeSeconds, secure }));
    }
    cookies.push(
      sessionSetCookie(SIGNED_IN_COOKIE, tenantId ?? SIGNED_IN_WITHOUT_TENANT, {
        path: '/',
        maxAgeSeconds: REFRESH_COOKIE_MAX_AGE_SECONDS,
        secure,
      }),
    );
    cookies.push(
      sessionSetCookie(REFRESH_COOKIE, tokens.refreshToken, {
        path: SESSION_PATH_PREFIX,
        maxAgeSeconds: REFRESH_COOKIE_MAX_AGE_SECONDS,
        secure,
      }),
    );
    return {
      view: { email: String(claims['email'] ?? ''), ...(tenantId ? { tenantId } : {}), expiresAt },
      refreshToken: tokens.refreshToken,
    };
  }

  function forgetWorkspace(tenantId: string | undefined, except?: string): void {
    if (tenantId && tenantId !== except) cookies.push(expiredCookie(EDGE_SESSION_COOKIE, tenantNames(tenantId).routePath, secure));
  }

  async function revoke(token: string): Promise<boolean> {
    return call('RevokeToken', { ClientId: options.clientId, Token: token }).then(
      () => true,
      () => false,
    );
  }

  function keepChallengeSession(session: string): void {
    // The session goes where page script cannot read it; the page learns only which step comes next.
    cookies.push(
      sessionSetCookie(CHALLENGE_COOKIE, session, { path: SESSION_PATH_PREFIX, maxAgeSeconds: CHALLENGE_COOKIE_MAX_AGE_SECONDS, secure }),
    );
  }

  function challengeSession(): string {
    const session = cookieValueOf(req.headers['cookie'], CHALLENGE_COOKIE);
    if (!session) throw new SessionRefusal(401, 'NoChallenge', 'no sign-in is waiting for this step; sign in again');
    return session;
  }

  /** Where a sign-in step leads: the workspace session, or the next challenge this endpoint carries through. */
  async function continueSignIn(
    out: { readonly AuthenticationResult?: CognitoAuthenticationResult; readonly ChallengeName?: string; readonly Session?: string },
    email: string,
  ): Promise<SessionView | SessionChallenge> {
    const result = out.AuthenticationResult;
    if (result?.IdToken && result.RefreshToken) {
      if (cookieValueOf(req.headers['cookie'], CHALLENGE_COOKIE))
        cookies.push(expiredCookie(CHALLENGE_COOKIE, SESSION_PATH_PREFIX, secure));
      return (await workspaceSession({ idToken: result.IdToken, refreshToken: result.RefreshToken })).view;
    }
    if ((out.ChallengeName === NEW_PASSWORD_CHALLENGE || out.ChallengeName === MFA_CODE_CHALLENGE) && out.Session) {
      keepChallengeSession(out.Session);
      return { challenge: out.ChallengeName };
    }
    if (out.ChallengeName === MFA_SETUP_CHALLENGE && out.Session) {
      const associated = await call('AssociateSoftwareToken', { Session: out.Session });
      if (!associated.SecretCode || !associated.Session)
        throw new SessionRefusal(502, 'UnknownError', 'the sign-in service returned no authenticator key');
      keepChallengeSession(associated.Session);
      const label = encodeURIComponent(`${options.publicHost}:${email}`);
      const issuer = encodeURIComponent(options.publicHost);
      return {
        challenge: MFA_SETUP_CHALLENGE,
        secretCode: associated.SecretCode,
        otpauthUri: `otpauth://totp/${label}?secret=${associated.SecretCode}&issuer=${issuer}`,
      };
    }
    throw new SessionRefusal(401, out.ChallengeName ?? 'UnsupportedChallenge', 'an additional sign-in step is required');
  }

  /** Answers one sign-in challenge for `email` and goes where Cognito's answer leads. */
  async function answerChallenge(
    challenge: SessionCognitoActions['RespondToAuthChallenge']['input']['ChallengeName'],
    session: string,
    email: string,
    responses: Readonly<Record<string, string>>,
  ): Promise<SessionView | SessionChallenge> {
    const out = await call('RespondToAuthChallenge', {
      ClientId: options.clientId,
      ChallengeName: challenge,
      Session: session,
      ChallengeResponses: { USERNAME: email, ...responses },
    });
    return continueSignIn(out, email);
  }

  function mfaCode(body: Record<string, unknown>): string {
    const code = stringField(body, 'code', 6);
    if (!MFA_CODE_PATTERN.test(code))
      throw new SessionRefusal(400, 'InvalidParameterException', 'code must be the six digits the authenticator app shows');
    return code;
  }

  let status = 200;
  let answer: SessionView | SessionChallenge | SessionError | { readonly signedOut: true; readonly everywhere: boolean };
  try {
    refuseCrossSite(req, options.publicHost);
    const body = await parseJsonBody(req);
    const presentedRefreshToken = cookieValueOf(req.headers['cookie'], REFRESH_COOKIE);
    switch (req.path) {
      case SESSION_PATHS.signIn: {
        const email = stringField(body, 'email', MAX_EMAIL_LENGTH);
        const password = stringField(body, 'password', MAX_PASSWORD_LENGTH);
        const out = await call('InitiateAuth', {
          ClientId: options.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password },
        });
        answer = await continueSignIn(out, email);
        break;
      }
      case SESSION_PATHS.newPassword: {
        const email = stringField(body, 'email', MAX_EMAIL_LENGTH);
        const newPassword = stringField(body, 'newPassword', MAX_PASSWORD_LENGTH);
        answer = await answerChallenge(NEW_PASSWORD_CHALLENGE, challengeSession(), email, { NEW_PASSWORD: newPassword });
        break;
      }
      case SESSION_PATHS.mfaCode: {
        const email = stringField(body, 'email', MAX_EMAIL_LENGTH);
        answer = await answerChallenge(MFA_CODE_CHALLENGE, challengeSession(), email, { SOFTWARE_TOKEN_MFA_CODE: mfaCode(body) });
        break;
      }
      case SESSION_PATHS.mfaSetup: {
        const email = stringField(body, 'email', MAX_EMAIL_LENGTH);
        const code = mfaCode(body);
        const verified = await call('VerifySoftwareToken', {
          Session: challengeSession(),
          UserCode: code,
          FriendlyDeviceName: 'Authenticator',
        });
        if (verified.Status !== 'SUCCESS' || !verified.Session)
          throw new SessionRefusal(400, 'CodeMismatchException', 'the code did not match the new authenticator key; try the next one');
        answer = await answerChallenge(MFA_SETUP_CHALLENGE, verified.Session, email, {});
        break;
      }
      case SESSION_PATHS.refresh: {
        // Not signed in is the usual first visit, not a failure: no content, and nothing in the browser's console.
        if (!presentedRefreshToken) return { status: 204, headers: { 'cache-control': 'no-store' }, cookies: [], body: '' };
        try {
          const { view } = await workspaceSession(await refreshTokens(presentedRefreshToken));
          // A claim that moved to another id: the old route's cookie goes.
          forgetWorkspace(optionalTenantId(body, 'previousTenantId'), view.tenantId);
          answer = view;
        } catch (e) {
          // A revoked or expired refresh token: the cookie is useless, so it goes.
          if (e instanceof SessionRefusal && e.type === 'NotAuthorizedException') {
            cookies.push(expiredCookie(REFRESH_COOKIE, SESSION_PATH_PREFIX, secure), expiredCookie(SIGNED_IN_COOKIE, '/', secure));
          }
          throw e;
        }
        break;
      }
      case SESSION_PATHS.signOut: {
        // False only when a refresh token could not be revoked; without one there is nothing left to end.
        let everywhere = true;
        const tenantId = optionalTenantId(body, 'tenantId');
        if (presentedRefreshToken) {
          // Who is signing out: the local edge refuses that user's tokens issued until now, including this one.
          const current = await refreshTokens(presentedRefreshToken).catch(() => undefined);
          const verified = current ? await options.verify(current.idToken) : undefined;
          if (verified?.ok) {
            const claimed = verified.claims[TENANT_ID_CLAIM];
            if (typeof claimed === 'string' && isValidTenantId(claimed) && claimed !== tenantId) forgetWorkspace(claimed);
            options.onSignedOut?.(String(verified.claims['sub']));
          }
          // A rotating client just issued a successor to the presented token: both are revoked.
          const tokens = [...new Set([presentedRefreshToken, ...(current ? [current.refreshToken] : [])])];
          everywhere = (await Promise.all(tokens.map(revoke))).every(Boolean);
        }
        forgetWorkspace(tenantId);
        cookies.push(expiredCookie(REFRESH_COOKIE, SESSION_PATH_PREFIX, secure), expiredCookie(SIGNED_IN_COOKIE, '/', secure));
        answer = { signedOut: true, everywhere };
        break;
      }
      default:
        throw new SessionRefusal(404, 'NotFound', `no session action at ${req.path}`);
    }
  } catch (e) {
    if (!(e instanceof SessionRefusal)) throw e;
    status = e.status;
    answer = { error: e.type, message: e.message };
  }
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, cookies, body: JSON.stringify(answer) };
}
