import {
  REFRESH_COOKIE,
  SESSION_PATH_PREFIX,
  authUiContentSecurityPolicy,
  authUiRuntimeConfigProblems,
  cognitoEndpointOf,
  sessionSetCookie,
} from '../src/auth-ui-contract';
import {
  OWNER_SCOPES_HEADER_VALUE,
  PROXY_WRITTEN_FORWARDING_HEADERS,
  TokenVerification,
  decideTenantRequest,
  forwardingHeadersExceptProxyWrittenPattern,
  isStrippedRequestHeader,
  rebuildUpstreamHeaders,
  requestFramingProblem,
  routeEdgeRequest,
  sessionTokensFromCookieHeader,
  withoutHopByHopHeaders,
} from '../src/edge-contract';
import {
  EDGE_TEST_VECTORS,
  EDGE_VECTOR_TENANTS,
  EDGE_VECTOR_USERS,
  EdgeTestVector,
  EdgeTokenRecipe,
  FORGED_CLIENT_HEADERS,
  edgeTokenClaims,
  edgeVectorTenantOwner,
  upstreamHeaderProblems,
} from '../src/testing';

const context = { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool00001', audience: 'clientid0000000000000001' };
const NOW = 1_800_000_000;

/**
 * What a correct verifier reports for a recipe, derived from the recipe's
 * meaning rather than from crypto: the vectors must be consistent with the
 * pure decision rules before any enforcer is tested against them.
 */
function idealVerification(recipe: EdgeTokenRecipe | undefined): TokenVerification {
  if (!recipe || (recipe.placement ?? 'cookie') !== 'cookie') return { ok: false, failure: 'missing' };
  const signing = recipe.signing ?? 'pool-key';
  if (signing === 'alg-none' || signing === 'hs256-with-public-key') return { ok: false, failure: 'unsupported-algorithm' };
  if (signing !== 'pool-key') return { ok: false, failure: 'bad-signature' };
  const claims = edgeTokenClaims(recipe, context, NOW);
  if (claims['iss'] !== context.issuer) return { ok: false, failure: 'wrong-issuer' };
  if (Number(claims['exp']) + 60 < NOW) return { ok: false, failure: 'expired' };
  if (claims['aud'] !== context.audience) return { ok: false, failure: 'wrong-audience' };
  return { ok: true, claims };
}

describe('routeEdgeRequest', () => {
  it.each([
    ['/t/alice/', { kind: 'tenant', tenantId: 'alice', upstreamPath: '/t/alice/' }],
    ['/t/alice', { kind: 'tenant', tenantId: 'alice', upstreamPath: '/t/alice' }],
    ['/t/alice/chat?x=1', { kind: 'tenant', tenantId: 'alice', upstreamPath: '/t/alice/chat?x=1' }],
    ['/t/alice/_platform/ready', { kind: 'tenant', tenantId: 'alice', upstreamPath: '/readyz' }],
    ['/t/alice/_platform/ready?x=1', { kind: 'tenant', tenantId: 'alice', upstreamPath: '/readyz' }],
    ['/t/alice/x/../_platform/ready', { kind: 'tenant', tenantId: 'alice', upstreamPath: '/readyz' }],
    ['/t/alice/%2E%2E/bob/', { kind: 'tenant', tenantId: 'bob', upstreamPath: '/t/bob/' }],
    ['/t/../x', { kind: 'outside-tenant-routes', path: '/x' }],
    ['//evil.example/t/alice/', { kind: 'outside-tenant-routes', path: '//evil.example/t/alice/' }],
    ['/terms', { kind: 'outside-tenant-routes', path: '/terms' }],
    ['/tx', { kind: 'outside-tenant-routes', path: '/tx' }],
    ['/t/', { kind: 'invalid-tenant-path', path: '/t/' }],
    ['/t', { kind: 'invalid-tenant-path', path: '/t' }],
    ['/t/Alice/', { kind: 'invalid-tenant-path', path: '/t/Alice/' }],
    ['/t/admin/', { kind: 'invalid-tenant-path', path: '/t/admin/' }],
  ])('%s', (path, expected) => {
    expect(routeEdgeRequest(path)).toEqual(expected);
  });

  it('does not mistake the readiness suffix of another tenant or a deeper path', () => {
    expect(routeEdgeRequest('/t/alice/_platform/ready/x')).toEqual({
      kind: 'tenant',
      tenantId: 'alice',
      upstreamPath: '/t/alice/_platform/ready/x',
    });
  });
});

describe('decideTenantRequest', () => {
  const route = routeEdgeRequest('/t/alice/');
  const claims = edgeTokenClaims({ user: 'alice' }, context, NOW);

  it('forwards a genuine ID token of the tenant with its sub as identity', () => {
    expect(decideTenantRequest(route, { ok: true, claims }, EDGE_VECTOR_USERS.alice.sub)).toEqual({
      action: 'forward',
      tenantId: 'alice',
      upstreamPath: '/t/alice/',
      identity: EDGE_VECTOR_USERS.alice.sub,
    });
  });

  it('answers 401 for every authentication failure except the audience, which is 403 as in Envoy', () => {
    for (const failure of [
      'missing',
      'malformed',
      'unsupported-algorithm',
      'bad-signature',
      'wrong-issuer',
      'expired',
      'not-yet-valid',
    ] as const) {
      expect(decideTenantRequest(route, { ok: false, failure }, EDGE_VECTOR_USERS.alice.sub)).toMatchObject({
        action: 'refuse',
        status: 401,
        reason: failure,
      });
    }
    expect(decideTenantRequest(route, { ok: false, failure: 'wrong-audience' }, EDGE_VECTOR_USERS.alice.sub)).toMatchObject({
      status: 403,
    });
  });

  it('refuses a token without sub, of another use, without or with another tenant claim', () => {
    expect(decideTenantRequest(route, { ok: true, claims: { ...claims, sub: '' } }, EDGE_VECTOR_USERS.alice.sub)).toMatchObject({
      status: 401,
      reason: 'missing-subject',
    });
    expect(decideTenantRequest(route, { ok: true, claims: { ...claims, token_use: 'access' } }, EDGE_VECTOR_USERS.alice.sub)).toMatchObject(
      { status: 403, reason: 'not-an-id-token' },
    );
    expect(
      decideTenantRequest(route, { ok: true, claims: { ...claims, 'custom:tenant_id': undefined } }, EDGE_VECTOR_USERS.alice.sub),
    ).toMatchObject({ status: 403, reason: 'missing-tenant-claim' });
    expect(
      decideTenantRequest(route, { ok: true, claims: { ...claims, 'custom:tenant_id': 'bob' } }, EDGE_VECTOR_USERS.alice.sub),
    ).toMatchObject({ status: 403, reason: 'wrong-tenant' });
  });

  it("answers 404 only outside /t; an invalid tenant path is refused like a tenant that is not the caller's", () => {
    expect(decideTenantRequest(routeEdgeRequest('/x'), { ok: true, claims }, undefined)).toMatchObject({ status: 404 });
    expect(decideTenantRequest(routeEdgeRequest('/t/Alice/'), { ok: true, claims }, undefined)).toMatchObject({
      status: 403,
      reason: 'wrong-tenant',
    });
    expect(decideTenantRequest(routeEdgeRequest('/t/Alice/'), { ok: false, failure: 'missing' }, undefined)).toMatchObject({ status: 401 });
    expect(decideTenantRequest(routeEdgeRequest('/t/'), { ok: false, failure: 'bad-signature' }, undefined)).toMatchObject({ status: 401 });
  });

  it("refuses a genuine token of the tenant's claim whose sub is not the registry owner", () => {
    expect(decideTenantRequest(route, { ok: true, claims }, EDGE_VECTOR_USERS.bob.sub)).toMatchObject({
      status: 403,
      reason: 'not-the-owner',
    });
  });

  it('applies the claim checks when the route has no owner yet, and forwards for the caller to answer "not there yet"', () => {
    expect(decideTenantRequest(route, { ok: true, claims: { ...claims, 'custom:tenant_id': 'bob' } }, undefined)).toMatchObject({
      status: 403,
      reason: 'wrong-tenant',
    });
    expect(decideTenantRequest(route, { ok: true, claims }, undefined)).toMatchObject({ action: 'forward' });
  });
});

describe('header rules', () => {
  it('strips identity, forwarding and credential headers case-insensitively', () => {
    for (const name of [
      'X-OpenClaw-User',
      'x-openclaw-scopes',
      'X-Forwarded-For',
      'x-forwarded-proto',
      'Forwarded',
      'X-Real-IP',
      'Cookie',
      'authorization',
    ]) {
      expect(isStrippedRequestHeader(name)).toBe(true);
    }
    for (const name of ['host', 'origin', 'upgrade', 'connection', 'sec-websocket-key', 'accept'])
      expect(isStrippedRequestHeader(name)).toBe(false);
  });

  it('rebuilds the identity and forwarding headers and keeps the rest', () => {
    const out = rebuildUpstreamHeaders(
      { host: 'edge:8080', Origin: 'http://edge:8080', cookie: 'openclaw_session=t', ...FORGED_CLIENT_HEADERS, upgrade: 'websocket' },
      { identity: 'sub-1', forwardedFor: '203.0.113.7', forwardedProto: 'http' },
    );
    expect(out).toEqual({
      host: 'edge:8080',
      origin: 'http://edge:8080',
      'x-openclaw-user': 'sub-1',
      'x-openclaw-scopes': 'operator.read,operator.write,operator.approvals,operator.questions',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'http',
    });
  });

  it('drops hop-by-hop headers and the headers Connection names before the rebuilt ones are set', () => {
    const out = rebuildUpstreamHeaders(
      {
        host: 'h',
        Connection: ['keep-alive, X-OpenClaw-Scopes', 'x-openclaw-user, x-nominated'],
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'x-custom': 'kept',
        'x-nominated': 'gone',
        upgrade: 'websocket',
      },
      { identity: 'sub-1', forwardedFor: '203.0.113.7', forwardedProto: 'https' },
    );
    expect(out).toEqual({
      host: 'h',
      'x-custom': 'kept',
      'x-openclaw-user': 'sub-1',
      'x-openclaw-scopes': OWNER_SCOPES_HEADER_VALUE,
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'https',
    });
    expect(withoutHopByHopHeaders({ connection: 'x-nominated', 'x-nominated': '1', 'x-other': '2' })).toEqual({ 'x-other': '2' });
  });

  it('reads every session cookie value, ignoring look-alike names', () => {
    expect(sessionTokensFromCookieHeader('a=1; openclaw_session=abc; xopenclaw_session=no; openclaw_session=def')).toEqual(['abc', 'def']);
    expect(sessionTokensFromCookieHeader(undefined)).toEqual([]);
    expect(sessionTokensFromCookieHeader(['openclaw_session=x=y'])).toEqual(['x=y']);
  });
});

describe('edgeTokenClaims', () => {
  it('shapes ID and access tokens like Cognito', () => {
    const id = edgeTokenClaims({ user: 'bob' }, context, NOW);
    expect(id).toMatchObject({
      sub: EDGE_VECTOR_USERS.bob.sub,
      aud: context.audience,
      token_use: 'id',
      'custom:tenant_id': 'bob',
      iss: context.issuer,
      exp: NOW + 3600,
    });
    const access = edgeTokenClaims({ user: 'bob', tokenUse: 'access' }, context, NOW);
    expect(access).toMatchObject({ client_id: context.audience, token_use: 'access' });
    expect(access).not.toHaveProperty('aud');
    expect(access).not.toHaveProperty('custom:tenant_id');
  });

  it('applies overrides and deletions', () => {
    const claims = edgeTokenClaims({ user: 'alice', claims: { 'custom:tenant_id': null, iss: 'x' }, expiresInSeconds: -5 }, context, NOW);
    expect(claims).not.toHaveProperty('custom:tenant_id');
    expect(claims['iss']).toBe('x');
    expect(claims['exp']).toBe(NOW - 5);
  });
});

describe('test vectors', () => {
  it('have unique names and only reference known tenants and users', () => {
    const names = EDGE_TEST_VECTORS.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    for (const v of EDGE_TEST_VECTORS) {
      if (v.request.token) expect(Object.keys(EDGE_VECTOR_USERS)).toContain(v.request.token.user);
    }
    expect(EDGE_VECTOR_TENANTS).toEqual(expect.arrayContaining(Object.values(EDGE_VECTOR_USERS).map((u) => u.tenantId)));
  });

  it('cover every attack the issue lists', () => {
    const names = EDGE_TEST_VECTORS.map((v) => v.name).join('\n');
    for (const word of [
      'expired',
      'wrong issuer',
      'wrong audience',
      'access token',
      'tampered',
      'wrong tenant claim',
      'does not own it',
      'missing tenant claim',
      'alg none',
      'HS256',
      'injected',
      'Connection header',
      'WebSocket upgrade',
      'traversal',
      'alice-2',
      'uppercase',
      'readiness',
    ]) {
      expect(names).toContain(word);
    }
  });

  it.each(EDGE_TEST_VECTORS.map((v) => [v.name, v] as const))('agree with the pure rules: %s', (_name, vector: EdgeTestVector) => {
    const route = routeEdgeRequest(vector.request.path);
    const known = route.kind === 'tenant' && EDGE_VECTOR_TENANTS.includes(route.tenantId);
    const decision = decideTenantRequest(
      route,
      idealVerification(vector.request.token),
      known ? edgeVectorTenantOwner(route.tenantId) : undefined,
    );
    if (vector.expected.outcome === 'forwarded') {
      expect(decision).toEqual({
        action: 'forward',
        tenantId: expect.any(String),
        upstreamPath: vector.expected.upstreamPath,
        identity: vector.expected.identity,
      });
    } else {
      expect(decision).toMatchObject({ action: 'refuse', status: vector.expected.status });
    }
  });
});

describe('upstreamHeaderProblems', () => {
  const vector = EDGE_TEST_VECTORS.find((v) => v.name.startsWith('injected identity and forwarding'))!;

  it('accepts rebuilt headers', () => {
    const received = rebuildUpstreamHeaders(
      { host: 'h', ...FORGED_CLIENT_HEADERS },
      { identity: EDGE_VECTOR_USERS.alice.sub, forwardedFor: '203.0.113.7', forwardedProto: 'http' },
    );
    expect(upstreamHeaderProblems(vector, received)).toEqual([]);
  });

  it('accepts an appended x-forwarded-for whose last entry the enforcer wrote (Envoy style)', () => {
    const received = {
      'x-openclaw-user': EDGE_VECTOR_USERS.alice.sub,
      'x-openclaw-scopes': OWNER_SCOPES_HEADER_VALUE,
      'x-forwarded-for': '198.51.100.9, 10.0.3.4',
      'x-forwarded-proto': 'https',
    };
    expect(upstreamHeaderProblems(vector, received)).toEqual([]);
  });

  it('flags an appended identity, a leaked cookie, a forged scope and a forged attribution', () => {
    const problems = upstreamHeaderProblems(vector, {
      'x-openclaw-user': ['mallory-sub', EDGE_VECTOR_USERS.alice.sub],
      cookie: 'openclaw_session=t',
      'x-openclaw-scopes': 'operator.admin',
      'x-forwarded-for': '198.51.100.9',
    });
    expect(problems.join('\n')).toMatch(/x-openclaw-user should be exactly/);
    expect(problems.join('\n')).toMatch(/cookie must not reach/);
    expect(problems.join('\n')).toMatch(
      /x-openclaw-scopes should be exactly \[operator.read,operator.write,operator.approvals,operator.questions\], got \["operator.admin"\]/,
    );
    expect(problems.join('\n')).toMatch(/x-forwarded-proto is required/);
    expect(problems.join('\n')).toMatch(/ends with the client's forged value/);
  });
});

describe('auth UI runtime config', () => {
  const good = {
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_Pool00001',
    clientId: 'clientid0000000000000001',
    origin: 'https://ai.example.com',
  };

  it('accepts a complete config, with or without a cognito endpoint', () => {
    expect(authUiRuntimeConfigProblems(good)).toEqual([]);
    expect(authUiRuntimeConfigProblems({ ...good, cognitoEndpoint: 'http://127.0.0.1:9229' })).toEqual([]);
    expect(cognitoEndpointOf(good)).toBe('https://cognito-idp.eu-west-1.amazonaws.com/');
    expect(cognitoEndpointOf({ ...good, cognitoEndpoint: 'http://127.0.0.1:9229/' })).toBe('http://127.0.0.1:9229/');
  });

  it('fails if a key is missing, unknown, or an origin has a path', () => {
    expect(authUiRuntimeConfigProblems({ ...good, clientId: '' })).toEqual(['clientId is missing']);
    expect(authUiRuntimeConfigProblems({ ...good, domain: 'x' })).toEqual(['unknown keys: domain']);
    expect(authUiRuntimeConfigProblems({ ...good, origin: 'https://a.example/x' })[0]).toMatch(/origin must be an http\(s\) origin/);
    expect(authUiRuntimeConfigProblems([])).toEqual(['config.json must be a JSON object']);
  });
});

describe('requestFramingProblem', () => {
  it.each<[string, string, Record<string, string | string[]>, string | undefined]>([
    ['a POST with Content-Length', 'POST', { 'content-length': '7' }, undefined],
    ['a chunked POST', 'POST', { 'transfer-encoding': 'chunked' }, undefined],
    ['a GET without a body', 'GET', {}, undefined],
    ['a GET with Content-Length: 0', 'GET', { 'content-length': '0' }, undefined],
    [
      'Transfer-Encoding with Content-Length',
      'POST',
      { 'transfer-encoding': 'chunked', 'content-length': '4' },
      'content-length-with-transfer-encoding',
    ],
    ['a coding other than chunked', 'POST', { 'transfer-encoding': 'gzip, chunked' }, 'unsupported-transfer-encoding'],
    ['two different Content-Lengths', 'POST', { 'content-length': ['4', '5'] }, 'invalid-content-length'],
    ['a negative Content-Length', 'POST', { 'content-length': '-1' }, 'invalid-content-length'],
    ['a body on GET', 'GET', { 'content-length': '12' }, 'body-on-bodyless-method'],
    ['a chunked body on DELETE', 'delete', { 'transfer-encoding': 'chunked' }, 'body-on-bodyless-method'],
  ])('%s', (_name, method, headers, problem) => {
    expect(requestFramingProblem(method, headers)).toBe(problem);
  });

  it('keeps framing headers a Connection header names', () => {
    expect(withoutHopByHopHeaders({ 'content-length': '3', connection: 'content-length, x-other', 'x-other': '1', host: 'h' })).toEqual({
      'content-length': '3',
      host: 'h',
    });
  });
});

describe('forwardingHeadersExceptProxyWrittenPattern', () => {
  const matches = (name: string) => new RegExp(`^(?:${forwardingHeadersExceptProxyWrittenPattern()})$`).test(name);
  it.each([
    'x-forwarded-host',
    'x-forwarded-port',
    'x-forwarded-',
    'x-forwarded-f',
    'x-forwarded-fo',
    'x-forwarded-fort',
    'x-forwarded-prot',
    'x-forwarded-protocol',
    'x-forwarded-for2',
  ])('removes %s', (name) => {
    expect(matches(name)).toBe(true);
  });
  it.each([...PROXY_WRITTEN_FORWARDING_HEADERS, 'x-openclaw-user', 'forwarded'])('keeps %s', (name) => {
    expect(matches(name)).toBe(false);
  });
});

describe('session cookies', () => {
  it('are HttpOnly, SameSite=Strict and path-scoped, Secure on https', () => {
    expect(sessionSetCookie('openclaw_session', 'a.b-c_d', { path: '/t/alice', maxAgeSeconds: 60, secure: true })).toBe(
      'openclaw_session=a.b-c_d; Path=/t/alice; Max-Age=60; HttpOnly; SameSite=Strict; Secure',
    );
    expect(sessionSetCookie(REFRESH_COOKIE, '', { path: SESSION_PATH_PREFIX, maxAgeSeconds: 0, secure: false })).toBe(
      'openclaw_refresh=; Path=/_session; Max-Age=0; HttpOnly; SameSite=Strict',
    );
  });

  it.each<[string, string, { path: string; maxAgeSeconds: number }, RegExp]>([
    ['a value that would inject an attribute', 'x; Domain=evil.example', { path: '/', maxAgeSeconds: 1 }, /must be a token/],
    ['a relative path', 'x', { path: 't/alice', maxAgeSeconds: 1 }, /absolute path/],
    ['a path with an attribute', 'x', { path: '/t/alice; Domain=evil', maxAgeSeconds: 1 }, /absolute path/],
    ['a negative Max-Age', 'x', { path: '/', maxAgeSeconds: -1 }, /Max-Age/],
  ])('fails for %s', (_name, value, options, message) => {
    expect(() => sessionSetCookie('c', value, { ...options, secure: false })).toThrow(message);
  });
});

describe('authUiContentSecurityPolicy', () => {
  it('allows only the site itself and the Cognito origin', () => {
    const csp = authUiContentSecurityPolicy('https://cognito-idp.eu-west-1.amazonaws.com');
    expect(csp).toContain("connect-src 'self' https://cognito-idp.eu-west-1.amazonaws.com");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('fails for an origin with a path or without a scheme', () => {
    expect(() => authUiContentSecurityPolicy('https://cognito-idp.eu-west-1.amazonaws.com/')).toThrow(/scheme:\/\/host/);
    expect(() => authUiContentSecurityPolicy('cognito-idp.eu-west-1.amazonaws.com')).toThrow(/scheme:\/\/host/);
  });
});
