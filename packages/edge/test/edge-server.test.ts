import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { EDGE_SESSION_COOKIE } from '@openclaw-tenancy/shared';
import { edgeVectorTenantOwner } from '@openclaw-tenancy/shared/testing';
import { MAX_SESSION_COOKIES, RunningEdge, TokenVerifier, createTokenVerifier, startEdge } from '../src';
import { FakeGateway, startFakeGateway } from './support/fake-gateway';
import { httpGet, websocketUpgrade } from './support/edge-client';
import { TokenMinter, startTokenMinter } from './support/token-minter';

const runtimeConfig = {
  region: 'local',
  userPoolId: 'local_EdgePool01',
  clientId: 'edgecontractclient000001',
  origin: 'http://127.0.0.1:8080',
  cognitoEndpoint: 'http://127.0.0.1:9229',
};

let minter: TokenMinter;
let gateway: FakeGateway;
let edge: RunningEdge;
let running: Set<string>;
const logLines: string[] = [];

beforeAll(async () => {
  minter = await startTokenMinter();
  gateway = await startFakeGateway();
  const site = mkdtempSync(path.join(os.tmpdir(), 'edge-site-'));
  writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>sign in</title>');
  writeFileSync(path.join(site, 'terms.html'), '<!doctype html><title>terms</title>');
  writeFileSync(path.join(site, 'privacy.html'), '<!doctype html><title>privacy</title>');
  writeFileSync(path.join(site, 'app.js'), 'console.log(1)');
  mkdirSync(path.join(site, 'nested'));
  running = new Set(['alice']);
  edge = await startEdge({
    identity: { issuer: minter.context.issuer, audience: minter.context.audience, jwksUri: minter.jwksUri },
    resolveUpstream: (tenantId) =>
      running.has(tenantId) ? { host: '127.0.0.1', port: gateway.port, owner: edgeVectorTenantOwner(tenantId) } : undefined,
    authUi: { directory: site, runtimeConfig },
    forwardedFor: '192.0.2.44',
    forwardedProto: 'https',
    log: (line) => logLines.push(line),
  });
});

afterAll(async () => {
  await edge.close();
  await gateway.close();
  await minter.close();
});

beforeEach(() => {
  gateway.received.length = 0;
  running = new Set(['alice']);
});

const cookie = (token: string): Record<string, string> => ({ cookie: `${EDGE_SESSION_COOKIE}=${token}` });

describe('token verification', () => {
  let verify: TokenVerifier;
  beforeAll(async () => {
    verify = await createTokenVerifier({ issuer: minter.context.issuer, audience: minter.context.audience, jwksUri: minter.jwksUri });
  });

  it.each([
    [{ user: 'alice', signing: 'alg-none' }, 'unsupported-algorithm'],
    [{ user: 'alice', signing: 'hs256-with-public-key' }, 'unsupported-algorithm'],
    [{ user: 'bob', signing: 'tampered-payload' }, 'bad-signature'],
    [{ user: 'alice', signing: 'foreign-key' }, 'bad-signature'],
    [{ user: 'alice', expiresInSeconds: -61 * 60 }, 'expired'],
    [{ user: 'alice', claims: { iss: 'https://evil.example/pool' } }, 'wrong-issuer'],
    [{ user: 'alice', tokenUse: 'access' }, 'wrong-audience'],
  ] as const)('reports %j as %s', async (recipe, failure) => {
    expect(await verify(await minter.mint(recipe))).toEqual({ ok: false, failure });
  });

  it('tolerates 60 s of clock skew, like Envoy', async () => {
    expect(await verify(await minter.mint({ user: 'alice', expiresInSeconds: -30 }))).toMatchObject({ ok: true });
  });

  it('reports garbage as malformed', async () => {
    expect(await verify('not.a.jwt')).toEqual({ ok: false, failure: 'malformed' });
  });
});

