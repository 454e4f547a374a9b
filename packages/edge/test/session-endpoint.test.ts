/**
 * The session endpoint of the real edge, against a stand-in for Cognito's
 * JSON API that issues tokens signed by the test pool key (the Chromium tests
 * of packages/auth-ui run the same flows against cognito-local).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { EDGE_SESSION_COOKIE, REFRESH_COOKIE, SESSION_BODY_HASH_HEADER, SIGNED_IN_COOKIE, sessionBodyHash } from '@openclaw-tenancy/shared';
import { EDGE_VECTOR_USERS, edgeVectorTenantOwner } from '@openclaw-tenancy/shared/testing';
import { RunningEdge, startEdge } from '../src';
import { SignedOutUsers } from '../src/signed-out-users';
import { FakeGateway, startFakeGateway } from './support/fake-gateway';
import { httpGet } from './support/edge-client';
import { TokenMinter, startTokenMinter } from './support/token-minter';

const PASSWORD = 'Correct-Horse-42-battery';

interface FakeCognito {
  readonly endpoint: string;
  /** Every call: action and request body. */
  readonly calls: Array<{ action: string; body: Record<string, unknown> }>;
  /** Refresh tokens still valid. */
  readonly refreshTokens: Set<string>;
  close(): Promise<void>;
}

async function startFakeCognito(minter: TokenMinter): Promise<FakeCognito> {
  const calls: FakeCognito['calls'] = [];
  const refreshTokens = new Set<string>();
  let issued = 0;
  const fail = (res: http.ServerResponse, status: number, type: string, message: string) =>
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: type, message }));
  const idToken = () => minter.mint({ user: 'alice', claims: { iat: Math.floor(Date.now() / 1000) } });
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      void (async () => {
        const action = String(req.headers['x-amz-target']).split('.').pop() ?? '';
        const body = JSON.parse(raw) as Record<string, unknown>;
        calls.push({ action, body });
        const params = (body['AuthParameters'] ?? {}) as Record<string, string>;
        if (action === 'InitiateAuth' && body['AuthFlow'] === 'USER_PASSWORD_AUTH') {
          if (params['USERNAME'] !== 'alice@example.com' || params['PASSWORD'] !== PASSWORD)
            return fail(res, 400, 'NotAuthorizedException', 'Incorrect username or password.');
          const refresh = `refresh-${++issued}`;
          refreshTokens.add(refresh);
          return res.writeHead(200).end(
            JSON.stringify({
              AuthenticationResult: { IdToken: await idToken(), AccessToken: 'not-used', RefreshToken: refresh, ExpiresIn: 3600 },
            }),
          );
        }
        if (action === 'InitiateAuth' && body['AuthFlow'] === 'REFRESH_TOKEN_AUTH') {
          if (!refreshTokens.has(params['REFRESH_TOKEN'] ?? '')) return fail(res, 400, 'NotAuthorizedException', 'Invalid Refresh Token');
          return res
            .writeHead(200)
            .end(JSON.stringify({ AuthenticationResult: { IdToken: await idToken(), AccessToken: 'not-used', ExpiresIn: 3600 } }));
        }
        if (action === 'RevokeToken') {
          refreshTokens.delete(String(body['Token']));
          return res.writeHead(200).end('{}');
        }
        return fail(res, 400, 'InvalidParameterException', `unexpected ${action}`);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const fake: FakeCognito = {
    endpoint: `http://127.0.0.1:${port}/`,
    calls,
    refreshTokens,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return fake;
}

let minter: TokenMinter;
let cognito: FakeCognito;
let gateway: FakeGateway;
let edge: RunningEdge;

beforeAll(async () => {
  minter = await startTokenMinter();
  cognito = await startFakeCognito(minter);
  gateway = await startFakeGateway();
  const site = mkdtempSync(path.join(os.tmpdir(), 'edge-site-'));
  writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>sign in</title>');
  edge = await startEdge({
    identity: { issuer: minter.context.issuer, audience: minter.context.audience, jwksUri: minter.jwksUri },
    resolveUpstream: (tenantId) =>
      tenantId === 'alice' ? { host: '127.0.0.1', port: gateway.port, owner: edgeVectorTenantOwner('alice') } : undefined,
    authUi: {
      directory: site,
      runtimeConfig: {
        region: 'local',
        userPoolId: 'local_EdgePool01',
        clientId: minter.context.audience,
        origin: 'http://127.0.0.1',
        cognitoEndpoint: cognito.endpoint,
      },
    },
  });
});

afterAll(async () => {
  await edge.close();
  await gateway.close();
  await cognito.close();
  await minter.close();
});

beforeEach(() => {
  cognito.calls.length = 0;
  gateway.received.length = 0;
});

const JSON_POST = { 'content-type': 'application/json' };
/** A POST as the auth UI sends it: JSON with its SHA-256 in SESSION_BODY_HASH_HEADER (a test's own headers win). */
const post = async (p: string, body: unknown, headers: Record<string, string> = {}) => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return httpGet(edge.url, p, { ...JSON_POST, [SESSION_BODY_HASH_HEADER]: await sessionBodyHash(text), ...headers }, 'POST', text);
};
const setCookies = (headers: http.IncomingHttpHeaders): string[] => headers['set-cookie'] ?? [];
const cookieValue = (cookies: string[], name: string): string =>
  cookies
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0]!
    .slice(name.length + 1) ?? '';

