/**
 * The local edge: one node:http server that enforces the shared edge
 * contract for `/t/<tenant-id>/…` (HTTP and WebSocket upgrade) and serves the
 * auth UI everywhere else.
 */
import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  AuthUiRuntimeConfig,
  EDGE_SESSION_COOKIE,
  EdgeDecision,
  SIGNED_IN_COOKIE,
  SIGNED_OUT_PARAM,
  isValidTenantId,
  TokenVerification,
  WORKSPACE_SIGN_OUT_SUFFIX,
  cognitoEndpointOf,
  sessionSetCookie,
  tenantNames,
  EdgeRoute,
  decideTenantRequest,
  rebuildUpstreamHeaders,
  requestFramingProblem,
  routeEdgeRequest,
  sessionTokensFromCookieHeader,
} from '@openclaw-tenancy/shared';
import { serveAuthUi } from './auth-ui-site';
import { RelayRequest, relayHttp, relayUpgrade, writeRawResponse } from './tenant-proxy';
import { IdentityProviderEndpoints, IdentityProviderUnavailableError, TokenVerifier, createTokenVerifier } from './token-verifier';
import { cookieValue, handleSessionRequest } from './session-endpoint';
import { SignedOutUsers } from './signed-out-users';
import { forbiddenPage, unauthenticatedPage } from './unauthenticated-page';
import type { TenantActivityListener } from './tenant-activity';
import type { UpstreamResolver, UpstreamTarget } from './upstream';

/**
 * A documentation-range address (RFC 5737): OpenClaw refuses proxied
 * requests whose forwarded client address is loopback, and this one is only
 * ever a header value.
 */
export const DEFAULT_FORWARDED_FOR = '203.0.113.7';

export interface EdgeOptions {
  /** Where tokens come from: `identityEndpoints(config)` from shared. */
  readonly identity: IdentityProviderEndpoints;
  readonly resolveUpstream: UpstreamResolver;
  /**
   * Address to listen on. The local platform gives the edge a network
   * namespace of its own, so OpenClaw's `trustedProxies` never holds loopback.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /** @default 0 (an ephemeral port; read it from `url`) */
  readonly port?: number;
  /**
   * The built auth UI and its runtime config; without it only tenant routes
   * answer. With it the edge also runs the session endpoint (`/_session/*`)
   * against the config's Cognito endpoint and client.
   * @default - no site, no session endpoint
   */
  readonly authUi?: { readonly directory: string; readonly runtimeConfig: AuthUiRuntimeConfig };
  /** Value of `x-forwarded-for` sent to gateways. @default DEFAULT_FORWARDED_FOR */
  readonly forwardedFor?: string;
  /** Value of `x-forwarded-proto` sent to gateways. @default 'http' */
  readonly forwardedProto?: 'http' | 'https';
  /** One line per refused or failed request; never receives tokens. @default - silent */
  readonly log?: (line: string) => void;
  /**
   * Told of each authenticated request and relayed WebSocket per tenant (idle
   * tracking and wake on request); never of a refused one.
   * @default - nobody is told
   */
  readonly onTenantActivity?: TenantActivityListener;
}

export interface RunningEdge {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  close(): Promise<void>;
}

/** Session cookies verified per request; a request with more is refused. */
export const MAX_SESSION_COOKIES = 4;

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

function refusalBody(decision: Extract<EdgeDecision, { action: 'refuse' }>): string {
  const error = decision.status === 401 ? 'unauthenticated' : decision.status === 403 ? 'forbidden' : 'not-found';
  return JSON.stringify({ error, reason: decision.reason });
}

const UNAVAILABLE_BODY = JSON.stringify({
  ready: false,
  error: 'workspace-starting',
  message: 'Your workspace is starting. Try again in a few seconds.',
});

