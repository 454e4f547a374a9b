/**
 * Serves local bare repositories over smart HTTP with the real
 * `git http-backend` behind a small node:http CGI bridge. isomorphic-git
 * speaks only HTTP(S), so this is how tests and the local platform give the
 * provisioner a real Git remote. Needs the `git` binary (not present in Lambda,
 * and not needed there).
 */
import { execFileSync, spawn } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServerOptions {
  /** Directory holding the bare repositories (`<root>/<name>.git`). */
  readonly projectRoot: string;
  /** When set, every request needs HTTP basic auth with these credentials. */
  readonly credentials?: { readonly username: string; readonly password: string };
  /**
   * Called before a request reaches git; returning a status code answers the
   * request with it instead (tests use this to simulate a failing remote or to
   * push from another client at an exact moment).
   */
  readonly intercept?: (request: { method: string; path: string; service: string | undefined }) => Promise<number | void> | number | void;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
}

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** URL of a repository under the project root, e.g. `repoUrl('gitops.git')`. */
  repoUrl(name: string): string;
  close(): Promise<void>;
}

const gitExecPath = () => execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim();

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const backend = `${gitExecPath()}/git-http-backend`;
  const expectedAuth = options.credentials
    ? `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`
    : undefined;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const service =
      url.searchParams.get('service') ??
      (url.pathname.endsWith('/git-receive-pack')
        ? 'git-receive-pack'
        : url.pathname.endsWith('/git-upload-pack')
          ? 'git-upload-pack'
          : undefined);
    if (expectedAuth && req.headers.authorization !== expectedAuth) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="gitops"' });
      res.end();
      return;
    }
    void Promise.resolve(options.intercept?.({ method: req.method ?? 'GET', path: url.pathname, service })).then(
      (status) => {
        if (typeof status === 'number') {
          res.writeHead(status);
          res.end();
          return;
        }
        runBackend(backend, options.projectRoot, req, res, url, options.credentials?.username);
      },
      (e: Error) => {
        res.writeHead(500);
        res.end(e.message);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve()));
  const baseUrl = `http://${options.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    repoUrl: (name) => `${baseUrl}/${name}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function runBackend(
  backend: string,
  projectRoot: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  user: string | undefined,
): void {
  const child = spawn(backend, [], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      // http-backend refuses pushes from anonymous users unless receive-pack is enabled.
      REMOTE_USER: user ?? 'local',
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
      ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    // CGI response: header lines, a blank line, then the body.
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
      else headers[name] = value;
    }
    res.writeHead(status, headers);
    headersSent = true;
    res.write(head.subarray(end + 4));
  });
  child.stderr.resume();
  child.on('close', () => {
    if (!headersSent) res.writeHead(502);
    res.end();
  });
}
