/**
 * The public face of the local user pool, on the bridge address where the
 * browser (host) and the edge (its own namespace) reach it; cognito-local
 * itself stays on loopback. It passes on what real Cognito serves without
 * AWS credentials — the user-facing API actions and the pool's JWKS — and
 * closes the gaps of cognito-local that matter here:
 *
 * - admin and pool-management actions need IAM credentials in AWS; here they
 *   are refused outright, so nothing on the pod network (a tenant's gateway
 *   included) can, say, rewrite a user's `custom:tenant_id`;
 * - cognito-local ignores the app client's write attributes; the front refuses
 *   any client write of `custom:tenant_id`, which only PostConfirmation may set;
 * - `ResendConfirmationCode` is missing in cognito-local 5.3.0; the front
 *   answers it by asking for a new code through `ForgotPassword`, which stores
 *   it in the same `ConfirmationCode` field `ConfirmSignUp` checks;
 * - cognito-local issues tokens to a disabled user (`AdminDisableUser`, what
 *   offboarding does); Cognito refuses a disabled user every sign-in and
 *   refresh with `NotAuthorizedException: User is disabled.`, and so does the
 *   front: an answer that carries tokens is passed on only while their user is
 *   enabled.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TENANT_ID_ATTRIBUTE } from '@openclaw-tenancy/shared';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

/** User pool actions callable without AWS credentials (public clients). */
const PUBLIC_ACTIONS = new Set([
  'SignUp',
  'ConfirmSignUp',
  'ResendConfirmationCode',
  'InitiateAuth',
  'RespondToAuthChallenge',
  'ForgotPassword',
  'ConfirmForgotPassword',
  'ChangePassword',
  'GetUser',
  'UpdateUserAttributes',
  'DeleteUserAttributes',
  'VerifyUserAttribute',
  'GetUserAttributeVerificationCode',
  'DeleteUser',
  'GlobalSignOut',
  'RevokeToken',
  'AssociateSoftwareToken',
  'VerifySoftwareToken',
  'SetUserMFAPreference',
]);

/** Actions whose answer may carry tokens (sign-in, a completed challenge, a refresh). */
const TOKEN_ACTIONS = new Set(['InitiateAuth', 'RespondToAuthChallenge', 'GetTokensFromRefreshToken']);

const CORS = { 'access-control-allow-origin': '*' };
const JSON_TYPE = { 'content-type': 'application/x-amz-json-1.1' };

export interface IdentityFrontOptions {
  /** cognito-local's loopback endpoint. */
  readonly upstream: string;
  readonly host: string;
  readonly port: number;
  readonly userPoolId: string;
}

export interface IdentityFront {
  /** `http://<host>:<port>`: the browser's Cognito endpoint and the tokens' issuer origin. */
  readonly endpoint: string;
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const cognitoError = (status: number, type: string, message: string): Answer => ({
  status,
  headers: { ...CORS, ...JSON_TYPE, 'x-amzn-errortype': type },
  body: Buffer.from(JSON.stringify({ __type: type, message })),
});

function writesTenantAttribute(action: string, input: Record<string, unknown>): boolean {
  const names =
    action === 'DeleteUserAttributes'
      ? ((input.UserAttributeNames ?? []) as unknown[])
      : action === 'SignUp' || action === 'UpdateUserAttributes'
        ? ((input.UserAttributes ?? []) as Array<{ Name?: unknown }>).map((a) => a?.Name)
        : [];
  return names.some((n) => typeof n === 'string' && n.toLowerCase() === TENANT_ID_ATTRIBUTE);
}

export async function startIdentityFront(options: IdentityFrontOptions): Promise<IdentityFront> {
  async function forward(req: http.IncomingMessage, body: Buffer, target?: string, json?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (!['host', 'connection', 'content-length'].includes(k) && v !== undefined) headers[k] = String(v);
    if (target) headers['x-amz-target'] = `${TARGET_PREFIX}${target}`;
    const res = await fetch(`${options.upstream}${target ? '/' : (req.url ?? '/')}`, {
      method: target ? 'POST' : (req.method ?? 'GET'),
      headers,
      ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: json === undefined ? new Uint8Array(body) : JSON.stringify(json) }),
    });
    const out: Record<string, string> = {};
    res.headers.forEach((value, key) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(key)) out[key] = value;
    });
    return { status: res.status, headers: out, body: Buffer.from(await res.arrayBuffer()) };
  }

  async function resend(req: http.IncomingMessage, input: Record<string, unknown>): Promise<Answer> {
    const user = await forward(req, Buffer.alloc(0), 'AdminGetUser', { UserPoolId: options.userPoolId, Username: input.Username });
    if (user.status !== 200) return user;
    if ((JSON.parse(user.body.toString('utf8')) as { UserStatus?: string }).UserStatus !== 'UNCONFIRMED') {
      return cognitoError(400, 'InvalidParameterException', 'User is already confirmed.');
    }
    return forward(req, Buffer.alloc(0), 'ForgotPassword', { ClientId: input.ClientId, Username: input.Username });
  }

  /** `answer` unless it carries tokens of a user who is disabled. */
  async function refuseDisabledUser(req: http.IncomingMessage, answer: Answer): Promise<Answer> {
    if (answer.status !== 200) return answer;
    const idToken = (JSON.parse(answer.body.toString('utf8')) as { AuthenticationResult?: { IdToken?: string } }).AuthenticationResult
      ?.IdToken;
    if (idToken === undefined) return answer;
    // The token comes from cognito-local over loopback, so its payload is read, not verified.
    const username = (
      JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { 'cognito:username'?: string }
    )['cognito:username'];
    const user = await forward(req, Buffer.alloc(0), 'AdminGetUser', { UserPoolId: options.userPoolId, Username: username });
    if (user.status !== 200) return cognitoError(400, 'NotAuthorizedException', 'Incorrect username or password.');
    if ((JSON.parse(user.body.toString('utf8')) as { Enabled?: boolean }).Enabled === false) {
      return cognitoError(400, 'NotAuthorizedException', 'User is disabled.');
    }
    return answer;
  }

  async function answer(req: http.IncomingMessage, body: Buffer): Promise<Answer> {
    const url = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'OPTIONS') return forward(req, body);
    if (req.method === 'GET' && (url === '/health' || /^\/[A-Za-z0-9_-]+\/\.well-known\/jwks\.json$/.test(url))) return forward(req, body);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) return cognitoError(404, 'ResourceNotFoundException', 'not found');
    const action = target.slice(TARGET_PREFIX.length);
    if (!PUBLIC_ACTIONS.has(action)) return cognitoError(400, 'MissingAuthenticationTokenException', `${action} requires AWS credentials`);
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return cognitoError(400, 'SerializationException', 'the request body is not JSON');
    }
    if (writesTenantAttribute(action, input))
      return cognitoError(400, 'NotAuthorizedException', 'A client attempted to write unauthorized attribute');
    if (action === 'ResendConfirmationCode') return resend(req, input);
    if (TOKEN_ACTIONS.has(action)) return refuseDisabledUser(req, await forward(req, body));
    return forward(req, body);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      answer(req, Buffer.concat(chunks)).then(
        (a) => res.writeHead(a.status, a.headers).end(a.body),
        () => {
          const a = cognitoError(502, 'InternalErrorException', 'the local user pool is not reachable');
          res.writeHead(a.status, a.headers).end(a.body);
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    endpoint: `http://${options.host}:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
