/**
 * The edge contract's test vectors (packages/shared/src/edge-contract.ts),
 * checked against the synthesized YAML by analysis: a small evaluator of the
 * Envoy / Envoy Gateway semantics the policy relies on (docs/edge-contract.md
 * §2 lists them with sources). Every vector must produce its expected outcome
 * from the YAML, and each mutation of the policy must break at least one.
 */
import { parseAllDocuments } from 'yaml';
import { EDGE_CLOCK_SKEW_SECONDS, EDGE_SESSION_COOKIE, HeaderBag, identityEndpoints } from '@openclaw-tenancy/shared';
import {
  EDGE_FRAMING_VECTORS,
  EdgeFramingVector,
  SMUGGLED_REQUEST,
  EDGE_TEST_VECTORS,
  EDGE_VECTOR_TENANTS,
  EdgeTestVector,
  edgeTokenClaims,
  edgeVectorTenantOwner,
  upstreamHeaderProblems,
} from '@openclaw-tenancy/shared/testing';
import { synthesizePlatformFiles, synthesizeTenantFiles } from '../src';
import { clone, exampleConfig, tenant } from './fixtures';

type Obj = any;
type Headers = Array<[string, string]>;
type Outcome = { outcome: 'refused'; status: number } | { outcome: 'forwarded'; path: string; headers: Headers };

const NOW = Math.floor(Date.now() / 1000);
const identity = identityEndpoints(exampleConfig);
/** Envoy's peer address as seen on the listener (the ALB), appended to X-Forwarded-For. */
const PEER_ADDRESS = '10.40.1.23';
/** Algorithms Envoy's jwt_verify_lib parses; anything else (e.g. `none`) fails at parse time. */
const ENVOY_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'HS256',
  'HS384',
  'HS512',
  'EdDSA',
];

function yamlObjects(files: ReadonlyArray<{ content: string }>): Obj[] {
  return files.flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as Obj)).filter(Boolean);
}

/** Everything the edge evaluation needs: the platform objects and the vector tenants' objects. */
function synthesizedObjects(): Obj[] {
  return [
    ...yamlObjects(synthesizePlatformFiles(exampleConfig)),
    ...EDGE_VECTOR_TENANTS.flatMap((id) =>
      yamlObjects(synthesizeTenantFiles({ ...tenant(id), owner: edgeVectorTenantOwner(id) }, exampleConfig)),
    ),
  ];
}

// --- the request a vector describes -----------------------------------------

interface ModelToken {
  readonly alg: string;
  readonly claims: Record<string, string | number>;
  /** Signed by the pool's RSA key with the signature intact. */
  readonly poolSignatureValid: boolean;
}

function requestOf(vector: EdgeTestVector): { path: string; headers: Headers; token?: ModelToken; tokenText?: string } {
  const headers: Headers = [['host', exampleConfig.domain.name], ...Object.entries(vector.request.headers ?? {})];
  let path = vector.request.path;
  const recipe = vector.request.token;
  if (!recipe) return { path, headers };
  const signing = recipe.signing ?? 'pool-key';
  const claims = edgeTokenClaims(recipe, { issuer: identity.issuer, audience: identity.audience }, NOW);
  const alg = signing === 'alg-none' ? 'none' : signing === 'hs256-with-public-key' ? 'HS256' : 'RS256';
  const token: ModelToken = { alg, claims, poolSignatureValid: signing === 'pool-key' };
  const tokenText = `model-token-${vector.name}`;
  const placement = recipe.placement ?? 'cookie';
  if (placement === 'cookie') headers.push(['cookie', `theme=dark; ${EDGE_SESSION_COOKIE}=${tokenText}`]);
  else if (placement === 'authorization-bearer') headers.push(['authorization', `Bearer ${tokenText}`]);
  else path += `${path.includes('?') ? '&' : '?'}access_token=${tokenText}`;
  return { path, headers, token, tokenText };
}

// --- the Envoy / Envoy Gateway model --------------------------------------

const lower = (s: string): string => s.toLowerCase();
const without = (headers: Headers, names: readonly string[]): Headers => headers.filter(([n]) => !names.map(lower).includes(lower(n)));

