/**
 * The session endpoint (`/_session/*`): the server-side step between the auth
 * UI and Cognito that keeps every token out of page script. It signs in with
 * the password, refreshes, and signs out by calling Cognito itself, and hands
 * the browser HttpOnly cookies only: the ID token scoped to the tenant's
 * route, the refresh token scoped to this endpoint. Page script learns a
 * `SessionView` (e-mail, tenant, expiry), never a token.
 *
 * Cross-site requests are refused three ways: the cookies are
 * SameSite=Strict, a JSON content type forces a CORS preflight this endpoint
 * never approves, and a browser's `Sec-Fetch-Site`/`Origin` must say
 * same-origin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  EDGE_SESSION_COOKIE,
  REFRESH_COOKIE,
  SESSION_PATHS,
  SESSION_PATH_PREFIX,
  SIGNED_IN_COOKIE,
  SIGNED_IN_WITHOUT_TENANT,
  SessionError,
  SessionView,
  TENANT_ID_CLAIM,
  isValidTenantId,
  sessionSetCookie,
  tenantNames,
} from '@openclaw-tenancy/shared';
import type { TokenVerifier } from './token-verifier';

/** Refresh token lifetime of the app client: the refresh cookie lives as long. */
export const REFRESH_COOKIE_MAX_AGE_SECONDS = 30 * 24 * 3600;
/** Request bodies are a few hundred bytes; anything larger is refused unread. */
const MAX_BODY_BYTES = 4096;
const MAX_EMAIL_LENGTH = 254;
const MAX_PASSWORD_LENGTH = 256;

