/**
 * The `session` function: function URL events in, cookies and a SessionView
 * out, against cognito-local (sign-in, refresh, sign-out, refusals). The
 * refresh of a rotating app client (GetTokensFromRefreshToken, which
 * cognito-local does not implement) is checked at the SDK boundary.
 */
import './support/aws-test-env';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AssociateSoftwareTokenCommand,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import {
  EDGE_SESSION_COOKIE,
  FUNCTION_ENV,
  CHALLENGE_COOKIE,
  REFRESH_COOKIE,
  SESSION_BODY_HASH_HEADER,
  SIGNED_IN_COOKIE,
  TENANT_ID_ATTRIBUTE,
} from '@openclaw-tenancy/shared';
import { cognitoSessionApi } from '../src/adapters/cognito-session-api';
import { issuedTokenClaims } from '../src/adapters/cognito-issued-token';
import type { FunctionUrlResult } from '../src/events/function-url-events';
import { MalformedEventError } from '../src/events/malformed-event-error';
import { SessionHandler, createSessionHandler, handler as deployedHandler } from '../src/handlers/session';
import { CognitoLocal, startCognitoLocal } from '../src/testing/cognito-local-process';
import { freeLoopbackPort } from '../src/testing/free-port';
import { totpCode } from '../src/testing/totp';
import { quietLogger } from './support/recording-ports';

const PUBLIC_HOST = 'ai.example.com';
const FUNCTION_URL_HOST = 'abcdefghijklmnop.lambda-url.eu-west-1.on.aws';
const EMAIL = 'alice@example.com';
const PASSWORD = 'Correct-horse-42';

interface UrlEventOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly cookies?: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly base64?: boolean;
}

/** What CloudFront hands the function URL: the browser's headers (the body's SHA-256 among them) except Host (the URL's own), cookies apart. */
function urlEvent(rawPath: string, options: UrlEventOptions = {}): unknown {
  const text = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    ...(options.cookies ? { cookies: options.cookies } : {}),
    headers: {
      host: FUNCTION_URL_HOST,
      'content-type': 'application/json',
      origin: `https://${PUBLIC_HOST}`,
      'sec-fetch-site': 'same-origin',
      [SESSION_BODY_HASH_HEADER]: createHash('sha256')
        .update(text ?? '')
        .digest('hex'),
      ...options.headers,
    },
    requestContext: {
      http: { method: options.method ?? 'POST', path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      domainName: FUNCTION_URL_HOST,
    },
    ...(text === undefined
      ? {}
      : { body: options.base64 ? Buffer.from(text).toString('base64') : text, isBase64Encoded: Boolean(options.base64) }),
  };
}

const setCookie = (result: FunctionUrlResult, name: string): string | undefined => result.cookies?.find((c) => c.startsWith(`${name}=`));
const cookieValue = (result: FunctionUrlResult, name: string): string =>
  setCookie(result, name)
    ?.split(';')[0]
    ?.slice(name.length + 1) ?? '';
const bodyOf = (result: FunctionUrlResult): Record<string, unknown> => JSON.parse(String(result.body)) as Record<string, unknown>;
const claimsOf = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

let workDir: string;
let cognito: CognitoLocal;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
let issuer: string;

function handlerFor(
  options: { client?: CognitoIdentityProviderClient; rotation?: boolean; issuer?: string; audience?: string } = {},
): SessionHandler {
  return createSessionHandler({
    endpoint: {
      cognito: cognitoSessionApi(options.client ?? idp),
      clientId,
      refreshTokenRotation: options.rotation ?? false,
      secureCookies: true,
      publicHost: PUBLIC_HOST,
      verify: issuedTokenClaims({ issuer: options.issuer ?? issuer, audience: options.audience ?? clientId }),
    },
    logger: quietLogger(),
  });
}