function matchesString(match: { type?: string; value: string }, name: string): boolean {
  const v = lower(match.value);
  const n = lower(name);
  switch (match.type ?? 'Exact') {
    case 'Prefix':
      return n.startsWith(v);
    case 'Suffix':
      return n.endsWith(v);
    case 'RegularExpression':
      // Envoy's safe_regex (RE2) must match the whole value; HTTP/1 header names arrive lower-cased.
      return new RegExp(`^(?:${match.value})$`).test(n);
    default:
      return n === v;
  }
}

/** ClientTrafficPolicy `headers.earlyRequestHeaders`: runs before every HTTP filter (HCM early_header_mutation). */
function applyEarlyHeaderMutation(objects: Obj[], headers: Headers): Headers {
  const policies = objects.filter(
    (o) =>
      o.kind === 'ClientTrafficPolicy' && (o.spec?.targetRefs ?? []).some((t: Obj) => t.kind === 'Gateway' && t.name === 'openclaw-edge'),
  );
  let out = headers;
  for (const p of policies) {
    const early = p.spec?.headers?.earlyRequestHeaders ?? {};
    out = without(out, early.remove ?? []);
    out = out.filter(([n]) => !(early.removeOnMatch ?? []).some((m: Obj) => matchesString(m, n)));
  }
  return out;
}

/** Envoy's `normalize_path` (RFC 3986 dot segments, `%2e` as a dot), as Envoy Gateway enables it. */
function normalizedPath(pathAndQuery: string): { path: string; query: string } {
  const url = new URL(`http://envoy.invalid${pathAndQuery}`);
  return { path: url.pathname, query: url.search };
}

/** The Gateway listener's `allowedRoutes.namespaces`: which namespaces' routes it accepts (by the Namespace objects' labels). */
function admittedNamespaces(objects: Obj[]): Set<string> {
  const gateway = objects.find((o) => o.kind === 'Gateway' && o.metadata.name === 'openclaw-edge');
  const namespaces = gateway?.spec?.listeners?.[0]?.allowedRoutes?.namespaces ?? { from: 'Same' };
  const admitted = new Set<string>();
  for (const ns of objects.filter((o) => o.kind === 'Namespace')) {
    const labels: Record<string, string> = ns.metadata.labels ?? {};
    const selector = namespaces.selector ?? {};
    const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    const byExpressions = (selector.matchExpressions ?? []).every((e: Obj) =>
      e.operator === 'Exists' ? hasLabel(labels, e.key) : e.operator === 'In' ? e.values.includes(labels[e.key]) : false,
    );
    const ok =
      namespaces.from === 'All' ||
      (namespaces.from === 'Same' && ns.metadata.name === gateway?.metadata.namespace) ||
      (namespaces.from === 'Selector' && byLabels && byExpressions);
    if (ok) admitted.add(ns.metadata.name);
  }
  return admitted;
}
const hasLabel = (labels: Record<string, string>, key: string): boolean => Object.prototype.hasOwnProperty.call(labels, key);

/** Gateway API matching: Exact beats PathPrefix, longer prefixes beat shorter; prefixes match whole segments. */
function matchRoute(objects: Obj[], path: string): { route: Obj; rule: Obj; matched: { type: string; value: string } } | undefined {
  const candidates: Array<{ route: Obj; rule: Obj; matched: { type: string; value: string } }> = [];
  const admitted = admittedNamespaces(objects);
  for (const route of objects.filter(
    (o) =>
      o.kind === 'HTTPRoute' &&
      admitted.has(o.metadata.namespace) &&
      (o.spec?.parentRefs ?? []).some((p: Obj) => p.name === 'openclaw-edge'),
  )) {
    for (const rule of route.spec.rules ?? []) {
      for (const m of rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }]) {
        const { type = 'PathPrefix', value = '/' } = m.path ?? {};
        const hit = type === 'Exact' ? path === value : path === value || path.startsWith(value.endsWith('/') ? value : `${value}/`);
        if (hit) candidates.push({ route, rule, matched: { type, value } });
      }
    }
  }
  candidates.sort(
    (a, b) =>
      (a.matched.type === 'Exact' ? 0 : 1) - (b.matched.type === 'Exact' ? 0 : 1) || b.matched.value.length - a.matched.value.length,
  );
  return candidates[0];
}

