/**
 * The shared edge contract's test vectors against the real edge server, with
 * a fake tenant gateway that records exactly what it received.
 */
import { EDGE_TEST_VECTORS, EDGE_VECTOR_TENANTS, EdgeTestVector, edgeVectorTenantOwner, upstreamHeaderProblems } from '@openclaw-tenancy/shared';
import { RunningEdge, startEdge } from '../src';
import { FakeGateway, startFakeGateway } from './support/fake-gateway';
import { httpGet, requestHeadersFor, websocketUpgrade } from './support/edge-client';
import { TokenMinter, startTokenMinter } from './support/token-minter';

let minter: TokenMinter;
let gateway: FakeGateway;
let edge: RunningEdge;

beforeAll(async () => {
  minter = await startTokenMinter();
  gateway = await startFakeGateway();
  edge = await startEdge({
    identity: { issuer: minter.context.issuer, audience: minter.context.audience, jwksUri: minter.jwksUri },
    // Every vector tenant routes to the same recorder; the request path tells them apart.
    resolveUpstream: (tenantId) => (EDGE_VECTOR_TENANTS.includes(tenantId) ? { host: '127.0.0.1', port: gateway.port, owner: edgeVectorTenantOwner(tenantId) } : undefined),
  });
});

afterAll(async () => {
  await edge.close();
  await gateway.close();
  await minter.close();
});

beforeEach(() => {
  gateway.received.length = 0;
});

describe('the edge enforces every contract vector', () => {
  it.each(EDGE_TEST_VECTORS.map((v) => [v.name, v] as const))('%s', async (_name, vector: EdgeTestVector) => {
    const { path, headers } = await requestHeadersFor(vector.request, minter);
    const answer = vector.request.websocket ? await websocketUpgrade(edge.url, path, headers) : await httpGet(edge.url, path, headers);
    answer.socket?.close();

    if (vector.expected.outcome === 'refused') {
      expect(answer.status).toBe(vector.expected.status);
      expect(gateway.received).toEqual([]);
      return;
    }
    expect(answer.status).toBe(vector.request.websocket ? 101 : 200);
    expect(gateway.received).toHaveLength(1);
    const [seen] = gateway.received;
    expect(seen!.path).toBe(vector.expected.upstreamPath);
    expect(seen!.websocket).toBe(Boolean(vector.request.websocket));
    expect(upstreamHeaderProblems(vector, seen!.headers)).toEqual([]);
    // Exactly what the local edge rebuilds (the contract allows Envoy to append to x-forwarded-for).
    expect(seen!.headers['x-forwarded-for']).toEqual(['203.0.113.7']);
    expect(seen!.headers['x-forwarded-proto']).toEqual(['http']);
    expect(Object.keys(seen!.headers).filter((h) => h.startsWith('x-openclaw-')).sort()).toEqual(['x-openclaw-scopes', 'x-openclaw-user']);
  });

  it('fetched the JWKS once for all vectors (cached)', () => {
    expect(minter.jwksFetches()).toBe(1);
  });
});