const signIn = (handler: SessionHandler, password = PASSWORD) =>
  handler(urlEvent('/_session/sign-in', { body: { email: EMAIL, password } }));

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'session-cognito-'));
  // No triggers: the endpoint never causes one (sign-in of a confirmed user, refresh, revoke).
  cognito = await startCognitoLocal({ workDir, lambdaEndpoint: `http://127.0.0.1:${await freeLoopbackPort()}`, triggers: {} });
  idp = new CognitoIdentityProviderClient({
    endpoint: cognito.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const pool = await idp.send(
    new CreateUserPoolCommand({
      PoolName: 'session',
      UsernameAttributes: ['email'],
      Schema: [{ Name: 'tenant_id', AttributeDataType: 'String', Mutable: true }],
    }),
  );
  poolId = pool.UserPool?.Id ?? '';
  const client = await idp.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      EnableTokenRevocation: true,
    }),
  );
  clientId = client.UserPoolClient?.ClientId ?? '';
  issuer = `${cognito.endpoint}/${poolId}`;
  await idp.send(
    new SignUpCommand({ ClientId: clientId, Username: EMAIL, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: EMAIL }] }),
  );
  await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: EMAIL }));
  await idp.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: poolId,
      Username: EMAIL,
      UserAttributes: [{ Name: TENANT_ID_ATTRIBUTE, Value: 'alice' }],
    }),
  );
}, 60_000);