function extractTokens(provider: Obj, headers: Headers, query: string): string[] {
  const from = provider.extractFrom;
  const tokens: string[] = [];
  const cookies = headers.filter(([n]) => lower(n) === 'cookie').flatMap(([, v]) => v.split(';').map((c) => c.trim().split('=')));
  const params = new URLSearchParams(query);
  if (!from) {
    // Defaults: Authorization: Bearer, then the access_token query parameter.
    for (const [n, v] of headers) if (lower(n) === 'authorization' && v.startsWith('Bearer ')) tokens.push(v.slice(7));
    if (params.has('access_token')) tokens.push(params.get('access_token')!);
    return tokens;
  }
  for (const name of from.cookies ?? []) for (const [k, v] of cookies) if (k === name && v) tokens.push(v);
  for (const h of from.headers ?? [])
    for (const [n, v] of headers) if (lower(n) === lower(h.name)) tokens.push(v.slice((h.valuePrefix ?? '').length));
  for (const p of from.params ?? []) if (params.has(p)) tokens.push(params.get(p)!);
  return tokens;
}

/** jwt_authn's checks in its own order: alg, issuer, time, audience (→ 403), signature. */
function verify(provider: Obj, token: ModelToken): number | undefined {
  if (!ENVOY_ALGORITHMS.includes(token.alg)) return 401;
  if (provider.issuer && token.claims['iss'] !== provider.issuer) return 401;
  if (Number(token.claims['exp']) + EDGE_CLOCK_SKEW_SECONDS < NOW) return 401;
  const audiences: string[] = provider.audiences ?? [];
  const aud = token.claims['aud'];
  if (audiences.length > 0 && !(typeof aud === 'string' && audiences.includes(aud))) return 403;
  // The pool's JWKS holds only its RSA keys: HS256 finds no `oct` key, a foreign key or an edited payload fails the signature.
  const jwksIsThePool = provider.remoteJWKS?.uri === identity.jwksUri;
  if (!jwksIsThePool || token.alg !== 'RS256' || !token.poolSignatureValid) return 401;
  return undefined;
}

function claimValue(claims: Record<string, unknown>, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), claims);
}

function authorized(authorization: Obj | undefined, providerName: string, claims: Record<string, unknown>): boolean {
  if (!authorization) return true;
  for (const rule of authorization.rules ?? []) {
    const jwt = rule.principal?.jwt;
    const matches =
      jwt !== undefined &&
      jwt.provider === providerName &&
      (jwt.claims ?? []).every((c: Obj) => {
        const v = claimValue(claims, c.name);
        return (c.valueType ?? 'String') === 'String'
          ? typeof v === 'string' && c.values.includes(v)
          : Array.isArray(v) && v.some((x) => c.values.includes(x));
      }) &&
      (jwt.scopes ?? []).every((s: string) =>
        String(claims['scope'] ?? '')
          .split(' ')
          .includes(s),
      );
    if (matches) return rule.action === 'Allow';
  }
  return (authorization.defaultAction ?? 'Deny') === 'Allow';
}

function applyRouteFilters(
  rule: Obj,
  matched: { value: string },
  path: string,
  query: string,
  headers: Headers,
): { path: string; headers: Headers } {
  let outPath = `${path}${query}`;
  let out = headers;
  for (const f of rule.filters ?? []) {
    if (f.type === 'RequestHeaderModifier') {
      const m = f.requestHeaderModifier;
      out = without(out, [...(m.remove ?? []), ...(m.set ?? []).map((h: Obj) => h.name)]);
      out = [
        ...out,
        ...(m.set ?? []).map((h: Obj) => [lower(h.name), h.value] as [string, string]),
        ...(m.add ?? []).map((h: Obj) => [lower(h.name), h.value] as [string, string]),
      ];
    }
    if (f.type === 'URLRewrite' && f.urlRewrite?.path) {
      const p = f.urlRewrite.path;
      if (p.type === 'ReplaceFullPath') outPath = p.replaceFullPath;
      else if (p.type === 'ReplacePrefixMatch') outPath = `${p.replacePrefixMatch}${path.slice(matched.value.length)}${query}`;
    }
  }
  return { path: outPath, headers: out };
}