async function signIn(): Promise<{ idToken: string; refreshToken: string }> {
  const answer = await post('/_session/sign-in', { email: 'alice@example.com', password: PASSWORD });
  expect(answer.status).toBe(200);
  return {
    idToken: cookieValue(setCookies(answer.headers), EDGE_SESSION_COOKIE),
    refreshToken: cookieValue(setCookies(answer.headers), REFRESH_COOKIE),
  };
}

describe('session endpoint', () => {
  it('signs in: HttpOnly, SameSite=Strict, path-scoped cookies, and a body without any token', async () => {
    const answer = await post('/_session/sign-in', { email: 'alice@example.com', password: PASSWORD });
    expect(answer.status).toBe(200);
    const cookies = setCookies(answer.headers);
    const idToken = cookieValue(cookies, EDGE_SESSION_COOKIE);
    expect(idToken).toMatch(/^eyJ/);
    expect(cookies).toEqual([
      expect.stringMatching(new RegExp(`^${EDGE_SESSION_COOKIE}=eyJ[^;]+; Path=/t/alice; Max-Age=\\d+; HttpOnly; SameSite=Strict$`)),
      `${SIGNED_IN_COOKIE}=alice; Path=/; Max-Age=2592000; HttpOnly; SameSite=Strict`,
      expect.stringMatching(new RegExp(`^${REFRESH_COOKIE}=refresh-\\d+; Path=/_session; Max-Age=2592000; HttpOnly; SameSite=Strict$`)),
    ]);
    expect(JSON.parse(answer.body)).toEqual({ email: 'alice@example.com', tenantId: 'alice', expiresAt: expect.any(Number) });
    expect(answer.body).not.toContain(idToken);
    expect(answer.body).not.toContain('refresh-');
    expect(answer.headers['cache-control']).toBe('no-store');
    // The cookie it set opens the workspace.
    expect((await httpGet(edge.url, '/t/alice/', { cookie: `${EDGE_SESSION_COOKIE}=${idToken}` })).status).toBe(200);
  });

  it('passes a refused password on as Cognito named it, and sets nothing', async () => {
    const answer = await post('/_session/sign-in', { email: 'alice@example.com', password: 'Wrong-Password-999' });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual({ error: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect(setCookies(answer.headers)).toEqual([]);
  });

  it.each<[string, () => Promise<{ status: number; body: string }>, number, string]>([
    ['a GET', () => httpGet(edge.url, '/_session/refresh', {}), 405, 'MethodNotAllowed'],
    [
      'a form post (no JSON content type)',
      () => httpGet(edge.url, '/_session/sign-in', { 'content-type': 'application/x-www-form-urlencoded' }, 'POST', 'email=a'),
      415,
      'InvalidParameterException',
    ],
    ['a cross-site fetch', () => post('/_session/sign-out', {}, { 'sec-fetch-site': 'cross-site' }), 403, 'CrossSiteRequest'],
    ['another origin', () => post('/_session/sign-out', {}, { origin: 'https://evil.example' }), 403, 'CrossSiteRequest'],
    ['an opaque origin (sandboxed frame)', () => post('/_session/sign-out', {}, { origin: 'null' }), 403, 'CrossSiteRequest'],
    ['a malformed origin', () => post('/_session/sign-out', {}, { origin: 'not a url' }), 403, 'CrossSiteRequest'],
    [
      'a body over 4 KiB',
      () => post('/_session/sign-in', { email: 'a@example.com', password: 'x'.repeat(5000) }),
      413,
      'InvalidParameterException',
    ],
    ['a missing password', () => post('/_session/sign-in', { email: 'alice@example.com' }), 400, 'InvalidParameterException'],
    ['a body that is not JSON', () => post('/_session/sign-in', '{'), 400, 'InvalidParameterException'],
    [
      'a body without its hash header',
      () => httpGet(edge.url, '/_session/sign-in', JSON_POST, 'POST', JSON.stringify({ email: 'alice@example.com', password: PASSWORD })),
      400,
      'InvalidParameterException',
    ],
    [
      'a body whose hash header is of another body',
      () =>
        post(
          '/_session/sign-in',
          { email: 'alice@example.com', password: PASSWORD },
          { [SESSION_BODY_HASH_HEADER]: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
        ),
      400,
      'InvalidParameterException',
    ],
    ['an unknown action', () => post('/_session/impersonate', {}), 404, 'NotFound'],
  ])('fails for %s, calling nothing and setting nothing', async (_name, send, status, error) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body)).toMatchObject({ error });
    expect(cognito.calls).toEqual([]);
  });

  it('answers a visit without a session with 204 (not signed in, nothing for the console to report), without calling Cognito', async () => {
    const answer = await post('/_session/refresh', {});
    expect(answer).toMatchObject({ status: 204, body: '' });
    expect(cognito.calls).toEqual([]);
  });

  it('refreshes from the refresh cookie alone, and drops a refresh cookie Cognito no longer honours', async () => {
    const { refreshToken } = await signIn();
    const answer = await post('/_session/refresh', {}, { cookie: `${REFRESH_COOKIE}=${refreshToken}` });
    expect(answer.status).toBe(200);
    expect(cookieValue(setCookies(answer.headers), EDGE_SESSION_COOKIE)).toMatch(/^eyJ/);
    const stale = await post('/_session/refresh', {}, { cookie: `${REFRESH_COOKIE}=refresh-never-issued` });
    expect(stale.status).toBe(401);
    expect(setCookies(stale.headers)).toEqual(
      expect.arrayContaining([`${REFRESH_COOKIE}=; Path=/_session; Max-Age=0; HttpOnly; SameSite=Strict`]),
    );
  });

  it('signs out: refresh token revoked, cookies expired, the old ID token refused at once, open WebSockets closed', async () => {
    const { idToken, refreshToken } = await signIn();
    const socket = new WebSocket(`${edge.url.replace(/^http/, 'ws')}/t/alice`, {
      headers: { cookie: `${EDGE_SESSION_COOKIE}=${idToken}` },
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    cognito.calls.length = 0;

    const answer = await post('/_session/sign-out', { tenantId: 'alice' }, { cookie: `${REFRESH_COOKIE}=${refreshToken}` });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ signedOut: true, everywhere: true });
    expect(cognito.calls.map((c) => c.action)).toEqual(['InitiateAuth', 'RevokeToken']);
    expect(cognito.refreshTokens.has(refreshToken)).toBe(false);
    expect(setCookies(answer.headers)).toEqual(
      expect.arrayContaining([
        `${EDGE_SESSION_COOKIE}=; Path=/t/alice; Max-Age=0; HttpOnly; SameSite=Strict`,
        `${REFRESH_COOKIE}=; Path=/_session; Max-Age=0; HttpOnly; SameSite=Strict`,
        `${SIGNED_IN_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`,
      ]),
    );
    await closed;
    const replay = await httpGet(edge.url, '/t/alice/', { cookie: `${EDGE_SESSION_COOKIE}=${idToken}` });
    expect(replay.status).toBe(401);
    expect(JSON.parse(replay.body)).toEqual({ error: 'unauthenticated', reason: 'signed-out' });
    expect(gateway.received.filter((r) => !r.websocket)).toEqual([]);

    // A new sign-in (even within the same second) gets a token the edge accepts.
    const again = await signIn();
    expect((await httpGet(edge.url, '/t/alice/', { cookie: `${EDGE_SESSION_COOKIE}=${again.idToken}` })).status).toBe(200);
  });

  it('signs out a browser without a refresh cookie too (nothing to revoke), expiring what it names', async () => {
    const answer = await post('/_session/sign-out', { tenantId: 'alice' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ signedOut: true, everywhere: true });
    expect(cognito.calls).toEqual([]);
    expect(setCookies(answer.headers)).toContain(`${EDGE_SESSION_COOKIE}=; Path=/t/alice; Max-Age=0; HttpOnly; SameSite=Strict`);
  });

  it('says so when Cognito cannot be reached', async () => {
    const down = await startEdge({
      identity: { issuer: minter.context.issuer, audience: minter.context.audience, jwksUri: minter.jwksUri },
      resolveUpstream: () => undefined,
      authUi: {
        directory: os.tmpdir(),
        runtimeConfig: {
          region: 'local',
          userPoolId: 'p',
          clientId: minter.context.audience,
          origin: 'http://127.0.0.1',
          cognitoEndpoint: 'http://127.0.0.1:1',
        },
      },
    });
    try {
      const text = JSON.stringify({ email: 'alice@example.com', password: PASSWORD });
      const answer = await httpGet(
        down.url,
        '/_session/sign-in',
        { ...JSON_POST, [SESSION_BODY_HASH_HEADER]: await sessionBodyHash(text) },
        'POST',
        text,
      );
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'NetworkError' });
    } finally {
      await down.close();
    }
  });
});