afterAll(async () => {
  idp?.destroy();
  await cognito?.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe('session function against cognito-local', () => {
  it('signs in: the ID token in an HttpOnly, Secure, SameSite=Strict cookie on /t/<tenant>, the refresh token on /_session, a body without any token', async () => {
    const result = await signIn(handlerFor());

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    const view = bodyOf(result);
    expect(view).toEqual({ email: EMAIL, tenantId: 'alice', expiresAt: expect.any(Number) });
    expect(String(result.body)).not.toMatch(/eyJ/);
    const idCookie = setCookie(result, EDGE_SESSION_COOKIE) ?? '';
    expect(idCookie).toMatch(/^openclaw_session=[\w-]+\.[\w-]+\.[\w-]+; Path=\/t\/alice; Max-Age=\d+; HttpOnly; SameSite=Strict; Secure$/);
    expect(claimsOf(cookieValue(result, EDGE_SESSION_COOKIE))).toMatchObject({
      iss: issuer,
      aud: clientId,
      token_use: 'id',
      [TENANT_ID_ATTRIBUTE]: 'alice',
      exp: view['expiresAt'],
    });
    expect(setCookie(result, REFRESH_COOKIE)).toMatch(
      /^openclaw_refresh=[\w.-]+; Path=\/_session; Max-Age=2592000; HttpOnly; SameSite=Strict; Secure$/,
    );
    expect(setCookie(result, SIGNED_IN_COOKIE)).toBe(
      'openclaw_signed_in=alice; Path=/; Max-Age=2592000; HttpOnly; SameSite=Strict; Secure',
    );
    expect(result.cookies).toHaveLength(3);
  });

  it('reads a base64-encoded body as the function URL may deliver it', async () => {
    const result = await handlerFor()(urlEvent('/_session/sign-in', { body: { email: EMAIL, password: PASSWORD }, base64: true }));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({ tenantId: 'alice' });
  });

  it('passes a wrong password on as Cognito named it, and sets no cookie', async () => {
    const result = await signIn(handlerFor(), 'Wrong-horse-42');
    // cognito-local names it InvalidPasswordException; AWS says NotAuthorizedException (401, at the SDK boundary below).
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toEqual({ error: 'InvalidPasswordException', message: 'Invalid password' });
    expect(result.cookies).toEqual([]);
  });

  it('refreshes from the refresh cookie alone: a new ID cookie, the same refresh token (no rotation)', async () => {
    const handler = handlerFor();
    const refreshToken = cookieValue(await signIn(handler), REFRESH_COOKIE);
    const result = await handler(urlEvent('/_session/refresh', { body: {}, cookies: [`${REFRESH_COOKIE}=${refreshToken}`, 'other=1'] }));

    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({ email: EMAIL, tenantId: 'alice' });
    expect(claimsOf(cookieValue(result, EDGE_SESSION_COOKIE))).toMatchObject({ iss: issuer, token_use: 'id' });
    expect(cookieValue(result, REFRESH_COOKIE)).toBe(refreshToken);
  });

  it('carries an invited user through the new-password challenge: the session only in an HttpOnly cookie, then a workspace session', async () => {
    const invited = 'invited@example.com';
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: invited,
        TemporaryPassword: 'Temporary-horse-1',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: invited },
          { Name: TENANT_ID_ATTRIBUTE, Value: 'invited' },
        ],
      }),
    );
    const handler = handlerFor();
    const first = await handler(urlEvent('/_session/sign-in', { body: { email: invited, password: 'Temporary-horse-1' } }));
    expect(first.statusCode).toBe(200);
    expect(bodyOf(first)).toEqual({ challenge: 'NEW_PASSWORD_REQUIRED' });
    expect(first.cookies).toHaveLength(1);
    expect(setCookie(first, CHALLENGE_COOKIE)).toMatch(
      /^openclaw_challenge=[^;]+; Path=\/_session; Max-Age=180; HttpOnly; SameSite=Strict; Secure$/,
    );
    expect(String(first.body)).not.toContain(cookieValue(first, CHALLENGE_COOKIE));

    // Without the challenge cookie nothing happens.
    const orphan = await handler(urlEvent('/_session/new-password', { body: { email: invited, newPassword: 'Chosen-horse-2' } }));
    expect(orphan.statusCode).toBe(401);
    expect(bodyOf(orphan)).toMatchObject({ error: 'NoChallenge' });
    expect(orphan.cookies ?? []).toEqual([]);

    const done = await handler(
      urlEvent('/_session/new-password', {
        body: { email: invited, newPassword: 'Chosen-horse-2' },
        cookies: [`${CHALLENGE_COOKIE}=${cookieValue(first, CHALLENGE_COOKIE)}`],
      }),
    );
    expect(done.statusCode).toBe(200);
    expect(bodyOf(done)).toEqual({ email: invited, tenantId: 'invited', expiresAt: expect.any(Number) });
    expect(setCookie(done, EDGE_SESSION_COOKIE)).toMatch(/^openclaw_session=[\w-]+\.[\w-]+\.[\w-]+; Path=\/t\/invited; /);
    expect(setCookie(done, CHALLENGE_COOKIE)).toMatch(/^openclaw_challenge=; Path=\/_session; Max-Age=0;/);
    expect(String(done.body)).not.toMatch(/eyJ/);
    // The chosen password is the password now.
    const again = await handler(urlEvent('/_session/sign-in', { body: { email: invited, password: 'Chosen-horse-2' } }));
    expect(bodyOf(again)).toMatchObject({ tenantId: 'invited' });
  });

  it('asks a user with an authenticator app for its code: the session only in an HttpOnly cookie, a wrong code refused, the right one signs in', async () => {
    const mfaUser = 'mfa@example.com';
    await idp.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
    await idp.send(
      new SignUpCommand({ ClientId: clientId, Username: mfaUser, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: mfaUser }] }),
    );
    await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: mfaUser }));
    await idp.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: mfaUser,
        UserAttributes: [{ Name: TENANT_ID_ATTRIBUTE, Value: 'mfa' }],
      }),
    );
    // The user sets up an authenticator app while signed in (as the account page of a mail provider would let them).
    const signedIn = await idp.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: mfaUser, PASSWORD } }),
    );
    const accessToken = signedIn.AuthenticationResult?.AccessToken ?? '';
    const { SecretCode: key = '' } = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
    await idp.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpCode(key) }));
    await idp.send(
      new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );

    const handler = handlerFor();
    const first = await handler(urlEvent('/_session/sign-in', { body: { email: mfaUser, password: PASSWORD } }));
    expect(bodyOf(first)).toEqual({ challenge: 'SOFTWARE_TOKEN_MFA' });
    expect(first.cookies).toHaveLength(1);
    expect(setCookie(first, CHALLENGE_COOKIE)).toMatch(
      /^openclaw_challenge=[^;]+; Path=\/_session; Max-Age=180; HttpOnly; SameSite=Strict; Secure$/,
    );
    const challenge = [`${CHALLENGE_COOKIE}=${cookieValue(first, CHALLENGE_COOKIE)}`];

    const malformed = await handler(urlEvent('/_session/mfa-code', { body: { email: mfaUser, code: '12ab56' }, cookies: challenge }));
    expect(malformed.statusCode).toBe(400);
    expect(bodyOf(malformed)).toMatchObject({ error: 'InvalidParameterException', message: expect.stringMatching(/six digits/) });
    const wrong = String((Number(totpCode(key)) + 500_000) % 1_000_000).padStart(6, '0');
    const refused = await handler(urlEvent('/_session/mfa-code', { body: { email: mfaUser, code: wrong }, cookies: challenge }));
    expect(refused.statusCode).toBe(400);
    expect(bodyOf(refused)).toMatchObject({ error: 'CodeMismatchException' });
    expect(refused.cookies ?? []).toEqual([]);

    const done = await handler(urlEvent('/_session/mfa-code', { body: { email: mfaUser, code: totpCode(key) }, cookies: challenge }));
    expect(done.statusCode).toBe(200);
    expect(bodyOf(done)).toEqual({ email: mfaUser, tenantId: 'mfa', expiresAt: expect.any(Number) });
    expect(setCookie(done, EDGE_SESSION_COOKIE)).toMatch(/^openclaw_session=[\w-]+\.[\w-]+\.[\w-]+; Path=\/t\/mfa; /);
    expect(setCookie(done, CHALLENGE_COOKIE)).toMatch(/^openclaw_challenge=; Path=\/_session; Max-Age=0;/);
    expect(String(done.body)).not.toMatch(/eyJ/);
  });

  it('answers a refresh without the refresh cookie with 204 (not signed in, not an error) and sets nothing', async () => {
    const result = await handlerFor()(urlEvent('/_session/refresh', { body: {}, cookies: [`${EDGE_SESSION_COOKIE}=x.y.z`] }));
    expect(result.statusCode).toBe(204);
    expect(result.body ?? '').toBe('');
    expect(result.cookies ?? []).toEqual([]);
  });

  it('signs out: the refresh token is revoked at Cognito, every cookie expired; the old refresh cookie is refused and dropped after', async () => {
    const handler = handlerFor();
    const refreshToken = cookieValue(await signIn(handler), REFRESH_COOKIE);

    const out = await handler(
      urlEvent('/_session/sign-out', { body: { tenantId: 'alice' }, cookies: [`${REFRESH_COOKIE}=${refreshToken}`] }),
    );
    expect(out.statusCode).toBe(200);
    expect(bodyOf(out)).toEqual({ signedOut: true, everywhere: true });
    expect(out.cookies).toEqual(
      expect.arrayContaining([
        'openclaw_session=; Path=/t/alice; Max-Age=0; HttpOnly; SameSite=Strict; Secure',
        'openclaw_refresh=; Path=/_session; Max-Age=0; HttpOnly; SameSite=Strict; Secure',
        'openclaw_signed_in=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure',
      ]),
    );
    await expect(
      idp.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } }),
      ),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });

    const again = await handler(urlEvent('/_session/refresh', { body: {}, cookies: [`${REFRESH_COOKIE}=${refreshToken}`] }));
    expect(again.statusCode).toBe(401);
    expect(bodyOf(again)).toMatchObject({ error: 'NotAuthorizedException' });
    expect(again.cookies).toEqual([
      'openclaw_refresh=; Path=/_session; Max-Age=0; HttpOnly; SameSite=Strict; Secure',
      'openclaw_signed_in=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure',
    ]);
  });

  it.each([
    ['a cross-site fetch', { headers: { 'sec-fetch-site': 'cross-site' } }, 403, 'CrossSiteRequest'],
    ['another origin', { headers: { origin: 'https://evil.example' } }, 403, 'CrossSiteRequest'],
    [
      "the function URL's own origin (only the public host counts)",
      { headers: { origin: `https://${FUNCTION_URL_HOST}` } },
      403,
      'CrossSiteRequest',
    ],
    ['an opaque origin', { headers: { origin: 'null' } }, 403, 'CrossSiteRequest'],
    ['a GET', { method: 'GET' }, 405, 'MethodNotAllowed'],
    ['a form post', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'InvalidParameterException'],
    ['a body over 4 KiB', { body: { email: EMAIL, password: 'x'.repeat(5000) } }, 413, 'InvalidParameterException'],
    ['a body that is not JSON', { body: 'email=alice' }, 400, 'InvalidParameterException'],
    [
      'a body whose hash header is of another body',
      { headers: { [SESSION_BODY_HASH_HEADER]: createHash('sha256').update('{}').digest('hex') } },
      400,
      'InvalidParameterException',
    ],
  ] as const)('refuses %s before calling Cognito, setting nothing', async (_name, options, status, error) => {
    const counting = new CognitoIdentityProviderClient({
      endpoint: cognito.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const send = jest.spyOn(counting, 'send');
    const result = await handlerFor({ client: counting })(
      urlEvent('/_session/sign-in', { body: { email: EMAIL, password: PASSWORD }, ...options }),
    );
    expect(result.statusCode).toBe(status);
    expect(bodyOf(result)).toMatchObject({ error });
    expect(result.cookies).toEqual([]);
    expect(send).not.toHaveBeenCalled();
    counting.destroy();
  });

  it('sets no cookie when the ID token Cognito returned names another issuer or client', async () => {
    for (const handler of [
      handlerFor({ issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' }),
      handlerFor({ audience: 'another-client' }),
    ]) {
      const result = await signIn(handler);
      expect(result.statusCode).toBe(502);
      expect(bodyOf(result).message).toMatch(/does not verify \((wrong-issuer|wrong-audience)\)/);
      expect(result.cookies).toEqual([]);
    }
  });

  it('says the sign-in service is unreachable when Cognito does not answer', async () => {
    const down = new CognitoIdentityProviderClient({
      endpoint: `http://127.0.0.1:${await freeLoopbackPort()}`,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const result = await signIn(handlerFor({ client: down }));
    expect(result.statusCode).toBe(503);
    expect(bodyOf(result)).toEqual({ error: 'NetworkError', message: 'the sign-in service could not be reached' });
    expect(result.cookies).toEqual([]);
    down.destroy();
  });

  it('fails an event that is not a function URL event, naming what it expected', async () => {
    await expect(handlerFor()({ Records: [] })).rejects.toThrow(
      new MalformedEventError('expected a Lambda function URL event (payload format 2.0)'),
    );
  });

  it('runs from its environment alone (the deployed entry point), Cognito found through the SDK', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      [FUNCTION_ENV.identityIssuer]: issuer,
      [FUNCTION_ENV.userPoolClientId]: clientId,
      [FUNCTION_ENV.refreshTokenRotation]: 'false',
      [FUNCTION_ENV.workspaceBaseUrl]: `https://${PUBLIC_HOST}`,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
    });
    try {
      const result = await deployedHandler(urlEvent('/_session/sign-in', { body: { email: EMAIL, password: PASSWORD } }));
      expect(result.statusCode).toBe(200);
      expect(setCookie(result, EDGE_SESSION_COOKIE)).toMatch(/; Path=\/t\/alice; .*HttpOnly; SameSite=Strict; Secure$/);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});

describe('session function with a rotating app client (SDK boundary)', () => {
  let realIdToken: string;
  beforeAll(async () => {
    realIdToken = cookieValue(await signIn(handlerFor()), EDGE_SESSION_COOKIE);
  });

  function rotatingClient() {
    const client = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
    return { client, mock: mockClient(client) };
  }

  it('refreshes with GetTokensFromRefreshToken, never InitiateAuth, and keeps the new refresh token', async () => {
    const { client, mock } = rotatingClient();
    mock.on(GetTokensFromRefreshTokenCommand).resolves({ AuthenticationResult: { IdToken: realIdToken, RefreshToken: 'refresh-2' } });

    const result = await handlerFor({ client, rotation: true })(
      urlEvent('/_session/refresh', { body: {}, cookies: [`${REFRESH_COOKIE}=refresh-1`] }),
    );

    expect(result.statusCode).toBe(200);
    expect(mock.commandCalls(GetTokensFromRefreshTokenCommand).map((c) => c.args[0].input)).toEqual([
      { ClientId: clientId, RefreshToken: 'refresh-1' },
    ]);
    expect(mock.commandCalls(InitiateAuthCommand)).toHaveLength(0);
    expect(cookieValue(result, REFRESH_COOKIE)).toBe('refresh-2');
    expect(cookieValue(result, EDGE_SESSION_COOKIE)).toBe(realIdToken);
  });

  it('without rotation refreshes with InitiateAuth REFRESH_TOKEN_AUTH only', async () => {
    const { client, mock } = rotatingClient();
    mock.on(InitiateAuthCommand).resolves({ AuthenticationResult: { IdToken: realIdToken } });

    const result = await handlerFor({ client, rotation: false })(
      urlEvent('/_session/refresh', { body: {}, cookies: [`${REFRESH_COOKIE}=refresh-1`] }),
    );

    expect(result.statusCode).toBe(200);
    expect(mock.commandCalls(InitiateAuthCommand).map((c) => c.args[0].input)).toEqual([
      { ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: 'refresh-1' } },
    ]);
    expect(mock.commandCalls(GetTokensFromRefreshTokenCommand)).toHaveLength(0);
    expect(cookieValue(result, REFRESH_COOKIE)).toBe('refresh-1');
  });

  it("answers Cognito's NotAuthorizedException for a wrong password with 401, setting nothing", async () => {
    const { client, mock } = rotatingClient();
    mock
      .on(InitiateAuthCommand)
      .rejects(
        Object.assign(new Error('Incorrect username or password.'), { name: 'NotAuthorizedException', $metadata: { httpStatusCode: 400 } }),
      );
    const result = await signIn(handlerFor({ client }), 'Wrong-horse-42');
    expect(result.statusCode).toBe(401);
    expect(bodyOf(result)).toEqual({ error: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect(mock.commandCalls(InitiateAuthCommand)[0]?.args[0].input).toEqual({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: EMAIL, PASSWORD: 'Wrong-horse-42' },
    });
    expect(result.cookies).toEqual([]);
  });

  it('refuses a rotating answer without a new refresh token, setting nothing', async () => {
    const { client, mock } = rotatingClient();
    mock.on(GetTokensFromRefreshTokenCommand).resolves({ AuthenticationResult: { IdToken: realIdToken } });
    const result = await handlerFor({ client, rotation: true })(
      urlEvent('/_session/refresh', { body: {}, cookies: [`${REFRESH_COOKIE}=refresh-1`] }),
    );
    expect(result.statusCode).toBe(502);
    expect(result.cookies).toEqual([]);
  });

  it('signs out by revoking the presented refresh token and the successor its look-up minted', async () => {
    const { client, mock } = rotatingClient();
    mock.on(GetTokensFromRefreshTokenCommand).resolves({ AuthenticationResult: { IdToken: realIdToken, RefreshToken: 'refresh-2' } });
    mock.on(RevokeTokenCommand).resolves({});

    const result = await handlerFor({ client, rotation: true })(
      urlEvent('/_session/sign-out', { body: {}, cookies: [`${REFRESH_COOKIE}=refresh-1`] }),
    );

    expect(bodyOf(result)).toEqual({ signedOut: true, everywhere: true });
    expect(
      mock
        .commandCalls(RevokeTokenCommand)
        .map((c) => c.args[0].input.Token)
        .sort(),
    ).toEqual(['refresh-1', 'refresh-2']);
    expect(result.cookies).toContain('openclaw_session=; Path=/t/alice; Max-Age=0; HttpOnly; SameSite=Strict; Secure');
  });

  it('sets up an authenticator app when the pool requires MFA (MFA_SETUP, which cognito-local does not implement), showing the key once', async () => {
    const { client, mock } = rotatingClient();
    mock.on(InitiateAuthCommand).resolves({ ChallengeName: 'MFA_SETUP', Session: 'session-1' });
    mock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: 'JBSWY3DPEHPK3PXP', Session: 'session-2' });
    const handler = handlerFor({ client });

    const first = await handler(urlEvent('/_session/sign-in', { body: { email: EMAIL, password: PASSWORD } }));
    expect(first.statusCode).toBe(200);
    expect(bodyOf(first)).toEqual({
      challenge: 'MFA_SETUP',
      secretCode: 'JBSWY3DPEHPK3PXP',
      otpauthUri: `otpauth://totp/${encodeURIComponent(`${PUBLIC_HOST}:${EMAIL}`)}?secret=JBSWY3DPEHPK3PXP&issuer=${PUBLIC_HOST}`,
    });
    expect(mock.commandCalls(AssociateSoftwareTokenCommand).map((c) => c.args[0].input)).toEqual([{ Session: 'session-1' }]);
    // The session of the next step only in the HttpOnly cookie, never in the body.
    expect(cookieValue(first, CHALLENGE_COOKIE)).toBe('session-2');
    expect(String(first.body)).not.toContain('session-');

    // A code that does not match the new key: refused, nothing set, the sign-in not completed.
    mock.on(VerifySoftwareTokenCommand).resolves({ Status: 'ERROR' });
    const challenge = [`${CHALLENGE_COOKIE}=session-2`];
    const refused = await handler(urlEvent('/_session/mfa-setup', { body: { email: EMAIL, code: '123456' }, cookies: challenge }));
    expect(refused.statusCode).toBe(400);
    expect(bodyOf(refused)).toMatchObject({ error: 'CodeMismatchException' });
    expect(refused.cookies ?? []).toEqual([]);
    expect(mock.commandCalls(RespondToAuthChallengeCommand)).toHaveLength(0);

    mock.on(VerifySoftwareTokenCommand).resolves({ Status: 'SUCCESS', Session: 'session-3' });
    mock.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: { IdToken: realIdToken, RefreshToken: 'refresh-1' } });
    const done = await handler(urlEvent('/_session/mfa-setup', { body: { email: EMAIL, code: '654321' }, cookies: challenge }));
    expect(done.statusCode).toBe(200);
    expect(bodyOf(done)).toMatchObject({ email: EMAIL, tenantId: 'alice' });
    expect(mock.commandCalls(VerifySoftwareTokenCommand).at(-1)?.args[0].input).toEqual({
      Session: 'session-2',
      UserCode: '654321',
      FriendlyDeviceName: 'Authenticator',
    });
    expect(mock.commandCalls(RespondToAuthChallengeCommand).map((c) => c.args[0].input)).toEqual([
      { ClientId: clientId, ChallengeName: 'MFA_SETUP', Session: 'session-3', ChallengeResponses: { USERNAME: EMAIL } },
    ]);
    expect(cookieValue(done, EDGE_SESSION_COOKIE)).toBe(realIdToken);
    expect(setCookie(done, CHALLENGE_COOKIE)).toMatch(/^openclaw_challenge=; Path=\/_session; Max-Age=0;/);
  });

  it('reports a sign-out whose revocation Cognito refused as not everywhere, still expiring the cookies', async () => {
    const { client, mock } = rotatingClient();
    mock
      .on(GetTokensFromRefreshTokenCommand)
      .rejects(
        Object.assign(new Error('Refresh Token has been revoked'), { name: 'NotAuthorizedException', $metadata: { httpStatusCode: 400 } }),
      );
    mock
      .on(RevokeTokenCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 400 } }));

    const result = await handlerFor({ client, rotation: true })(
      urlEvent('/_session/sign-out', { body: {}, cookies: [`${REFRESH_COOKIE}=refresh-1`] }),
    );

    expect(bodyOf(result)).toEqual({ signedOut: true, everywhere: false });
    expect(result.cookies).toContain('openclaw_refresh=; Path=/_session; Max-Age=0; HttpOnly; SameSite=Strict; Secure');
  });
});

