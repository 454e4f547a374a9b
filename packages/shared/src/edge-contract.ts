/**
 * The edge contract, written once: which requests to `/t/<tenant-id>/…` reach
 * a tenant gateway, with which headers, and the test vectors both enforcers
 * (Envoy Gateway's SecurityPolicy in the cluster, `packages/edge` on one
 * machine) are checked against. `docs/edge-contract.md` explains the choices
 * and the Envoy semantics behind them.
 *
 * Pure data and functions: no JWT library here (shared stays dependency-free
 * and browser-safe). Enforcers verify the signature themselves and hand this
 * module the outcome.
 */
import {
  EDGE_SESSION_COOKIE,
  GATEWAY_READINESS_PATH,
  IDENTITY_HEADER,
  OWNER_OPERATOR_SCOPES,
  READINESS_SUFFIX,
  SCOPES_HEADER,
  TENANT_ID_CLAIM,
  tenantIdFromRoutePath,
} from './names';

/** The only signing algorithm accepted (Cognito signs ID tokens with RS256). */
export const EDGE_JWT_ALGORITHM = 'RS256';
/** Tolerance on `exp`/`nbf`; Envoy's `jwt_authn` default, so both enforcers agree at the boundary. */
export const EDGE_CLOCK_SKEW_SECONDS = 60;
/** The `token_use` claim value of a Cognito ID token (access tokens say `access`). */
export const ID_TOKEN_USE = 'id';

/**
 * Request headers never forwarded with the client's value (the identity and
 * scopes headers are rebuilt by the edge). `cookie` and
 * `authorization` carry credentials the gateway does not need (the token must
 * not reach the tenant's process); the others are identity or forwarding
 * headers a client could forge.
 */
export const STRIPPED_REQUEST_HEADERS: readonly string[] = ['cookie', 'authorization', 'forwarded', 'x-real-ip'];
export const STRIPPED_REQUEST_HEADER_PREFIXES: readonly string[] = ['x-openclaw-', 'x-forwarded-'];

/**
 * The forwarding headers that reach the gateway, written by the proxies on
 * the way (OpenClaw requires both). The local edge rebuilds them; in the
 * cluster CloudFront and the ALB write them and Envoy appends its peer, and
 * OpenClaw attributes the right-most address, which a client cannot write.
 */
export const PROXY_WRITTEN_FORWARDING_HEADERS: readonly string[] = ['x-forwarded-for', 'x-forwarded-proto'];

/**
 * What the cluster edge removes at the listener, before any HTTP filter
 * (Envoy early header mutation). Envoy's `jwt_authn` appends the verified
 * claim header (`addCopy`), so a client's own copy must be gone before it
 * runs. `cookie` and `authorization` are removed by the route instead, after
 * verification needed them.
 */
export const EARLY_REMOVED_REQUEST_HEADERS: readonly string[] = ['forwarded', 'x-real-ip'];
export const EARLY_REMOVED_REQUEST_HEADER_PREFIX = 'x-openclaw-';

/**
 * An RE2 pattern (full match, lower-case names) for every `x-forwarded-*`
 * header except `PROXY_WRITTEN_FORWARDING_HEADERS`. RE2 has no negative
 * look-ahead, so each kept suffix is excluded character by character: a name
 * matches if it stops short of a kept suffix, leaves it at some character,
 * or runs past its end.
 */
export function forwardingHeadersExceptProxyWrittenPattern(): string {
  const prefix = 'x-forwarded-';
  const kept = PROXY_WRITTEN_FORWARDING_HEADERS.map((h) => h.slice(prefix.length));
  const branches = new Set<string>(['']);
  const firsts = [...new Set(kept.map((k) => k[0]!))];
  branches.add(`[^${firsts.join('')}].*`);
  for (const suffix of kept) {
    for (let i = 1; i <= suffix.length; i++) {
      const stem = suffix.slice(0, i);
      const nexts = kept.filter((k) => k.startsWith(stem) && k.length > i).map((k) => k[i]!);
      if (!kept.includes(stem)) branches.add(stem);
      if (nexts.length > 0) branches.add(`${stem}[^${[...new Set(nexts)].join('')}].*`);
      else branches.add(`${stem}.+`);
    }
  }
  return `${prefix}(${[...branches].join('|')})`;
}

/** True when a client-sent header of this name must not reach the upstream. */
export function isStrippedRequestHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return STRIPPED_REQUEST_HEADERS.includes(lower) || STRIPPED_REQUEST_HEADER_PREFIXES.some((p) => lower.startsWith(p));
}

/**
 * The scopes the edge asserts for the owner. OpenClaw gives a trusted-proxy
 * HTTP call without this header admin scopes, so the edge always sets it —
 * never the client's value, never `operator.admin`.
 */
export const OWNER_SCOPES_HEADER_VALUE = OWNER_OPERATOR_SCOPES.join(',');

export type HeaderValue = string | readonly string[] | undefined;
export type HeaderBag = Readonly<Record<string, HeaderValue>>;