export async function startEdge(options: EdgeOptions): Promise<RunningEdge> {
  const verifyToken: TokenVerifier = await createTokenVerifier(options.identity);
  const signedOut = new SignedOutUsers();
  /** Signature and claims first, then: not issued before its user signed out here. */
  const verify = async (token: string): Promise<TokenVerification> => {
    const verified = await verifyToken(token);
    return verified.ok && signedOut.issuedBeforeSignOut(verified.claims) ? { ok: false, failure: 'signed-out' } : verified;
  };
  /** Open WebSocket relays per verified identity, so a sign-out can close them at once. */
  const relaysByIdentity = new Map<string, Set<Duplex>>();
  const endSessions = (sub: string): void => {
    signedOut.record(sub);
    for (const socket of relaysByIdentity.get(sub) ?? []) socket.destroy();
    relaysByIdentity.delete(sub);
  };
  const secureCookies = options.authUi
    ? new URL(options.authUi.runtimeConfig.origin).protocol === 'https:'
    : options.forwardedProto === 'https';
  const log = options.log ?? (() => undefined);
  const forwardedFor = options.forwardedFor ?? DEFAULT_FORWARDED_FOR;
  const forwardedProto = options.forwardedProto ?? 'http';

  /**
   * Every session cookie presented must verify and lead to the same identity
   * (fail closed on ambiguity), and that identity must own the tenant.
   */
  async function decide(route: EdgeRoute, req: IncomingMessage, target: UpstreamTarget | undefined): Promise<EdgeDecision> {
    const tokens = [...new Set(sessionTokensFromCookieHeader(req.headers.cookie))];
    if (route.kind === 'outside-tenant-routes' || tokens.length === 0)
      return decideTenantRequest(route, { ok: false, failure: 'missing' }, undefined);
    // A browser holds one session cookie per tenant path at most; more is an attempt to make the edge verify without bound.
    if (tokens.length > MAX_SESSION_COOKIES) return { action: 'refuse', status: 401, reason: 'malformed' };
    const decisions = await Promise.all(tokens.map(async (t) => decideTenantRequest(route, await verify(t), target?.owner)));
    const refusal = decisions.find((d) => d.action === 'refuse');
    if (refusal) return refusal;
    const identities = new Set(decisions.map((d) => (d.action === 'forward' ? d.identity : '')));
    return identities.size === 1 ? decisions[0]! : { action: 'refuse', status: 401, reason: 'malformed' };
  }

  /** The route's upstream, looked up once per request so the owner checked is the owner of the gateway reached. */
  function upstreamOf(route: EdgeRoute): UpstreamTarget | undefined {
    return route.kind === 'tenant' ? options.resolveUpstream(route.tenantId) : undefined;
  }

  function relayFor(
    decision: Extract<EdgeDecision, { action: 'forward' }>,
    target: UpstreamTarget | undefined,
    req: IncomingMessage,
  ): RelayRequest | undefined {
    if (!target) return undefined;
    return {
      target,
      path: decision.upstreamPath,
      headers: rebuildUpstreamHeaders(req.headers, { identity: decision.identity, forwardedFor, forwardedProto }),
    };
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const framing = requestFramingProblem(req.method ?? '', req.headersDistinct);
    if (framing) {
      log(`refused ${req.method} 400 ${framing}`);
      // The body was not read, so the connection cannot carry another request.
      res.writeHead(400, { ...JSON_HEADERS, connection: 'close' }).end(JSON.stringify({ error: 'bad-request', reason: framing }));
      return;
    }
    const route = routeEdgeRequest(req.url ?? '/');
    if (route.kind === 'outside-tenant-routes') {
      if (options.authUi) {
        const session = {
          cognitoEndpoint: cognitoEndpointOf(options.authUi.runtimeConfig),
          clientId: options.authUi.runtimeConfig.clientId,
          secureCookies,
          verify,
          onSignedOut: endSessions,
        };
        if (await handleSessionRequest(req, res, route.path, session)) return;
        if (await serveAuthUi(req, res, route.path, options.authUi)) return;
      }
      res.writeHead(404, JSON_HEADERS).end(JSON.stringify({ error: 'not-found' }));
      return;
    }
    if (
      route.kind === 'tenant' &&
      route.upstreamPath.split('?')[0] === `${tenantNames(route.tenantId).routePath}${WORKSPACE_SIGN_OUT_SUFFIX}`
    ) {
      await signOutFromWorkspace(route.tenantId, req, res);
      return;
    }
    const target = upstreamOf(route);
    const decision = await decide(route, req, target);
    if (decision.action === 'refuse') {
      log(
        `refused ${req.method} ${route.kind === 'tenant' ? `/t/${route.tenantId}/…` : '(invalid path)'} ${decision.status} ${decision.reason}`,
      );
      const wantsPage = String(req.headers.accept ?? '').includes('text/html');
      const tenantId = route.kind === 'tenant' ? route.tenantId : undefined;
      // A signed-in user's own cookie never reaches another workspace's route (path scope): the marker says who is asking.
      const signedInTo = cookieValue(req, SIGNED_IN_COOKIE);
      const own = signedInTo !== undefined && isValidTenantId(signedInTo) ? signedInTo : undefined;
      const elsewhere = signedInTo !== undefined && signedInTo !== tenantId;
      if (wantsPage && (decision.status === 403 || (decision.status === 401 && elsewhere))) {
        res.writeHead(403, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(forbiddenPage(own));
        return;
      }
      // The user's own workspace, its ID cookie gone or expired, the browser still signed in: renew silently through the
      // auth UI (the refresh cookie reaches only the session endpoint). No loop: the auth UI returns here only after the
      // readiness check passed with the renewed cookie, and shows the sign-in form when the refresh fails.
      if (decision.status === 401 && wantsPage && req.method === 'GET' && tenantId !== undefined && signedInTo === tenantId) {
        res
          .writeHead(303, {
            location: `/?next=${encodeURIComponent(route.kind === 'tenant' ? route.upstreamPath : '/')}`,
            'cache-control': 'no-store',
          })
          .end();
        return;
      }
      if (decision.status === 401 && wantsPage) {
        res.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(unauthenticatedPage(tenantId));
        return;
      }
      res.writeHead(decision.status, JSON_HEADERS).end(refusalBody(decision));
      return;
    }
    const relay = relayFor(decision, target, req);
    options.onTenantActivity?.({ kind: 'request', tenantId: decision.tenantId, running: relay !== undefined });
    if (!relay && req.method === 'GET' && String(req.headers.accept ?? '').includes('text/html')) {
      // A page load of the owner's workspace while it sleeps or starts: the auth UI's progress view waits until it
      // is ready, then comes back to the same page.
      res.writeHead(303, { location: `/?next=${encodeURIComponent(decision.upstreamPath)}`, 'cache-control': 'no-store' }).end();
      return;
    }
    if (!relay) {
      // No Retry-After: the auth UI's progress view polls the readiness path through this answer while a gateway wakes,
      // and a wait it asked for would be time between a ready gateway and the person's workspace (as in the cluster,
      // where Envoy answers a route without endpoints without one).
      res.writeHead(503, JSON_HEADERS).end(UNAVAILABLE_BODY);
      return;
    }
    res.once('close', () => options.onTenantActivity?.({ kind: 'request-ended', tenantId: decision.tenantId }));
    relayHttp(req, res, relay, (e) => log(`upstream error for tenant ${decision.tenantId}: ${e.message}`));
  }

  /**
   * `/t/<id>/_platform/sign-out`: every verified session cookie's user is
   * signed out at this edge (their tokens refused from now on, their open
   * WebSockets closed), the route's cookie expires, and the browser goes to
   * the auth UI, which revokes the refresh token.
   */
  async function signOutFromWorkspace(tenantId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.writeHead(405, { ...JSON_HEADERS, allow: 'GET, POST' }).end(JSON.stringify({ error: 'method-not-allowed' }));
      return;
    }
    const tokens = [...new Set(sessionTokensFromCookieHeader(req.headers.cookie))].slice(0, MAX_SESSION_COOKIES);
    for (const token of tokens) {
      const verified = await verifyToken(token);
      if (verified.ok && typeof verified.claims['sub'] === 'string') endSessions(verified.claims['sub']);
    }
    res.writeHead(303, {
      location: `/?${SIGNED_OUT_PARAM}=1`,
      'cache-control': 'no-store',
      'set-cookie': sessionSetCookie(EDGE_SESSION_COOKIE, '', {
        path: tenantNames(tenantId).routePath,
        maxAgeSeconds: 0,
        secure: secureCookies,
      }),
    });
    res.end();
  }

  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const framing = requestFramingProblem(req.method ?? '', req.headersDistinct);
    if (framing) {
      log(`refused upgrade 400 ${framing}`);
      writeRawResponse(
        socket,
        400,
        'Bad Request',
        { 'content-type': 'application/json' },
        JSON.stringify({ error: 'bad-request', reason: framing }),
      );
      return;
    }
    const route = routeEdgeRequest(req.url ?? '/');
    const target = upstreamOf(route);
    const decision = await decide(route, req, target);
    if (decision.action === 'refuse') {
      log(
        `refused upgrade ${route.kind === 'tenant' ? `/t/${route.tenantId}` : '(not a tenant route)'} ${decision.status} ${decision.reason}`,
      );
      const reason = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[decision.status];
      writeRawResponse(socket, decision.status, reason, { 'content-type': 'application/json' }, refusalBody(decision));
      return;
    }
    const relay = relayFor(decision, target, req);
    options.onTenantActivity?.({ kind: 'request', tenantId: decision.tenantId, running: relay !== undefined });
    if (!relay) {
      writeRawResponse(socket, 503, 'Service Unavailable', { 'content-type': 'application/json' }, UNAVAILABLE_BODY);
      return;
    }
    const relays = relaysByIdentity.get(decision.identity) ?? new Set<Duplex>();
    relaysByIdentity.set(decision.identity, relays.add(socket));
    options.onTenantActivity?.({ kind: 'websocket-opened', tenantId: decision.tenantId });
    options.onTenantActivity?.({ kind: 'request-ended', tenantId: decision.tenantId });
    socket.once('close', () => {
      relays.delete(socket);
      options.onTenantActivity?.({ kind: 'websocket-closed', tenantId: decision.tenantId });
    });
    relayUpgrade(req, socket, head, relay, (e) => log(`upstream upgrade error for tenant ${decision.tenantId}: ${e.message}`));
  }

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      const unavailable = error instanceof IdentityProviderUnavailableError;
      log(unavailable ? (error as Error).message : `edge error: ${(error as Error).message}`);
      if (!res.headersSent)
        res
          .writeHead(unavailable ? 503 : 500, JSON_HEADERS)
          .end(JSON.stringify({ error: unavailable ? 'identity-provider-unavailable' : 'edge-error' }));
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    onUpgrade(req, socket, head).catch((error: unknown) => {
      log(`edge upgrade error: ${(error as Error).message}`);
      writeRawResponse(socket, 503, 'Service Unavailable', { 'content-type': 'application/json' }, JSON.stringify({ error: 'edge-error' }));
    });
  });
  // Long-lived WebSockets must not keep close() waiting forever.
  const sockets = new Set<Duplex>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        for (const s of sockets) s.destroy();
      }),
  };
}
