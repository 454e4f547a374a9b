/**
 * The shared edge contract's test vectors against the real edge server, with
 * a fake tenant gateway that records exactly what it received.
 */
import net from 'node:net';
import { EDGE_SESSION_COOKIE } from '@openclaw-tenancy/shared';
import {
  EDGE_FRAMING_VECTORS,
  EDGE_TEST_VECTORS,
  EDGE_VECTOR_TENANTS,
  EdgeFramingVector,
  EdgeTestVector,
  edgeVectorTenantOwner,
  upstreamHeaderProblems,
} from '@openclaw-tenancy/shared/testing';
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
    resolveUpstream: (tenantId) =>
      EDGE_VECTOR_TENANTS.includes(tenantId)
        ? { host: '127.0.0.1', port: gateway.port, owner: edgeVectorTenantOwner(tenantId) }
        : undefined,
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
    expect(
      Object.keys(seen!.headers)
        .filter((h) => h.startsWith('x-openclaw-'))
        .sort(),
    ).toEqual(['x-openclaw-scopes', 'x-openclaw-user']);
  });

  it('fetched the JWKS once for all vectors (cached)', () => {
    expect(minter.jwksFetches()).toBe(1);
  });
});

/**
 * Writes the exact bytes of a request on a fresh connection and collects
 * everything the edge answers until it closes the connection (every request
 * here ends with the server closing: a 400, or `connection: close`).
 */
function sendRaw(baseUrl: string, raw: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(raw));
    socket.setTimeout(5000, () => socket.destroy(new Error(`no close after 5 s; got ${JSON.stringify(answer)}`)));
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('the edge refuses every ambiguous framing with 400 and relays nothing', () => {
  it.each(EDGE_FRAMING_VECTORS.map((v) => [v.name, v] as const))('%s', async (_name, vector: EdgeFramingVector) => {
    const token = await minter.mint({ user: 'alice' });
    const head = [
      `${vector.method} ${vector.path} HTTP/1.1`,
      'host: edge',
      `cookie: ${EDGE_SESSION_COOKIE}=${token}`,
      ...vector.headers.map(([n, v]) => `${n}: ${v}`),
    ];
    const answer = await sendRaw(edge.url, `${head.join('\r\n')}\r\n\r\n${vector.body}`);

    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    // Exactly one response: the smuggled request was never parsed as a second one.
    expect(answer.match(/HTTP\/1\.1 \d{3}/g)).toHaveLength(1);
    expect(gateway.received).toEqual([]);
  });

  it('still relays a correctly framed chunked POST, re-framed', async () => {
    const token = await minter.mint({ user: 'alice' });
    const head = [
      'POST /t/alice/api HTTP/1.1',
      'host: edge',
      `cookie: ${EDGE_SESSION_COOKIE}=${token}`,
      'transfer-encoding: chunked',
      'connection: close',
    ];
    const answer = await sendRaw(edge.url, `${head.join('\r\n')}\r\n\r\n7\r\n{"a":1}\r\n0\r\n\r\n`);
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(gateway.received).toHaveLength(1);
    expect(gateway.received[0]).toMatchObject({ method: 'POST', body: '{"a":1}' });
    expect(gateway.received[0]!.headers['transfer-encoding']).toEqual(['chunked']);
  });

  it('keeps Content-Length when Connection names it on a POST', async () => {
    const token = await minter.mint({ user: 'alice' });
    const head = [
      'POST /t/alice/api HTTP/1.1',
      'host: edge',
      `cookie: ${EDGE_SESSION_COOKIE}=${token}`,
      'content-length: 7',
      'connection: content-length, close',
    ];
    const answer = await sendRaw(edge.url, `${head.join('\r\n')}\r\n\r\n{"a":1}`);
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(gateway.received).toHaveLength(1);
    expect(gateway.received[0]).toMatchObject({ method: 'POST', body: '{"a":1}' });
    expect(gateway.received[0]!.headers['content-length']).toEqual(['7']);
  });
});
