/**
 * A stand-in for a tenant's OpenClaw gateway: records exactly what reached
 * it (every header value, repeats included) and echoes WebSocket messages.
 */
import http, { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly websocket: boolean;
  /** `headersDistinct`: a header sent twice shows up as two values, as a backend would see it. */
  readonly headers: Record<string, string[]>;
  readonly body: string;
}

export interface FakeGateway {
  readonly port: number;
  readonly received: ReceivedRequest[];
  /** WebSocket connections currently open on the gateway side. */
  openSockets(): number;
  close(): Promise<void>;
}

function record(req: IncomingMessage, websocket: boolean, body: string): ReceivedRequest {
  return {
    method: req.method ?? '',
    path: req.url ?? '',
    websocket,
    headers: { ...req.headersDistinct } as Record<string, string[]>,
    body,
  };
}

export async function startFakeGateway(): Promise<FakeGateway> {
  const received: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(record(req, false, Buffer.concat(chunks).toString('utf8')));
      const body = req.url === '/readyz' ? { ready: true, failing: [] } : { gateway: 'fake', path: req.url };
      res.writeHead(200, { 'content-type': 'application/json', 'x-fake-gateway': '1' }).end(JSON.stringify(body));
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    received.push(record(req, true, ''));
    wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', (data) => ws.send(`echo:${String(data)}`)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    openSockets: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