/** What Envoy, configured by these objects, does with the vector's request. */
function evaluate(objects: Obj[], vector: EdgeTestVector): Outcome {
  const request = requestOf(vector);
  let headers = applyEarlyHeaderMutation(objects, request.headers);
  const { path, query } = normalizedPath(request.path);
  const match = matchRoute(objects, path);
  if (!match) return { outcome: 'refused', status: 404 };

  const policy = objects.find(
    (o) =>
      o.kind === 'SecurityPolicy' &&
      o.metadata.namespace === match.route.metadata.namespace &&
      (o.spec?.targetRefs ?? []).some((t: Obj) => t.kind === 'HTTPRoute' && t.name === match.route.metadata.name),
  );
  const provider = policy?.spec?.jwt?.providers?.[0];
  if (provider) {
    const presented = extractTokens(provider, headers, query);
    if (presented.length === 0) return { outcome: 'refused', status: 401 };
    // Every extracted token stands for the vector's one token (the model has a single token per request).
    if (!request.token || presented.some((t) => t !== request.tokenText)) return { outcome: 'refused', status: 401 };
    const failure = verify(provider, request.token);
    if (failure) return { outcome: 'refused', status: failure };
    // claim_to_headers uses addCopy: the verified value is appended to whatever is already there.
    for (const c of provider.claimToHeaders ?? []) {
      const v = claimValue(request.token.claims, c.claim);
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') headers = [...headers, [lower(c.header), String(v)]];
    }
    if (!authorized(policy.spec.authorization, provider.name, request.token.claims)) return { outcome: 'refused', status: 403 };
  } else if (policy?.spec?.authorization && !authorized(policy.spec.authorization, '', {})) {
    return { outcome: 'refused', status: 403 };
  }

  const filtered = applyRouteFilters(match.rule, match.matched, path, query, headers);
  // The HTTP connection manager cleans connection-level headers (conn_manager_utility.cc, mutateRequestHeaders):
  // Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding, and Upgrade outside an upgrade. It does not
  // remove the headers Connection nominates, so the route's `set` of the scopes cap stands.
  const connectionLevel = [
    'connection',
    'keep-alive',
    'proxy-connection',
    'transfer-encoding',
    ...(vector.request.websocket ? [] : ['upgrade']),
  ];
  filtered.headers = without(filtered.headers, connectionLevel);
  // Envoy (use_remote_address) appends its peer to X-Forwarded-For and sets X-Forwarded-Proto when absent.
  let out = filtered.headers;
  const xff = out.find(([n]) => lower(n) === 'x-forwarded-for');
  out = [...without(out, ['x-forwarded-for']), ['x-forwarded-for', xff ? `${xff[1]}, ${PEER_ADDRESS}` : PEER_ADDRESS]];
  if (!out.some(([n]) => lower(n) === 'x-forwarded-proto')) out.push(['x-forwarded-proto', 'https']);
  return { outcome: 'forwarded', path: filtered.path, headers: out };
}

function asHeaderBag(headers: Headers): HeaderBag {
  const bag: Record<string, string[]> = {};
  for (const [n, v] of headers) (bag[lower(n)] ??= []).push(v);
  return bag;
}

/** Why the objects do not give the vector its expected outcome (empty when they do). */
function vectorProblems(objects: Obj[], vector: EdgeTestVector): string[] {
  const got = evaluate(objects, vector);
  const want = vector.expected;
  if (want.outcome === 'refused')
    return got.outcome === 'refused' && got.status === want.status
      ? []
      : [`expected ${want.status}, got ${JSON.stringify(got.outcome === 'refused' ? got.status : got.outcome)}`];
  if (got.outcome !== 'forwarded') return [`expected forwarding, got ${got.status}`];
  const problems = got.path === want.upstreamPath ? [] : [`forwarded path ${got.path}, expected ${want.upstreamPath}`];
  return [...problems, ...upstreamHeaderProblems(vector, asHeaderBag(got.headers))];
}

