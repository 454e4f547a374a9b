/**
 * Test vectors of the edge contract (`../edge-contract.ts`): each request, the
 * token it carries and what a correct enforcer does with it. The local edge
 * and the Envoy policy analysis both run every vector; weakened enforcers
 * must fail at least one.
 */
import { HeaderBag, OWNER_SCOPES_HEADER_VALUE, PROXY_WRITTEN_FORWARDING_HEADERS, headerValues } from '../edge-contract';
import { IDENTITY_HEADER, SCOPES_HEADER, TENANT_ID_CLAIM } from '../names';
/** Users the vectors sign tokens for. `sub`s are fixed so expected identities are literal. */
export const EDGE_VECTOR_USERS = {
  alice: { sub: '5f0c8a51-0a6e-4d1c-9d34-a11ce0000001', tenantId: 'alice' },
  bob: { sub: '5f0c8a51-0a6e-4d1c-9d34-b0b000000002', tenantId: 'bob' },
  alice2: { sub: '5f0c8a51-0a6e-4d1c-9d34-a11ce0000002', tenantId: 'alice-2' },
} as const;
export type EdgeVectorUser = keyof typeof EDGE_VECTOR_USERS;

/** Tenants that must exist (have a route / upstream) for the vectors. */
export const EDGE_VECTOR_TENANTS: readonly string[] = ['alice', 'bob', 'alice-2'];

/** The registry owner (`sub`) of each vector tenant: the user of the same tenant id. */
export function edgeVectorTenantOwner(tenantId: string): string {
  const user = Object.values(EDGE_VECTOR_USERS).find((u) => u.tenantId === tenantId);
  if (!user) throw new Error(`${tenantId} is not a vector tenant (${EDGE_VECTOR_TENANTS.join(', ')})`);
  return user.sub;
}

/**
 * How the test mints a token: `pool-key` signs with the pool's RS256 key;
 * the others are the attacks a forger can mount without that key.
 * `tampered-payload` is a genuine token of `user` whose payload was edited to
 * alice's `sub` and tenant, signature kept.
 */
export type EdgeTokenSigning = 'pool-key' | 'tampered-payload' | 'foreign-key' | 'alg-none' | 'hs256-with-public-key';

export interface EdgeTokenRecipe {
  readonly user: EdgeVectorUser;
  /** Cognito issues both; only the ID token is acceptable. @default 'id' */
  readonly tokenUse?: 'id' | 'access';
  /** Claim overrides on top of a genuine token; `null` deletes the claim. */
  readonly claims?: Readonly<Record<string, string | number | null>>;
  /** @default 3600 (Cognito's default ID token lifetime) */
  readonly expiresInSeconds?: number;
  /** @default 'pool-key' */
  readonly signing?: EdgeTokenSigning;
  /** @default 'cookie' */
  readonly placement?: 'cookie' | 'authorization-bearer' | 'query-access-token';
}

export interface EdgeVectorRequest {
  /** Path and query as sent on the request line. */
  readonly path: string;
  readonly websocket?: boolean;
  readonly token?: EdgeTokenRecipe;
  /** Extra headers the client sends (the forgery attempts). */
  readonly headers?: Readonly<Record<string, string>>;
}

export type EdgeVectorExpectation =
  | { readonly outcome: 'forwarded'; readonly upstreamPath: string; readonly identity: string }
  | { readonly outcome: 'refused'; readonly status: 401 | 403 | 404 };

export interface EdgeTestVector {
  readonly name: string;
  readonly request: EdgeVectorRequest;
  readonly expected: EdgeVectorExpectation;
}

const alice = EDGE_VECTOR_USERS.alice;
const forwardedAsAlice = (upstreamPath: string): EdgeVectorExpectation => ({ outcome: 'forwarded', upstreamPath, identity: alice.sub });
const refused = (status: 401 | 403 | 404): EdgeVectorExpectation => ({ outcome: 'refused', status });
const aliceToken: EdgeTokenRecipe = { user: 'alice' };

