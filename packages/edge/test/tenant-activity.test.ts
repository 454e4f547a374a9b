import WebSocket from 'ws';
import { EDGE_SESSION_COOKIE } from '@openclaw-tenancy/shared';
import { edgeVectorTenantOwner } from '@openclaw-tenancy/shared/testing';
import { RunningEdge, TenantActivity, startEdge } from '../src';
import { httpGet, websocketUpgrade } from './support/edge-client';
import { FakeGateway, startFakeGateway } from './support/fake-gateway';
import { TokenMinter, startTokenMinter } from './support/token-minter';

let minter: TokenMinter;
let gateway: FakeGateway;
let edge: RunningEdge;
let running: Set<string>;
const activity: TenantActivity[] = [];

beforeAll(async () => {
  minter = await startTokenMinter();
  gateway = await startFakeGateway();
  edge = await startEdge({
    identity: { issuer: minter.context.issuer, audience: minter.context.audience, jwksUri: minter.jwksUri },
    resolveUpstream: (tenantId) =>
      running.has(tenantId) ? { host: '127.0.0.1', port: gateway.port, owner: edgeVectorTenantOwner(tenantId) } : undefined,
    onTenantActivity: (a) => activity.push(a),
  });
});

afterAll(async () => {
  await edge.close();
  await gateway.close();
  await minter.close();
});

beforeEach(() => {
  activity.length = 0;
  running = new Set(['alice']);
});

const cookie = (token: string): Record<string, string> => ({ cookie: `${EDGE_SESSION_COOKIE}=${token}` });
const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('tenant activity reported by the edge', () => {
  it('reports an authenticated request to a running workspace, and its end (work in progress until then)', async () => {
    const answer = await httpGet(edge.url, '/t/alice/', cookie(await minter.mint({ user: 'alice' })));
    expect(answer.status).toBe(200);
    await until(() => activity.length === 2);
    expect(activity).toEqual([
      { kind: 'request', tenantId: 'alice', running: true },
      { kind: 'request-ended', tenantId: 'alice' },
    ]);
  });

  it('reports an authenticated request to a stopped workspace as not running (the wake signal)', async () => {
    running.clear();
    const answer = await httpGet(edge.url, '/t/alice/_platform/ready', cookie(await minter.mint({ user: 'alice' })));
    expect(answer.status).toBe(503);
    expect(activity).toEqual([{ kind: 'request', tenantId: 'alice', running: false }]);
  });

  it.each([
    ['without a token', async (): Promise<Record<string, string>> => ({})],
    ['with another user’s token', async () => cookie(await minter.mint({ user: 'bob' }))],
    ['with a forged token', async () => cookie(await minter.mint({ user: 'alice', signing: 'foreign-key' }))],
    ['with an expired token', async () => cookie(await minter.mint({ user: 'alice', expiresInSeconds: -3600 }))],
  ])('reports nothing for a request %s, running or not', async (_name, headers) => {
    for (const state of [['alice'], []]) {
      running = new Set(state);
      const answer = await httpGet(edge.url, '/t/alice/_platform/ready', await headers());
      expect([401, 403]).toContain(answer.status);
      const upgrade = await websocketUpgrade(edge.url, '/t/alice', await headers());
      expect([401, 403]).toContain(upgrade.status);
    }
    expect(activity).toEqual([]);
  });

  it('reports a relayed WebSocket when it opens and when it closes', async () => {
    const socket = new WebSocket(`${edge.url.replace(/^http/, 'ws')}/t/alice`, { headers: cookie(await minter.mint({ user: 'alice' })) });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    // The upgrade request ends as it becomes a WebSocket, which is tracked from then on.
    expect(activity).toEqual([
      { kind: 'request', tenantId: 'alice', running: true },
      { kind: 'websocket-opened', tenantId: 'alice' },
      { kind: 'request-ended', tenantId: 'alice' },
    ]);
    socket.close();
    await until(() => activity.length === 4);
    expect(activity[3]).toEqual({ kind: 'websocket-closed', tenantId: 'alice' });
  });
});

describe('a page load of a workspace that is not running', () => {
  it("sends the owner's browser to the auth UI's progress view, which returns to the same page", async () => {
    running.clear();
    const answer = await httpGet(edge.url, '/t/alice/chat?session=main', {
      ...cookie(await minter.mint({ user: 'alice' })),
      accept: 'text/html',
    });
    expect(answer.status).toBe(303);
    expect(answer.headers['location']).toBe(`/?next=${encodeURIComponent('/t/alice/chat?session=main')}`);
    expect(activity).toEqual([{ kind: 'request', tenantId: 'alice', running: false }]);
  });

  it('still answers a script 503 with the JSON the progress view polls for', async () => {
    running.clear();
    const answer = await httpGet(edge.url, '/t/alice/_platform/ready', {
      ...cookie(await minter.mint({ user: 'alice' })),
      accept: 'application/json',
    });
    expect(answer.status).toBe(503);
  });

  it('never redirects another user: bob gets the refusal page', async () => {
    running.clear();
    const answer = await httpGet(edge.url, '/t/alice/', { ...cookie(await minter.mint({ user: 'bob' })), accept: 'text/html' });
    expect(answer.status).toBe(403);
    expect(activity).toEqual([]);
  });
});
