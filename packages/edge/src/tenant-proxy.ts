/**
 * Relays one authorized request to a tenant gateway with node:http.
 *
 * Why not a proxy library: http-proxy-3 2.x needs Node >= 22 (the repo runs
 * on 20), and both it and its 1.x line build the upstream request from
 * `req.headers` plus options of their own (xfwd, changeOrigin). Here the
 * upstream headers are exactly what the shared contract rebuilt, and
 * node:http's client already implements the hard parts (chunked bodies and
 * the `upgrade` handshake).
 */
import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { withoutHopByHopHeaders } from '@openclaw-tenancy/shared';
import type { UpstreamTarget } from './upstream';

export interface RelayRequest {
  readonly target: UpstreamTarget;
  readonly path: string;
  /** Already rebuilt by the contract (identity and forwarding headers set, client copies and hop-by-hop headers stripped). */
  readonly headers: Record<string, string | string[]>;
}

export function relayHttp(req: IncomingMessage, res: ServerResponse, relay: RelayRequest, onError: (e: Error) => void): void {
  // The client's chunked coding was consumed here (hop-by-hop); the body is re-framed the same way, never sent bare.
  const framing = req.headers['transfer-encoding'] === undefined ? {} : { 'transfer-encoding': 'chunked' };
  const upstream = http.request({
    host: relay.target.host,
    port: relay.target.port,
    method: req.method,
    path: relay.path,
    headers: { ...relay.headers, ...framing },
  });
  upstream.on('response', (upRes) => {
    res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, withoutHopByHopHeaders(upRes.headers));
    upRes.pipe(res);
  });
  // A browser that goes away (navigation, closed tab) must not leave the gateway request running.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  upstream.on('error', (error) => {
    if (res.destroyed && !res.writableFinished) return;
    onError(error);
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(
        JSON.stringify({
          error: 'workspace-unreachable',
          message: 'The workspace did not answer. It may be restarting; try again in a few seconds.',
        }),
      );
    } else {
      res.destroy();
    }
  });
  req.pipe(upstream);
}

/** Writes a complete HTTP/1.1 response on a raw socket (upgrade requests have no ServerResponse). */
export function writeRawResponse(socket: Duplex, status: number, reason: string, headers: Record<string, string>, body: string): void {
  const lines = [
    `HTTP/1.1 ${status} ${reason}`,
    ...Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' }).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

export function relayUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, relay: RelayRequest, onError: (e: Error) => void): void {
  const headers = { ...relay.headers, connection: 'Upgrade', upgrade: String(req.headers['upgrade'] ?? 'websocket') };
  const upstream = http.request({ host: relay.target.host, port: relay.target.port, method: req.method, path: relay.path, headers });
  upstream.on('upgrade', (upRes, upSocket, upHead) => {
    const lines = [`HTTP/1.1 ${upRes.statusCode} ${upRes.statusMessage}`];
    for (let i = 0; i < upRes.rawHeaders.length; i += 2) lines.push(`${upRes.rawHeaders[i]}: ${upRes.rawHeaders[i + 1]}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upHead.length > 0) socket.write(upHead);
    if (head.length > 0) upSocket.write(head);
    // Either side closing or failing ends the other: no WebSocket to a gateway outlives its browser.
    upSocket.on('error', () => socket.destroy());
    socket.on('error', () => upSocket.destroy());
    upSocket.on('close', () => socket.destroy());
    socket.on('close', () => upSocket.destroy());
    upSocket.pipe(socket).pipe(upSocket);
  });
  // The gateway declined the upgrade (e.g. 403 proxy_attribution_required): pass its answer on.
  upstream.on('response', (upRes) => {
    const chunks: Buffer[] = [];
    upRes.on('data', (c: Buffer) => chunks.push(c));
    upRes.on('end', () => {
      const contentType = String(upRes.headers['content-type'] ?? 'text/plain');
      writeRawResponse(
        socket,
        upRes.statusCode ?? 502,
        upRes.statusMessage ?? '',
        { 'content-type': contentType },
        Buffer.concat(chunks).toString('utf8'),
      );
    });
  });
  upstream.on('error', (error) => {
    onError(error);
    writeRawResponse(
      socket,
      502,
      'Bad Gateway',
      { 'content-type': 'application/json' },
      JSON.stringify({ error: 'workspace-unreachable' }),
    );
  });
  socket.on('error', () => upstream.destroy());
  upstream.end();
}
