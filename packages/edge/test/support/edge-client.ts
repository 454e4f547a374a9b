/** Sends one vector's request to the edge over HTTP or as a WebSocket upgrade and reports the status. */
import http from 'node:http';
import WebSocket from 'ws';
import { EDGE_SESSION_COOKIE } from '@openclaw-tenancy/shared';
import type { EdgeVectorRequest } from '@openclaw-tenancy/shared/testing';
import type { TokenMinter } from './token-minter';

export interface EdgeAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** Open socket when the upgrade succeeded (the caller closes it). */
  readonly socket?: WebSocket;
}

export async function requestHeadersFor(
  request: EdgeVectorRequest,
  minter: TokenMinter,
): Promise<{ path: string; headers: Record<string, string> }> {
  const headers: Record<string, string> = { ...(request.headers ?? {}) };
  let path = request.path;
  if (request.token) {
    const token = await minter.mint(request.token);
    const placement = request.token.placement ?? 'cookie';
    if (placement === 'cookie') headers['cookie'] = `theme=dark; ${EDGE_SESSION_COOKIE}=${token}`;
    else if (placement === 'authorization-bearer') headers['authorization'] = `Bearer ${token}`;
    else path += `${path.includes('?') ? '&' : '?'}access_token=${token}`;
  }
  return { path, headers };
}

export function httpGet(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: string,
): Promise<EdgeAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function websocketUpgrade(baseUrl: string, path: string, headers: Record<string, string>): Promise<EdgeAnswer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`, { headers, origin: baseUrl });
    ws.once('upgrade', (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '', socket: ws }));
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    ws.once('error', (e) => reject(e));
  });
}