export interface SessionEndpointOptions {
  /** Cognito's JSON API, e.g. `https://cognito-idp.<region>.amazonaws.com/` or cognito-local's URL. */
  readonly cognitoEndpoint: string;
  readonly clientId: string;
  /** Mark cookies `Secure` (the origin is https). */
  readonly secureCookies: boolean;
  /** Signature, issuer, audience and expiry, plus the edge's sign-out list (a token it would refuse is no session). */
  readonly verify: TokenVerifier;
  /** Called with the `sub` of a user who signed out, before the refresh token is revoked. */
  readonly onSignedOut: (sub: string) => void;
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

interface CognitoTokens {
  readonly IdToken: string;
  readonly RefreshToken?: string;
}

async function callCognito<T>(options: SessionEndpointOptions, action: 'InitiateAuth' | 'RevokeToken', body: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(options.cognitoEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${action}` },
      body: JSON.stringify(body),
    });
  } catch {
    throw new SessionRefusal(503, 'NetworkError', 'the sign-in service could not be reached');
  }
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    throw new SessionRefusal(502, 'UnknownError', `the sign-in service answered HTTP ${response.status} without JSON`);
  }
  if (!response.ok) {
    const type = String(json['__type'] ?? json['code'] ?? 'UnknownError').split('#').pop() ?? 'UnknownError';
    const status = response.status >= 500 ? 502 : type === 'NotAuthorizedException' ? 401 : 400;
    throw new SessionRefusal(status, type, String(json['message'] ?? json['Message'] ?? ''));
  }
  return json as T;
}

export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const pair of String(req.headers.cookie ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new SessionRefusal(413, 'InvalidParameterException', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SessionRefusal(400, 'InvalidParameterException', 'the request body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SessionRefusal(400, 'InvalidParameterException', 'the request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** A browser request from this origin: JSON, and same-origin by the browser's own account. */
function refuseCrossSite(req: IncomingMessage): void {
  if (req.method !== 'POST') throw new SessionRefusal(405, 'MethodNotAllowed', `${req.method} is not allowed here; use POST`);
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) throw new SessionRefusal(415, 'InvalidParameterException', 'the content type must be application/json');
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') throw new SessionRefusal(403, 'CrossSiteRequest', `cross-site request refused (Sec-Fetch-Site: ${String(site)})`);
  const origin = req.headers.origin;
  if (origin !== undefined && originHost(origin) !== req.headers.host) throw new SessionRefusal(403, 'CrossSiteRequest', `cross-origin request refused (Origin: ${origin})`);
}

/** The host of an `Origin` header; undefined for `null` or anything that is not a URL (never equal to a Host). */
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
  if (value.length > maxLength) throw new SessionRefusal(400, 'InvalidParameterException', `${name} is longer than ${maxLength} characters`);
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

/**
 * Answers a request under `SESSION_PATH_PREFIX`; returns false for any other
 * path so the caller can serve it.
 */
export async function handleSessionRequest(req: IncomingMessage, res: ServerResponse, pathname: string, options: SessionEndpointOptions): Promise<boolean> {
  if (pathname !== SESSION_PATH_PREFIX && !pathname.startsWith(`${SESSION_PATH_PREFIX}/`)) return false;
  const cookies: string[] = [];
  const secure = options.secureCookies;

  /**
   * Verifies the fresh ID token (a genuine token of this pool, or nothing is
   * set) and sets its cookie. A token issued in the very second its user
   * signed out is refused by the edge (`iat` has whole seconds): once that
   * second has passed, a refresh yields one it accepts.
   */
  async function workspaceSession(tokens: CognitoTokens, refreshToken: string): Promise<SessionView> {
    let verified = await options.verify(tokens.IdToken);
    if (!verified.ok && verified.failure === 'signed-out') {
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 50));
      const again = await callCognito<{ AuthenticationResult?: CognitoTokens }>(options, 'InitiateAuth', {
        ClientId: options.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      });
      if (!again.AuthenticationResult) throw new SessionRefusal(502, 'UnknownError', 'no tokens in the refresh answer');
      tokens = again.AuthenticationResult;
      verified = await options.verify(tokens.IdToken);
    }
    if (!verified.ok) throw new SessionRefusal(502, 'UnknownError', `the sign-in service returned an ID token that does not verify (${verified.failure})`);
    const { claims } = verified;
    const tenant = claims[TENANT_ID_CLAIM];
    const tenantId = typeof tenant === 'string' && isValidTenantId(tenant) ? tenant : undefined;
    const expiresAt = Number(claims['exp']);
    if (tenantId) {
      const maxAgeSeconds = Math.max(0, Math.floor(expiresAt - Date.now() / 1000));
      cookies.push(sessionSetCookie(EDGE_SESSION_COOKIE, tokens.IdToken, { path: tenantNames(tenantId).routePath, maxAgeSeconds, secure }));
    }
    cookies.push(sessionSetCookie(SIGNED_IN_COOKIE, tenantId ?? SIGNED_IN_WITHOUT_TENANT, { path: '/', maxAgeSeconds: REFRESH_COOKIE_MAX_AGE_SECONDS, secure }));
    return { email: String(claims['email'] ?? ''), ...(tenantId ? { tenantId } : {}), expiresAt };
  }

  function forgetWorkspace(tenantId: string | undefined, except?: string): void {
    if (tenantId && tenantId !== except) cookies.push(expiredCookie(EDGE_SESSION_COOKIE, tenantNames(tenantId).routePath, secure));
  }

  let status = 200;
  let answer: SessionView | SessionError | { readonly signedOut: true; readonly everywhere: boolean };
  try {
    refuseCrossSite(req);
    const body = await readJsonBody(req);
    switch (pathname) {
      case SESSION_PATHS.signIn: {
        const email = stringField(body, 'email', MAX_EMAIL_LENGTH);
        const password = stringField(body, 'password', MAX_PASSWORD_LENGTH);
        const out = await callCognito<{ AuthenticationResult?: CognitoTokens; ChallengeName?: string }>(options, 'InitiateAuth', {
          ClientId: options.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password },
        });
        const result = out.AuthenticationResult;
        if (!result?.RefreshToken) throw new SessionRefusal(401, out.ChallengeName ?? 'UnsupportedChallenge', 'an additional sign-in step is required');
        answer = await workspaceSession(result, result.RefreshToken);
        cookies.push(sessionSetCookie(REFRESH_COOKIE, result.RefreshToken, { path: SESSION_PATH_PREFIX, maxAgeSeconds: REFRESH_COOKIE_MAX_AGE_SECONDS, secure }));
        break;
      }
      case SESSION_PATHS.refresh: {
        const refreshToken = cookieValue(req, REFRESH_COOKIE);
        if (!refreshToken) throw new SessionRefusal(401, 'NoSession', 'not signed in');
        try {
          const out = await callCognito<{ AuthenticationResult?: CognitoTokens }>(options, 'InitiateAuth', {
            ClientId: options.clientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: refreshToken },
          });
          if (!out.AuthenticationResult) throw new SessionRefusal(401, 'NotAuthorizedException', 'no tokens in the refresh answer');
          const view = await workspaceSession(out.AuthenticationResult, out.AuthenticationResult.RefreshToken ?? refreshToken);
          // A claim that moved to another id: the old route's cookie goes.
          forgetWorkspace(optionalTenantId(body, 'previousTenantId'), view.tenantId);
          if (out.AuthenticationResult.RefreshToken) {
            cookies.push(sessionSetCookie(REFRESH_COOKIE, out.AuthenticationResult.RefreshToken, { path: SESSION_PATH_PREFIX, maxAgeSeconds: REFRESH_COOKIE_MAX_AGE_SECONDS, secure }));
          }
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
        const refreshToken = cookieValue(req, REFRESH_COOKIE);
        // False only when a refresh token could not be revoked; without one there is nothing left to end.
        let everywhere = true;
        const tenantId = optionalTenantId(body, 'tenantId');
        if (refreshToken) {
          // Who is signing out: the edge refuses that user's tokens issued until now, including this one.
          const out = await callCognito<{ AuthenticationResult?: CognitoTokens }>(options, 'InitiateAuth', {
            ClientId: options.clientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: refreshToken },
          }).catch(() => undefined);
          const verified = out?.AuthenticationResult ? await options.verify(out.AuthenticationResult.IdToken) : undefined;
          if (verified?.ok) {
            const claimed = verified.claims[TENANT_ID_CLAIM];
            if (typeof claimed === 'string' && isValidTenantId(claimed) && claimed !== tenantId) forgetWorkspace(claimed);
            options.onSignedOut(String(verified.claims['sub']));
          }
          everywhere = await callCognito(options, 'RevokeToken', { ClientId: options.clientId, Token: refreshToken }).then(
            () => true,
            () => false,
          );
        }
        forgetWorkspace(tenantId);
        cookies.push(expiredCookie(REFRESH_COOKIE, SESSION_PATH_PREFIX, secure), expiredCookie(SIGNED_IN_COOKIE, '/', secure));
        answer = { signedOut: true, everywhere };
        break;
      }
      default:
        throw new SessionRefusal(404, 'NotFound', `no session action at ${pathname}`);
    }
  } catch (e) {
    if (!(e instanceof SessionRefusal)) throw e;
    status = e.status;
    answer = { error: e.type, message: e.message };
  }
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...(cookies.length > 0 ? { 'set-cookie': cookies } : {}) });
  res.end(JSON.stringify(answer));
  return true;
}