describe('pages for browsers', () => {
  it("tells a signed-in user at someone else's or an unknown workspace that it is not theirs, linking to theirs", async () => {
    for (const p of ['/t/bob/', '/t/nobody-here/', '/t/Alice/']) {
      const answer = await httpGet(edge.url, p, { accept: 'text/html', cookie: `${SIGNED_IN_COOKIE}=alice` });
      expect(answer.status).toBe(403);
      expect(answer.body).toContain('<h1>This workspace is not yours</h1>');
      expect(answer.body).toContain('href="/t/alice/"');
      expect(answer.body).toContain('href="/t/alice/_platform/sign-out"');
    }
  });

  it('sends a signed-in browser whose workspace cookie expired through the auth UI to renew it, back to the same page', async () => {
    const answer = await httpGet(edge.url, '/t/alice/chat/main?session=1', { accept: 'text/html', cookie: `${SIGNED_IN_COOKIE}=alice` });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe(`/?next=${encodeURIComponent('/t/alice/chat/main?session=1')}`);
    // Not for script requests, not for other methods: those get the plain refusal.
    expect((await httpGet(edge.url, '/t/alice/api', { accept: 'application/json', cookie: `${SIGNED_IN_COOKIE}=alice` })).status).toBe(401);
    expect((await httpGet(edge.url, '/t/alice/api', { accept: 'text/html', cookie: `${SIGNED_IN_COOKIE}=alice` }, 'DELETE')).status).toBe(
      401,
    );
  });

  it('asks a browser without a session to sign in, for existing, unknown and invalid workspaces alike', async () => {
    for (const p of ['/t/alice/', '/t/nobody-here/', '/t/Alice/']) {
      const answer = await httpGet(edge.url, p, { accept: 'text/html' });
      expect(answer.status).toBe(401);
      expect(answer.body).toContain('<h1>Sign in required</h1>');
    }
  });

  it('signs out from inside the workspace: redirect to the auth UI, cookie expired, the token refused from then on', async () => {
    const { idToken } = await signIn();
    const answer = await httpGet(edge.url, '/t/alice/_platform/sign-out', { cookie: `${EDGE_SESSION_COOKIE}=${idToken}` });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/?signed-out=1');
    expect(setCookies(answer.headers)).toEqual([`${EDGE_SESSION_COOKIE}=; Path=/t/alice; Max-Age=0; HttpOnly; SameSite=Strict`]);
    expect((await httpGet(edge.url, '/t/alice/', { cookie: `${EDGE_SESSION_COOKIE}=${idToken}` })).status).toBe(401);
    expect(gateway.received).toEqual([]);
  });
});

describe('SignedOutUsers', () => {
  it('refuses tokens issued up to the sign-out second, not later ones, nor other users', () => {
    let now = 1_000_000;
    const list = new SignedOutUsers(() => now);
    const alice = EDGE_VECTOR_USERS.alice.sub;
    list.record(alice);
    expect(list.issuedBeforeSignOut({ sub: alice, iat: now - 10 })).toBe(true);
    expect(list.issuedBeforeSignOut({ sub: alice, iat: now })).toBe(true);
    expect(list.issuedBeforeSignOut({ sub: alice })).toBe(true);
    expect(list.issuedBeforeSignOut({ sub: alice, iat: now + 1 })).toBe(false);
    expect(list.issuedBeforeSignOut({ sub: EDGE_VECTOR_USERS.bob.sub, iat: now - 10 })).toBe(false);
    // Forgotten once no token it could match is alive any more (one day plus skew).
    now += 24 * 3600 + 61;
    list.record(EDGE_VECTOR_USERS.bob.sub);
    expect(list.issuedBeforeSignOut({ sub: alice, iat: 1_000_000 - 10 })).toBe(false);
  });
});