export interface RebuiltHeaderInputs {
  /** The verified `sub`. */
  readonly identity: string;
  /** Client address the edge asserts; OpenClaw refuses loopback here. */
  readonly forwardedFor: string;
  /** Scheme the browser used to reach the edge. */
  readonly forwardedProto: 'http' | 'https';
}

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection and are never relayed. */
export const HOP_BY_HOP_HEADERS: readonly string[] = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/**
 * Headers that delimit or address the message. A `Connection` header naming
 * one of them is ignored for it (as Envoy ignores every nomination): dropping
 * `content-length` would leave a body unframed for the upstream to parse as a
 * second request.
 */
export const FRAMING_HEADERS: readonly string[] = ['content-length', 'transfer-encoding', 'host'];

/**
 * The headers without the hop-by-hop ones and without every header the
 * `Connection` header names, except the framing headers (lower-cased names,
 * repeated values as arrays). Identity and forwarding headers a client
 * nominates are dropped here and rebuilt afterwards, so naming them has no effect.
 */
export function withoutHopByHopHeaders(headers: HeaderBag): Record<string, string | string[]> {
  const nominated = headerValues(headers, 'connection')
    .flatMap((v) => v.split(','))
    .map((s) => s.trim().toLowerCase())
    .filter((name) => name !== '' && !FRAMING_HEADERS.includes(name));
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP_HEADERS.includes(lower) || nominated.includes(lower)) continue;
    out[lower] = typeof value === 'string' ? value : [...value];
  }
  return out;
}

/**
 * The headers an enforcer sends upstream: the client's minus the stripped
 * and the hop-by-hop ones, plus the rebuilt ones. The client's `Connection`
 * header is consumed here, before the rebuilt headers exist, so naming
 * `x-openclaw-scopes` in it cannot make a proxy drop the scopes cap (without
 * it OpenClaw would grant admin scopes). A WebSocket relay adds its own
 * `Connection: Upgrade`.
 */
export function rebuildUpstreamHeaders(clientHeaders: HeaderBag, inputs: RebuiltHeaderInputs): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(withoutHopByHopHeaders(clientHeaders))) {
    if (isStrippedRequestHeader(name)) continue;
    out[name] = value;
  }
  out[IDENTITY_HEADER] = inputs.identity;
  out[SCOPES_HEADER] = OWNER_SCOPES_HEADER_VALUE;
  out['x-forwarded-for'] = inputs.forwardedFor;
  out['x-forwarded-proto'] = inputs.forwardedProto;
  return out;
}

/**
 * Methods that carry no request body at a tenant route (the Control UI sends
 * none). A body on them is refused rather than relayed: some servers read
 * such a body as the start of the next request.
 */
export const BODYLESS_METHODS: readonly string[] = ['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'];

/** Why a request's framing is refused with 400 before any other check. */
export type FramingProblem =
  'content-length-with-transfer-encoding' | 'unsupported-transfer-encoding' | 'invalid-content-length' | 'body-on-bodyless-method';

/**
 * The framing problem of a request head, or `undefined` when its body (if
 * any) is delimited in exactly one way. An enforcer answers 400 and relays
 * nothing: every shape here is one a request-smuggling attack uses to make
 * the edge and the gateway disagree on where a request ends.
 */
export function requestFramingProblem(method: string, headers: HeaderBag): FramingProblem | undefined {
  const transferEncodings = headerValues(headers, 'transfer-encoding');
  const contentLengths = headerValues(headers, 'content-length')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim());
  if (transferEncodings.length > 0 && contentLengths.length > 0) return 'content-length-with-transfer-encoding';
  const codings = transferEncodings.flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase());
  if (transferEncodings.length > 0 && (codings.length !== 1 || codings[0] !== 'chunked')) return 'unsupported-transfer-encoding';
  if (contentLengths.some((v) => !/^\d{1,15}$/.test(v)) || new Set(contentLengths).size > 1) return 'invalid-content-length';
  const hasBody = transferEncodings.length > 0 || (contentLengths.length > 0 && Number(contentLengths[0]) > 0);
  if (hasBody && BODYLESS_METHODS.includes(method.toUpperCase())) return 'body-on-bodyless-method';
  return undefined;
}

/** Where a request path leads, after dot-segment normalization. */
export type EdgeRoute =
  /** Not under `/t/`: the auth UI's business (or 404). */
  | { readonly kind: 'outside-tenant-routes'; readonly path: string }
  /**
   * Under `/t` but not a valid tenant id (uppercase, reserved, empty, …):
   * refused like a tenant that is not the caller's (401/403), never 404, so a
   * path says nothing about which tenants exist.
   */
  | { readonly kind: 'invalid-tenant-path'; readonly path: string }
  | { readonly kind: 'tenant'; readonly tenantId: string; readonly upstreamPath: string };

/**
 * Normalizes the path the way Envoy's `normalize_path` does (RFC 3986 dot
 * segments, `%2e` counted as a dot) and maps it to a route. The query string
 * is kept; the fragment never reaches a server.
 */