/** Headers a client forges; none of their values may reach the gateway in a trusted position. */
export const FORGED_CLIENT_HEADERS: Readonly<Record<string, string>> = {
  'x-openclaw-user': 'mallory-sub',
  'x-openclaw-scopes': 'operator.admin',
  'x-forwarded-for': '198.51.100.9',
  'x-forwarded-host': 'evil.example',
  forwarded: 'for=198.51.100.10;proto=https',
  'x-real-ip': '198.51.100.11',
  'x-forwarded-port': 'forged-port-65001',
  'x-forwarded-prefix': '/forged-prefix',
  'x-forwarded-server': 'forged-server.example',
  'x-forwarded-user': 'forged-user',
  'x-forwarded-email': 'forged@evil.example',
  'x-forwarded-protocol': 'forged-protocol',
  'x-forwarded-fort': 'forged-fort',
  'x-forwarded-prot': 'forged-prot',
};

export const EDGE_TEST_VECTORS: readonly EdgeTestVector[] = [
  { name: 'valid ID token, HTTP', request: { path: '/t/alice/', token: aliceToken }, expected: forwardedAsAlice('/t/alice/') },
  {
    name: 'valid ID token, deep path with query',
    request: { path: '/t/alice/chat/main?session=1', token: aliceToken },
    expected: forwardedAsAlice('/t/alice/chat/main?session=1'),
  },
  {
    name: 'valid ID token, WebSocket upgrade',
    request: { path: '/t/alice', websocket: true, token: aliceToken },
    expected: forwardedAsAlice('/t/alice'),
  },
  {
    name: 'readiness path is rewritten to /readyz',
    request: { path: '/t/alice/_platform/ready', token: aliceToken },
    expected: forwardedAsAlice('/readyz'),
  },
  { name: 'readiness path without token', request: { path: '/t/alice/_platform/ready' }, expected: refused(401) },
  {
    name: "workspace icon (owner-only in OpenClaw) is answered with the Control UI's icon",
    request: { path: '/t/alice/__openclaw__/workspace-icon/agent%3Amain%3Amain', token: aliceToken },
    expected: forwardedAsAlice('/t/alice/favicon.svg'),
  },
  { name: 'workspace icon without token', request: { path: '/t/alice/__openclaw__/workspace-icon/x' }, expected: refused(401) },
  { name: 'no token, HTTP', request: { path: '/t/alice/' }, expected: refused(401) },
  { name: 'no token, WebSocket upgrade', request: { path: '/t/alice', websocket: true }, expected: refused(401) },
  { name: 'expired token', request: { path: '/t/alice/', token: { user: 'alice', expiresInSeconds: -600 } }, expected: refused(401) },
  {
    name: 'wrong issuer',
    request: {
      path: '/t/alice/',
      token: { user: 'alice', claims: { iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Forged0001' } },
    },
    expected: refused(401),
  },
  {
    name: 'wrong audience',
    request: { path: '/t/alice/', token: { user: 'alice', claims: { aud: 'someotherclientid000000001' } } },
    expected: refused(403),
  },
  {
    name: 'access token instead of ID token',
    request: { path: '/t/alice/', token: { user: 'alice', tokenUse: 'access' } },
    expected: refused(403),
  },
  {
    name: 'tampered payload (signature no longer matches)',
    request: { path: '/t/alice/', token: { user: 'bob', signing: 'tampered-payload' } },
    expected: refused(401),
  },
  {
    name: 'signed by a foreign RSA key with the pool key id',
    request: { path: '/t/alice/', token: { user: 'alice', signing: 'foreign-key' } },
    expected: refused(401),
  },
  { name: 'alg none', request: { path: '/t/alice/', token: { user: 'alice', signing: 'alg-none' } }, expected: refused(401) },
  {
    name: 'HS256 with the public key as secret',
    request: { path: '/t/alice/', token: { user: 'alice', signing: 'hs256-with-public-key' } },
    expected: refused(401),
  },
  { name: "another tenant's token (wrong tenant claim)", request: { path: '/t/alice/', token: { user: 'bob' } }, expected: refused(403) },
  {
    name: "a genuine token naming alice's tenant for a user who does not own it (stale or mis-set attribute)",
    request: { path: '/t/alice/', token: { user: 'bob', claims: { [TENANT_ID_CLAIM]: 'alice' } } },
    expected: refused(403),
  },
  {
    name: 'missing tenant claim',
    request: { path: '/t/alice/', token: { user: 'alice', claims: { [TENANT_ID_CLAIM]: null } } },
    expected: refused(403),
  },
  {
    name: 'wrong token_use claim',
    request: { path: '/t/alice/', token: { user: 'alice', claims: { token_use: 'access' } } },
    expected: refused(403),
  },
  {
    name: 'injected identity and forwarding headers with a valid token',
    request: { path: '/t/alice/', token: aliceToken, headers: FORGED_CLIENT_HEADERS },
    expected: forwardedAsAlice('/t/alice/'),
  },
  {
    name: 'injected identity headers on a WebSocket upgrade with a valid token',
    request: { path: '/t/alice', websocket: true, token: aliceToken, headers: FORGED_CLIENT_HEADERS },
    expected: forwardedAsAlice('/t/alice'),
  },
  {
    name: 'Connection header naming the identity, scopes and forwarding headers with a valid token',
    request: {
      path: '/t/alice/',
      token: aliceToken,
      headers: { connection: 'keep-alive, x-openclaw-scopes, x-openclaw-user, x-forwarded-for, x-forwarded-proto' },
    },
    expected: forwardedAsAlice('/t/alice/'),
  },
  {
    name: 'Connection header naming the scopes header on a WebSocket upgrade with a valid token',
    request: {
      path: '/t/alice',
      websocket: true,
      token: aliceToken,
      headers: { connection: 'Upgrade, x-openclaw-scopes, x-openclaw-user' },
    },
    expected: forwardedAsAlice('/t/alice'),
  },
  {
    name: 'injected identity headers without a token',
    request: { path: '/t/alice/', headers: { ...FORGED_CLIENT_HEADERS, 'x-openclaw-user': alice.sub } },
    expected: refused(401),
  },
  {
    name: 'token in Authorization header instead of the cookie',
    request: { path: '/t/alice/', token: { user: 'alice', placement: 'authorization-bearer' } },
    expected: refused(401),
  },
  {
    name: 'token in access_token query parameter',
    request: { path: '/t/alice/', token: { user: 'alice', placement: 'query-access-token' } },
    expected: refused(401),
  },
  { name: 'path traversal /t/../x', request: { path: '/t/../x', token: aliceToken }, expected: refused(404) },
  { name: 'encoded traversal from alice to bob', request: { path: '/t/alice/%2e%2e/bob/', token: aliceToken }, expected: refused(403) },
  { name: "/t/alice-2/ with alice's token", request: { path: '/t/alice-2/', token: aliceToken }, expected: refused(403) },
  { name: "alice-2's token at /t/alice/", request: { path: '/t/alice/', token: { user: 'alice2' } }, expected: refused(403) },
  { name: 'uppercase tenant id', request: { path: '/t/Alice/', token: aliceToken }, expected: refused(403) },
  { name: 'uppercase tenant id without a token', request: { path: '/t/Alice/' }, expected: refused(401) },
  { name: 'bare /t/', request: { path: '/t/', token: aliceToken }, expected: refused(403) },
  { name: 'bare /t/ without a token', request: { path: '/t/' }, expected: refused(401) },
  // Enumeration: a tenant that does not exist answers exactly like one that does but is not the caller's.
  { name: 'unknown tenant without a token (as an existing one: 401)', request: { path: '/t/nobody-here/' }, expected: refused(401) },
  {
    name: 'unknown tenant with a valid token (as an existing one: 403)',
    request: { path: '/t/nobody-here/', token: aliceToken },
    expected: refused(403),
  },
  {
    name: 'unknown tenant WebSocket upgrade without a token',
    request: { path: '/t/nobody-here', websocket: true },
    expected: refused(401),
  },
  {
    name: "existing tenant with another tenant's valid token (as an unknown one: 403)",
    request: { path: '/t/bob/', token: aliceToken },
    expected: refused(403),
  },
  { name: 'path outside tenant routes', request: { path: '/wp-admin/setup.php', token: aliceToken }, expected: refused(404) },
];

/**
 * A request whose framing a smuggling attack relies on: the body holds a
 * complete second request (`SMUGGLED_REQUEST`) that asks for admin scopes.
 * Every one carries alice's valid session cookie, so authentication is never
 * what stops it.
 */
export interface EdgeFramingVector {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  /** Header lines in order, exactly as sent (the test adds `host` and the session cookie). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Everything after the header block, chunk syntax included. */
  readonly body: string;
  /**
   * What a proxy that frames correctly does: `refused` (400, nothing relayed)
   * where the framing itself is ambiguous; `refused-or-reframed` where a
   * proxy may either refuse (the local edge does) or relay exactly one
   * request with the body re-framed (Envoy's codec does).
   */
  readonly expected: 'refused' | 'refused-or-reframed';
}

/** The request an attacker hides in a body; `x-openclaw-scopes: operator.admin` from the edge's own address. */
export const SMUGGLED_REQUEST =
  'GET /t/alice/smuggled HTTP/1.1\r\nhost: gateway\r\nx-openclaw-user: mallory-sub\r\nx-openclaw-scopes: operator.admin\r\n\r\n';

const chunked = (payload: string): string => `${payload.length.toString(16)}\r\n${payload}\r\n0\r\n\r\n`;

export const EDGE_FRAMING_VECTORS: readonly EdgeFramingVector[] = [
  {
    name: 'Transfer-Encoding and Content-Length together (CL.TE / TE.CL)',
    method: 'POST',
    path: '/t/alice/api',
    headers: [
      ['content-length', '4'],
      ['transfer-encoding', 'chunked'],
    ],
    body: `0\r\n\r\n${SMUGGLED_REQUEST}`,
    expected: 'refused',
  },
  {
    name: 'chunked body on GET',
    method: 'GET',
    path: '/t/alice/',
    headers: [['transfer-encoding', 'chunked']],
    body: chunked(SMUGGLED_REQUEST),
    expected: 'refused-or-reframed',
  },
  {
    name: 'chunked body on DELETE',
    method: 'DELETE',
    path: '/t/alice/api',
    headers: [['transfer-encoding', 'chunked']],
    body: chunked(SMUGGLED_REQUEST),
    expected: 'refused-or-reframed',
  },
  {
    name: 'chunked body on OPTIONS',
    method: 'OPTIONS',
    path: '/t/alice/',
    headers: [['transfer-encoding', 'chunked']],
    body: chunked(SMUGGLED_REQUEST),
    expected: 'refused-or-reframed',
  },
  {
    name: 'Content-Length body on GET with Connection naming content-length',
    method: 'GET',
    path: '/t/alice/',
    headers: [
      ['content-length', String(SMUGGLED_REQUEST.length)],
      ['connection', 'content-length'],
    ],
    body: SMUGGLED_REQUEST,
    expected: 'refused-or-reframed',
  },
  {
    name: 'Content-Length body on GET',
    method: 'GET',
    path: '/t/alice/',
    headers: [['content-length', String(SMUGGLED_REQUEST.length)]],
    body: SMUGGLED_REQUEST,
    expected: 'refused-or-reframed',
  },
];

/** Issuer and audience the vectors' genuine tokens carry (each enforcer test supplies its own). */
export interface EdgeTokenContext {
  readonly issuer: string;
  readonly audience: string;
}

/**
 * The claims of the token a recipe describes, shaped like Cognito's: an ID
 * token has `aud` = client id and `token_use: id`; an access token has no
 * `aud`, a `client_id` and `token_use: access`.
 */
export function edgeTokenClaims(recipe: EdgeTokenRecipe, context: EdgeTokenContext, nowSeconds: number): Record<string, string | number> {
  const user = EDGE_VECTOR_USERS[recipe.user];
  const lifetime = recipe.expiresInSeconds ?? 3600;
  const common = { sub: user.sub, iss: context.issuer, iat: nowSeconds - 60, auth_time: nowSeconds - 60, exp: nowSeconds + lifetime };
  const base: Record<string, string | number> =
    (recipe.tokenUse ?? 'id') === 'id'
      ? { ...common, aud: context.audience, token_use: 'id', email: `${recipe.user}@example.com`, [TENANT_ID_CLAIM]: user.tenantId }
      : { ...common, client_id: context.audience, token_use: 'access', scope: 'aws.cognito.signin.user.admin', username: user.sub };
  for (const [name, value] of Object.entries(recipe.claims ?? {})) {
    if (value === null) delete base[name];
    else base[name] = value;
  }
  return base;
}

/** All values of one header, however a server or model represents repeats. */

/**
 * What is wrong with the headers the gateway received for a forwarded vector
 * (empty when they satisfy the contract). Used by both enforcers' tests.
 */
export function upstreamHeaderProblems(vector: EdgeTestVector, received: HeaderBag): string[] {
  if (vector.expected.outcome !== 'forwarded') return ['vector is not a forwarded one'];
  const problems: string[] = [];
  const identity = headerValues(received, IDENTITY_HEADER);
  if (identity.length !== 1 || identity[0] !== vector.expected.identity) {
    problems.push(`${IDENTITY_HEADER} should be exactly [${vector.expected.identity}], got ${JSON.stringify(identity)}`);
  }
  const scopes = headerValues(received, SCOPES_HEADER);
  if (scopes.length !== 1 || scopes[0] !== OWNER_SCOPES_HEADER_VALUE) {
    problems.push(`${SCOPES_HEADER} should be exactly [${OWNER_SCOPES_HEADER_VALUE}], got ${JSON.stringify(scopes)}`);
  }
  for (const name of ['cookie', 'authorization', 'forwarded', 'x-real-ip']) {
    if (headerValues(received, name).length > 0) problems.push(`${name} must not reach the gateway`);
  }
  for (const name of Object.keys(received).map((n) => n.toLowerCase())) {
    if (name.startsWith('x-forwarded-') && !PROXY_WRITTEN_FORWARDING_HEADERS.includes(name))
      problems.push(`${name} must not reach the gateway`);
  }
  if (headerValues(received, 'x-forwarded-proto').length === 0)
    problems.push('x-forwarded-proto is required by OpenClaw trusted-proxy mode');
  const xff = headerValues(received, 'x-forwarded-for')
    .join(',')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const attributed = xff[xff.length - 1];
  if (!attributed) problems.push('x-forwarded-for is required (OpenClaw refuses unattributable proxy traffic)');
  const forged = Object.values(vector.request.headers ?? {});
  if (attributed && forged.includes(attributed)) problems.push(`x-forwarded-for ends with the client's forged value ${attributed}`);
  for (const [name, value] of Object.entries(received)) {
    if (name.toLowerCase() === 'x-forwarded-for' || value === undefined) continue;
    for (const one of typeof value === 'string' ? [value] : value) {
      if (forged.some((f) => one.includes(f))) problems.push(`${name} carries a forged client value: ${one}`);
    }
  }
  return problems;
}
