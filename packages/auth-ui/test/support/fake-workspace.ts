/** A tenant gateway stand-in behind the edge: ready at /readyz, a page under /t/<id>/, and a log of the identities it saw. */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/** RFC 6455 §4.2.2: the accept value for a client key. */
const acceptKey = (key: string): string => createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');

export interface FakeWorkspace {
  readonly port: number;
  /** `x-openclaw-user` values seen, with the cookie header presence (must be false). */
  readonly seen: Array<{ path: string; user: string | undefined; cookie: boolean }>;
  /** WebSocket connections the gateway holds open (the handshake only; no frames are exchanged). */
  openSockets(): number;
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
      .end(
        `<!doctype html><title>Workspace ${tenant}</title><style>body{background:#0a0a12;color:#fff;font-family:sans-serif}</style><h1>Workspace ${tenant}</h1><p id="identity">${String(user)}</p>`,
      );
  });
  const sockets = new Set<Duplex>();
  server.on('upgrade', (req, socket: Duplex) => {
    const user = req.headers['x-openclaw-user'];
    seen.push({ path: req.url ?? '', user: typeof user === 'string' ? user : undefined, cookie: req.headers.cookie !== undefined });
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(String(req.headers['sec-websocket-key']))}\r\n\r\n`,
    );
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    openSockets: () => sockets.size,
    answerNotReady: (n: number) => {
      notReady = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
