/**
 * The edge contract, written once: which requests to `/t/<tenant-id>/…` reach
 * a tenant gateway, and with which headers. Both enforcers (Envoy Gateway's
 * SecurityPolicy in the cluster, `packages/edge` on one machine) are checked
 * against the vectors in `testing/edge-test-vectors.ts`; the auth UI's side
 * (its runtime config, the session endpoint, its CSP) is `auth-ui-contract.ts`.
 * `docs/edge-contract.md` explains the choices and the Envoy semantics behind
 * them.
 *
 * Pure data and functions: no JWT library here (shared stays dependency-free
 * and browser-safe). Enforcers verify the signature themselves and hand this
 * module the outcome.
 */
import {
  CONTROL_UI_ICON_SUFFIX,
  EDGE_SESSION_COOKIE,
  GATEWAY_READINESS_PATH,
  IDENTITY_HEADER,
  OWNER_OPERATOR_SCOPES,
  READINESS_SUFFIX,
  SCOPES_HEADER,
  TENANT_ID_CLAIM,
  WORKSPACE_ICON_SUFFIX,
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
/** The prefix of every identity header the edge owns (`x-openclaw-user`, `x-openclaw-scopes`). */
const OWNED_HEADER_PREFIX = 'x-openclaw-';
export const STRIPPED_REQUEST_HEADER_PREFIXES: readonly string[] = [OWNED_HEADER_PREFIX, 'x-forwarded-'];
/** The credentials among the stripped headers: needed by the edge's own verification, removed after it. */
const CREDENTIAL_HEADERS: readonly string[] = ['cookie', 'authorization'];

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
export const EARLY_REMOVED_REQUEST_HEADERS: readonly string[] = STRIPPED_REQUEST_HEADERS.filter((h) => !CREDENTIAL_HEADERS.includes(h));
export const EARLY_REMOVED_REQUEST_HEADER_PREFIX = OWNED_HEADER_PREFIX;

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
  const workspaceIconPath = `/t/${tenantId}${WORKSPACE_ICON_SUFFIX}`;
  const upstreamPath =
    path === readinessPath
      ? GATEWAY_READINESS_PATH
      : path === workspaceIconPath || path.startsWith(`${workspaceIconPath}/`)
        ? `/t/${tenantId}${CONTROL_UI_ICON_SUFFIX}`
        : `${path}${query}`;
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

/** Every value of header `name` (lower-case) in `headers`, whatever the case of its key. */
export function headerValues(headers: HeaderBag, name: string): string[] {
  const found = Object.entries(headers).filter(([k]) => k.toLowerCase() === name);
  return found.flatMap(([, v]) => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]));
}
