/**
 * The local edge's adapter for the session endpoint (`/_session/*`): reads
 * the Node request, runs the shared `answerSessionRequest` (the same step the
 * `session` Lambda runs in AWS) and writes its answer. Cognito is reached
 * through its JSON API with fetch, which is what cognito-local serves.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CognitoCallError,
  SESSION_MAX_BODY_BYTES,
  SessionCognitoCall,
  answerSessionRequest,
  cookieValueOf,
  isSessionPath,
} from '@openclaw-tenancy/shared';
import type { TokenVerifier } from './token-verifier';

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
  /**
   * The app client rotates refresh tokens (GetTokensFromRefreshToken).
   * @default false
   */
  readonly refreshTokenRotation?: boolean;
}

/** Cognito's JSON API over fetch: `X-Amz-Target` names the action, the body is its input. */
export function cognitoJsonApi(endpoint: string): SessionCognitoCall {
  return async (action, input) => {
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${action}` },
        body: JSON.stringify(input),
      });
    } catch {
      throw new CognitoCallError('NetworkError', undefined, 'the sign-in service could not be reached');
    }
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      throw new CognitoCallError('UnknownError', 502, `the sign-in service answered HTTP ${response.status} without JSON`);
    }
    if (!response.ok) {
      const type =
        String(json['__type'] ?? json['code'] ?? 'UnknownError')
          .split('#')
          .pop() ?? 'UnknownError';
      throw new CognitoCallError(type, response.status, String(json['message'] ?? json['Message'] ?? ''));
    }
    return json;
  };
}

export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  return cookieValueOf(req.headers.cookie, name);
}

/** The body as text; reading stops one byte past the limit, which the shared step then refuses. */
async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    chunks.push(buffer);
    size += buffer.length;
    if (size > SESSION_MAX_BODY_BYTES) break;
  }
  return Buffer.concat(chunks)
    .subarray(0, SESSION_MAX_BODY_BYTES + 1)
    .toString('utf8');
}

/**
 * Answers a request under `SESSION_PATH_PREFIX`; returns false for any other
 * path so the caller can serve it.
 */
export async function handleSessionRequest(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  options: SessionEndpointOptions,
): Promise<boolean> {
  if (!isSessionPath(pathname)) return false;
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  // Nothing but POST carries a body here; the shared step refuses other methods before reading it.
  const body = req.method === 'POST' ? await readBody(req) : '';
  const answer = await answerSessionRequest(
    { method: req.method ?? '', path: pathname, headers, body },
    {
      cognito: cognitoJsonApi(options.cognitoEndpoint),
      clientId: options.clientId,
      refreshTokenRotation: options.refreshTokenRotation ?? false,
      secureCookies: options.secureCookies,
      publicHost: req.headers.host ?? '',
      verify: options.verify,
      onSignedOut: options.onSignedOut,
    },
  );
  res.writeHead(answer.status, { ...answer.headers, ...(answer.cookies.length > 0 ? { 'set-cookie': [...answer.cookies] } : {}) });
  res.end(answer.body);
  return true;
}