describe('edge behaviour beyond the vectors', () => {
  it('answers a browser without a session with a 401 page linking to sign-in, not a redirect', async () => {
    const answer = await httpGet(edge.url, '/t/alice/', { accept: 'text/html,application/xhtml+xml' });
    expect(answer.status).toBe(401);
    expect(answer.headers.location).toBeUndefined();
    expect(answer.body).toContain('href="/?next=%2Ft%2Falice%2F"');
  });

  it('answers 503 with a JSON body while the workspace is not running', async () => {
    running.clear();
    const answer = await httpGet(edge.url, '/t/alice/_platform/ready', cookie(await minter.mint({ user: 'alice' })));
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toMatchObject({ ready: false, error: 'workspace-starting' });
    expect(gateway.received).toEqual([]);
  });

  it('returns the gateway readiness body through the rewrite', async () => {
    const answer = await httpGet(edge.url, '/t/alice/_platform/ready', cookie(await minter.mint({ user: 'alice' })));
    expect(answer).toMatchObject({ status: 200 });
    expect(JSON.parse(answer.body)).toEqual({ ready: true, failing: [] });
  });

  it('uses the configured forwarded address and scheme', async () => {
    await httpGet(edge.url, '/t/alice/', cookie(await minter.mint({ user: 'alice' })));
    expect(gateway.received[0]!.headers['x-forwarded-for']).toEqual(['192.0.2.44']);
    expect(gateway.received[0]!.headers['x-forwarded-proto']).toEqual(['https']);
  });

  it('relays request bodies and response headers', async () => {
    const answer = await httpGet(
      edge.url,
      '/t/alice/api',
      { ...cookie(await minter.mint({ user: 'alice' })), 'content-type': 'application/json' },
      'POST',
      '{"a":1}',
    );
    expect(answer.status).toBe(200);
    expect(answer.headers['x-fake-gateway']).toBe('1');
    expect(gateway.received[0]).toMatchObject({ method: 'POST', body: '{"a":1}' });
  });

  it('carries WebSocket messages both ways after the upgrade', async () => {
    const answer = await websocketUpgrade(edge.url, '/t/alice', cookie(await minter.mint({ user: 'alice' })));
    const socket = answer.socket as WebSocket;
    await new Promise<void>((resolve) => (socket.readyState === WebSocket.OPEN ? resolve() : socket.once('open', () => resolve())));
    const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    socket.send('hello');
    expect(await reply).toBe('echo:hello');
    expect(gateway.openSockets()).toBe(1);
    // The browser goes away: the gateway side of the relay closes too.
    socket.terminate();
    for (let i = 0; i < 50 && gateway.openSockets() > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(gateway.openSockets()).toBe(0);
  });

  it('refuses when any of several session cookies does not grant the route', async () => {
    const alice = await minter.mint({ user: 'alice' });
    const bob = await minter.mint({ user: 'bob' });
    const answer = await httpGet(edge.url, '/t/alice/', { cookie: `${EDGE_SESSION_COOKIE}=${alice}; ${EDGE_SESSION_COOKIE}=${bob}` });
    expect(answer.status).toBe(403);
    expect(gateway.received).toEqual([]);
  });

  it(`refuses more than ${MAX_SESSION_COOKIES} session cookies without verifying them`, async () => {
    const tokens = await Promise.all(
      Array.from({ length: MAX_SESSION_COOKIES + 1 }, (_, i) => minter.mint({ user: 'alice', claims: { jti: `t${i}` } })),
    );
    const answer = await httpGet(edge.url, '/t/alice/', { cookie: tokens.map((t) => `${EDGE_SESSION_COOKIE}=${t}`).join('; ') });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual({ error: 'unauthenticated', reason: 'malformed' });
    expect(gateway.received).toEqual([]);
    const allowed = await httpGet(edge.url, '/t/alice/', {
      cookie: tokens
        .slice(0, MAX_SESSION_COOKIES)
        .map((t) => `${EDGE_SESSION_COOKIE}=${t}`)
        .join('; '),
    });
    expect(allowed.status).toBe(200);
  });

  it('never writes a token into its log', async () => {
    const token = await minter.mint({ user: 'bob' });
    await httpGet(edge.url, '/t/alice/', cookie(token));
    expect(logLines.join('\n')).toContain('refused GET /t/alice/… 403 wrong-tenant');
    expect(logLines.join('\n')).not.toContain(token.split('.')[1]);
  });
});

describe('auth UI site', () => {
  it.each([
    ['/', 'sign in'],
    ['/terms', 'terms'],
    ['/privacy', 'privacy'],
  ])('serves %s as a real page', async (page, title) => {
    const answer = await httpGet(edge.url, page, {});
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/text\/html/);
    expect(answer.headers['content-security-policy']).toContain("connect-src 'self' http://127.0.0.1:9229");
    expect(answer.body).toContain(`<title>${title}</title>`);
  });

  it('serves the generated runtime config uncached', async () => {
    const answer = await httpGet(edge.url, '/config.json', {});
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(answer.body)).toEqual(runtimeConfig);
  });

  it('serves assets with their type and 404s everything else', async () => {
    expect((await httpGet(edge.url, '/app.js', {})).headers['content-type']).toMatch(/javascript/);
    for (const p of ['/missing.html', '/nested', '/../package.json', '/%2e%2e/package.json', '/index.html/..%2f..%2fetc%2fpasswd']) {
      expect((await httpGet(edge.url, p, {})).status).toBe(404);
    }
  });

  it('does not serve the site on methods other than GET and HEAD', async () => {
    expect((await httpGet(edge.url, '/', {}, 'POST', 'x')).status).toBe(404);
  });
});

describe('identity provider outage', () => {
  it('answers 503, not 401, when the JWKS cannot be fetched', async () => {
    const broken = await startEdge({
      identity: { issuer: minter.context.issuer, audience: minter.context.audience, jwksUri: 'http://127.0.0.1:9/.well-known/jwks.json' },
      resolveUpstream: () => ({ host: '127.0.0.1', port: gateway.port, owner: edgeVectorTenantOwner('alice') }),
    });
    try {
      const answer = await httpGet(broken.url, '/t/alice/', cookie(await minter.mint({ user: 'alice' })));
      expect(answer.status).toBe(503);
      expect(gateway.received).toEqual([]);
    } finally {
      await broken.close();
    }
  });
});