function failingVectors(objects: Obj[]): string[] {
  return EDGE_TEST_VECTORS.filter((v) => vectorProblems(objects, v).length > 0).map((v) => v.name);
}

// --- Envoy's HTTP/1 codec on the framing vectors ------------------------------

type FramingOutcome = { outcome: 'refused'; status: 400 } | { outcome: 'forwarded'; method: string; body: string; headers: Headers };

/** Decodes a chunked body the way a conforming parser does; returns the payload and what follows the last chunk. */
function dechunk(body: string): { payload: string; rest: string } {
  let payload = '';
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    const size = parseInt(body.slice(at, eol), 16);
    at = eol + 2;
    if (size === 0) return { payload, rest: body.slice(at + 2) };
    payload += body.slice(at, at + size);
    at += size + 2;
  }
}

/**
 * Envoy's HTTP/1 codec (defaults Envoy Gateway keeps): a request with both
 * Content-Length and Transfer-Encoding is refused with 400
 * (`http1_protocol_options.allow_chunked_length` is false unless set); the
 * `Connection` header's nominations are not honoured (only connection-level
 * headers are removed); the body is whatever the one framing header says, and
 * the upstream request is re-framed by Envoy's own codec. Bytes after the
 * body would be the next request on the client's connection, never part of
 * this one.
 */
function evaluateFraming(vector: EdgeFramingVector): FramingOutcome {
  const names = vector.headers.map(([n]) => lower(n));
  if (names.includes('content-length') && names.includes('transfer-encoding')) return { outcome: 'refused', status: 400 };
  let body = '';
  if (names.includes('transfer-encoding')) body = dechunk(vector.body).payload;
  else if (names.includes('content-length'))
    body = vector.body.slice(0, Number(vector.headers.find(([n]) => lower(n) === 'content-length')![1]));
  const headers = without(
    [...vector.headers.map(([n, v]) => [lower(n), v] as [string, string])],
    ['connection', 'transfer-encoding', 'content-length'],
  );
  return { outcome: 'forwarded', method: vector.method, body, headers: [...headers, ['content-length', String(body.length)]] };
}

// --- the tests ---------------------------------------------------------------

const objects = synthesizedObjects();

describe('the synthesized Envoy Gateway policy satisfies the edge contract', () => {
  it.each(EDGE_TEST_VECTORS.map((v) => [v.name, v] as const))('%s', (_name, vector: EdgeTestVector) => {
    expect(vectorProblems(objects, vector)).toEqual([]);
  });
});

describe('Envoy never relays a smuggled request', () => {
  it.each(EDGE_FRAMING_VECTORS.map((v) => [v.name, v] as const))('%s', (_name, vector: EdgeFramingVector) => {
    const got = evaluateFraming(vector);
    if (vector.expected === 'refused') {
      expect(got).toEqual({ outcome: 'refused', status: 400 });
      return;
    }
    // Relayed as one request whose body is framed by Envoy: the smuggled request is inert payload, not a request.
    expect(got).toMatchObject({ outcome: 'forwarded', method: vector.method, body: SMUGGLED_REQUEST });
    if (got.outcome === 'forwarded')
      expect(got.headers.filter(([n]) => n === 'content-length')).toEqual([['content-length', String(SMUGGLED_REQUEST.length)]]);
  });
});