export function routeEdgeRequest(pathAndQuery: string): EdgeRoute {
  // Concatenating (not resolving against a base) keeps `//host/x` a path, never an authority.
  const url = new URL(`http://edge.invalid${pathAndQuery.startsWith('/') ? '' : '/'}${pathAndQuery}`);
  const path = url.pathname;
  const query = url.search;
  if (path !== '/t' && !path.startsWith('/t/')) return { kind: 'outside-tenant-routes', path };
  const tenantId = tenantIdFromRoutePath(path);
  if (!tenantId) return { kind: 'invalid-tenant-path', path };
  const readinessPath = `/t/${tenantId}${READINESS_SUFFIX}`;
  const upstreamPath = path === readinessPath ? GATEWAY_READINESS_PATH : `${path}${query}`;
  return { kind: 'tenant', tenantId, upstreamPath };
}

/** Why a presented token did not authenticate (steps that precede any claim rule). */
export type TokenFailure =
  | 'missing'
  | 'malformed'
  | 'unsupported-algorithm'
  | 'bad-signature'
  | 'wrong-issuer'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-audience'
  /** Genuine, but issued before its user signed out at this edge (the local edge keeps that list). */
  | 'signed-out';

/** The outcome of verifying the session cookie's token, as the enforcer reports it. */
export type TokenVerification =
  { readonly ok: true; readonly claims: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly failure: TokenFailure };

export type RefusalReason =
  TokenFailure | 'not-an-id-token' | 'missing-tenant-claim' | 'wrong-tenant' | 'not-the-owner' | 'missing-subject' | 'not-found';

export type EdgeDecision =
  | { readonly action: 'forward'; readonly tenantId: string; readonly upstreamPath: string; readonly identity: string }
  | { readonly action: 'refuse'; readonly status: 401 | 403 | 404; readonly reason: RefusalReason };

/**
 * The decision for a request under `/t/`. 401 = no valid token of our pool;
 * 403 = a genuine token that does not grant this route (Envoy answers an
 * audience mismatch with 403 too, so it belongs here). A path under `/t` that
 * names no valid tenant, like a tenant the enforcer does not know, gets the
 * same 401/403 as an existing tenant of someone else: unknown and
 * unauthorized look alike.
 *
 * Two independent facts must agree before a request reaches a gateway: the
 * token's tenant claim names this tenant, and its `sub` is the tenant's owner
 * in the registry (the same value OpenClaw's `allowUsers` holds). A tenant
 * attribute that is stale (the claim moved to another id) or mis-set by an
 * administrator therefore opens nobody else's workspace.
 *
 * @param owner the registry owner of the route's tenant; `undefined` when the
 *   enforcer has no route for the tenant yet (the claim checks still apply;
 *   the caller then answers "not there yet").
 */
export function decideTenantRequest(route: EdgeRoute, token: TokenVerification, owner: string | undefined): EdgeDecision {
  if (route.kind === 'outside-tenant-routes') return { action: 'refuse', status: 404, reason: 'not-found' };
  if (!token.ok) return { action: 'refuse', status: token.failure === 'wrong-audience' ? 403 : 401, reason: token.failure };
  const { claims } = token;
  const sub = claims['sub'];
  if (typeof sub !== 'string' || sub === '') return { action: 'refuse', status: 401, reason: 'missing-subject' };
  if (route.kind === 'invalid-tenant-path') return { action: 'refuse', status: 403, reason: 'wrong-tenant' };
  if (claims['token_use'] !== ID_TOKEN_USE) return { action: 'refuse', status: 403, reason: 'not-an-id-token' };
  const claimedTenant = claims[TENANT_ID_CLAIM];
  if (typeof claimedTenant !== 'string' || claimedTenant === '') return { action: 'refuse', status: 403, reason: 'missing-tenant-claim' };
  if (claimedTenant !== route.tenantId) return { action: 'refuse', status: 403, reason: 'wrong-tenant' };
  if (owner !== undefined && sub !== owner) return { action: 'refuse', status: 403, reason: 'not-the-owner' };
  return { action: 'forward', tenantId: route.tenantId, upstreamPath: route.upstreamPath, identity: sub };
}

/** Every `openclaw_session` value in a `Cookie` header (a browser may send several with different paths). */
export function sessionTokensFromCookieHeader(cookieHeader: HeaderValue): string[] {
  const joined = typeof cookieHeader === 'string' ? cookieHeader : (cookieHeader ?? []).join('; ');
  const tokens: string[] = [];
  for (const pair of joined.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    if (pair.slice(0, eq).trim() === EDGE_SESSION_COOKIE) tokens.push(pair.slice(eq + 1).trim());
  }
  return tokens;
}

// ---------------------------------------------------------------------------
// Test vectors
// ---------------------------------------------------------------------------

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
function headerValues(headers: HeaderBag, name: string): string[] {
  const found = Object.entries(headers).filter(([k]) => k.toLowerCase() === name);
  return found.flatMap(([, v]) => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]));
}

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
  refresh: `${SESSION_PATH_PREFIX}/refresh`,
  signOut: `${SESSION_PATH_PREFIX}/sign-out`,
} as const;

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
