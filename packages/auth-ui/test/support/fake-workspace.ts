/** A tenant gateway stand-in behind the edge: ready at /readyz, a page under /t/<id>/, and a log of the identities it saw. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeWorkspace {
  readonly port: number;
  /** `x-openclaw-user` values seen, with the cookie header presence (must be false). */
  readonly seen: Array<{ path: string; user: string | undefined; cookie: boolean }>;
  /** The next n readiness polls answer 503 `{"ready":false}`, as a starting gateway does. */
  answerNotReady(n: number): void;
  close(): Promise<void>;
}

export async function startFakeWorkspace(): Promise<FakeWorkspace> {
  const seen: FakeWorkspace['seen'] = [];
  let notReady = 0;
  const server = http.createServer((req, res) => {
    const user = req.headers['x-openclaw-user'];
    seen.push({ path: req.url ?? '', user: typeof user === 'string' ? user : undefined, cookie: req.headers.cookie !== undefined });
    if (req.url === '/readyz' && notReady > 0) {
      notReady -= 1;
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready: false, failing: ['agents'] }));
      return;
    }
    if (req.url === '/readyz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ready: true, failing: [] }));
      return;
    }
    const tenant = /^\/t\/([a-z0-9-]+)/.exec(req.url ?? '')?.[1] ?? '?';
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><title>Workspace ${tenant}</title><style>body{background:#0a0a12;color:#fff;font-family:sans-serif}</style><h1>Workspace ${tenant}</h1><p id="identity">${String(user)}</p>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    answerNotReady: (n: number) => {
      notReady = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