describe('issuedTokenClaims', () => {
  const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
  const now = 1_800_000_000;
  const verify = issuedTokenClaims({
    issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool',
    audience: 'client',
    nowSeconds: () => now,
  });
  const good = {
    sub: 'u',
    iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool',
    aud: 'client',
    token_use: 'id',
    exp: now + 60,
  };

  it.each([
    ['another issuer', { ...good, iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' }, 'wrong-issuer'],
    ['another client', { ...good, aud: 'other' }, 'wrong-audience'],
    ['an access token', { ...good, token_use: 'access' }, 'malformed'],
    ['an expired token', { ...good, exp: now - 120 }, 'expired'],
    ['no subject', { ...good, sub: undefined }, 'malformed'],
  ])('refuses %s', async (_name, claims, failure) => {
    await expect(verify(jwt(claims))).resolves.toEqual({ ok: false, failure });
  });

  it('refuses what is not a JWT', async () => {
    await expect(verify('not-a-token')).resolves.toEqual({ ok: false, failure: 'malformed' });
    await expect(verify('a.!!!.c')).resolves.toEqual({ ok: false, failure: 'malformed' });
  });

  it('accepts an ID token of the pool and client', async () => {
    await expect(verify(jwt(good))).resolves.toEqual({ ok: true, claims: good });
  });
});