describe('a weakened policy fails the vectors', () => {
  const aliceIs = (o: Obj, kind: string) => o.kind === kind && o.metadata.namespace === 'openclaw-alice';
  /** Alice's SecurityPolicy without its authorization rule on the JWT claim `name`. */
  const withoutClaimRule = (name: string) => (objs: Obj[]) =>
    objs
      .filter((o) => aliceIs(o, 'SecurityPolicy'))
      .forEach((o) => {
        const principal = o.spec.authorization.rules[0].principal.jwt;
        principal.claims = principal.claims.filter((c: Obj) => c.name !== name);
      });
  const mutated = (mutate: (objs: Obj[]) => void): Obj[] => {
    const copy = clone(objects);
    mutate(copy);
    return copy;
  };

  it.each<[string, (objs: Obj[]) => void, string]>([
    [
      'fails if the tenant claim rule is missing',
      (objs) =>
        objs.filter((o) => aliceIs(o, 'SecurityPolicy')).forEach((o) => o.spec.authorization.rules[0].principal.jwt.claims.splice(0, 1)),
      'missing tenant claim',
    ],
    ['fails if the token_use rule is missing', withoutClaimRule('token_use'), 'wrong token_use claim'],
    [
      'fails if the owner rule is missing',
      withoutClaimRule('sub'),
      "a genuine token naming alice's tenant for a user who does not own it (stale or mis-set attribute)",
    ],
    [
      'fails if the audience is wrong',
      (objs) =>
        objs
          .filter((o) => aliceIs(o, 'SecurityPolicy'))
          .forEach((o) => (o.spec.jwt.providers[0].audiences = ['someotherclientid000000001'])),
      'valid ID token, HTTP',
    ],
    [
      'fails if the audience is not checked',
      (objs) => objs.filter((o) => aliceIs(o, 'SecurityPolicy')).forEach((o) => delete o.spec.jwt.providers[0].audiences),
      'wrong audience',
    ],
    [
      'fails if the issuer is not checked',
      (objs) => objs.filter((o) => aliceIs(o, 'SecurityPolicy')).forEach((o) => delete o.spec.jwt.providers[0].issuer),
      'wrong issuer',
    ],
    [
      'fails if defaultAction is Allow and the rule is gone',
      (objs) => objs.filter((o) => aliceIs(o, 'SecurityPolicy')).forEach((o) => (o.spec.authorization = { defaultAction: 'Allow' })),
      "another tenant's token (wrong tenant claim)",
    ],
    [
      'fails if the token is read from the default locations',
      (objs) => objs.filter((o) => aliceIs(o, 'SecurityPolicy')).forEach((o) => delete o.spec.jwt.providers[0].extractFrom),
      'token in Authorization header instead of the cookie',
    ],
    [
      "fails if the JWKS is not the pool's",
      (objs) =>
        objs
          .filter((o) => aliceIs(o, 'SecurityPolicy'))
          .forEach((o) => (o.spec.jwt.providers[0].remoteJWKS.uri = 'https://evil.example/jwks.json')),
      'valid ID token, HTTP',
    ],
    [
      'fails if the identity header is not written from the claim',
      (objs) => objs.filter((o) => aliceIs(o, 'SecurityPolicy')).forEach((o) => delete o.spec.jwt.providers[0].claimToHeaders),
      'valid ID token, HTTP',
    ],
    [
      'fails if the route has no SecurityPolicy',
      (objs) =>
        objs.splice(
          objs.findIndex((o) => aliceIs(o, 'SecurityPolicy')),
          1,
        ),
      'no token, HTTP',
    ],
    [
      'fails if the cookie is forwarded',
      (objs) =>
        objs
          .filter((o) => aliceIs(o, 'HTTPRoute'))
          .forEach((o) =>
            o.spec.rules.forEach((r: Obj) => (r.filters = (r.filters ?? []).filter((f: Obj) => f.type !== 'RequestHeaderModifier'))),
          ),
      'valid ID token, HTTP',
    ],
    [
      'fails if the route does not cap the operator scopes',
      (objs) =>
        objs
          .filter((o) => aliceIs(o, 'HTTPRoute'))
          .forEach((o) =>
            o.spec.rules.forEach((r: Obj) =>
              (r.filters ?? []).forEach((f: Obj) => f.requestHeaderModifier && delete f.requestHeaderModifier.set),
            ),
          ),
      'valid ID token, HTTP',
    ],
    [
      'fails without the readiness rewrite',
      (objs) =>
        objs
          .filter((o) => aliceIs(o, 'HTTPRoute'))
          .forEach((o) => (o.spec.rules = o.spec.rules.filter((r: Obj) => !(r.filters ?? []).some((f: Obj) => f.type === 'URLRewrite')))),
      'readiness path is rewritten to /readyz',
    ],
    [
      'fails without the workspace icon rule',
      (objs) =>
        objs
          .filter((o) => aliceIs(o, 'HTTPRoute'))
          .forEach((o) => (o.spec.rules = o.spec.rules.filter((r: Obj) => r.name !== 'workspace-icon'))),
      "workspace icon (owner-only in OpenClaw) is answered with the Control UI's icon",
    ],
  ])('%s', (_name, mutate, expectedFailure) => {
    const failing = failingVectors(mutated(mutate));
    expect(failing).toContain(expectedFailure);
  });

  it('fails if client identity headers are not removed before the JWT filter (claimToHeaders appends)', () => {
    const vector = EDGE_TEST_VECTORS.find((v) => v.name === 'injected identity and forwarding headers with a valid token')!;
    const problems = vectorProblems(
      mutated((objs) => objs.filter((o) => o.kind === 'ClientTrafficPolicy').forEach((o) => delete o.spec.headers)),
      vector,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^x-openclaw-user should be exactly \[.*\], got \["mallory-sub",/),
        'x-forwarded-host carries a forged client value: evil.example',
      ]),
    );
  });

  const isUnmatched = (o: Obj, kind: string) => o.kind === kind && o.metadata.name === 'openclaw-unmatched-tenants';
  it.each<[string, (objs: Obj[]) => void, string]>([
    [
      'fails without the route for unmatched /t paths (unknown tenants answer 404: enumeration)',
      (objs) =>
        objs.splice(
          objs.findIndex((o) => isUnmatched(o, 'HTTPRoute')),
          1,
        ),
      'unknown tenant without a token (as an existing one: 401)',
    ],
    [
      'fails if the unmatched-path policy admits a genuine token',
      (objs) => objs.filter((o) => isUnmatched(o, 'SecurityPolicy')).forEach((o) => (o.spec.authorization = { defaultAction: 'Allow' })),
      'unknown tenant with a valid token (as an existing one: 403)',
    ],
    [
      'fails if the unmatched-path policy checks no token (403 for everyone, unlike an existing tenant)',
      (objs) => objs.filter((o) => isUnmatched(o, 'SecurityPolicy')).forEach((o) => delete o.spec.jwt),
      'unknown tenant without a token (as an existing one: 401)',
    ],
    [
      "fails if the Gateway does not admit the edge namespace's route",
      (objs) =>
        objs
          .filter((o) => o.kind === 'Gateway')
          .forEach(
            (o) =>
              (o.spec.listeners[0].allowedRoutes.namespaces.selector = {
                matchExpressions: [{ key: 'openclaw.io/tenant', operator: 'Exists' }],
              }),
          ),
      'bare /t/ without a token',
    ],
    [
      'fails if the Gateway admits no tenant namespace',
      (objs) => objs.filter((o) => o.kind === 'Gateway').forEach((o) => (o.spec.listeners[0].allowedRoutes.namespaces = { from: 'Same' })),
      'valid ID token, HTTP',
    ],
  ])('%s', (_name, mutate, expectedFailure) => {
    expect(failingVectors(mutated(mutate))).toContain(expectedFailure);
  });

  it('fails if the other client x-forwarded-* headers are not removed before routing', () => {
    const vector = EDGE_TEST_VECTORS.find((v) => v.name === 'injected identity and forwarding headers with a valid token')!;
    const problems = vectorProblems(
      mutated((objs) =>
        objs
          .filter((o) => o.kind === 'ClientTrafficPolicy')
          .forEach(
            (o) =>
              (o.spec.headers.earlyRequestHeaders.removeOnMatch = o.spec.headers.earlyRequestHeaders.removeOnMatch.filter(
                (m: Obj) => m.type !== 'RegularExpression',
              )),
          ),
      ),
      vector,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'x-forwarded-port must not reach the gateway',
        'x-forwarded-prefix must not reach the gateway',
        'x-forwarded-protocol must not reach the gateway',
      ]),
    );
  });

  it('the unmutated objects fail no vector (the mutations above are the only cause)', () => {
    expect(failingVectors(objects)).toEqual([]);
  });
});
