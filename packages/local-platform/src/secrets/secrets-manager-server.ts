/**
 * The local stand-in for AWS Secrets Manager: an HTTP server speaking its JSON
 * protocol (`POST /`, `X-Amz-Target: secretsmanager.<Action>`,
 * `application/x-amz-json-1.1`), so the real AWS SDK client of the Lambdas
 * and the gateway's own secret provider script talk to it unchanged, only
 * with their endpoint pointed here. Every request must carry a valid SigV4
 * signature of a known access key, and the access policy decides per caller.
 * Secret values and keys never reach the log.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runSecretsManagerAction } from './secrets-manager-actions';
import { SecretsManagerError } from './secrets-manager-error';
import type { SecretsStoreFile } from './secrets-store-file';
import { describePrincipal } from './secret-access-policy';
import { verifySigV4 } from './sigv4-verifier';

const TARGET_PREFIX = 'secretsmanager.';
const MAX_BODY_BYTES = 1024 * 1024;

export interface SecretsManagerServerOptions {
  readonly store: SecretsStoreFile;
  readonly host: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** Region callers sign for and ARNs carry. */
  readonly region: string;
  readonly account: string;
  /** One line per refused request (caller, action, reason); never values. @default - silent */
  readonly log?: (line: string) => void;
  readonly now?: () => Date;
}

export interface SecretsManagerServer {
  /** `http://<host>:<port>`: the `endpoint` for SDK clients and `AWS_ENDPOINT_URL_SECRETS_MANAGER`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: Record<string, unknown>, errorType?: string): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
  res.end(JSON.stringify(body));
}

export async function startSecretsManagerServer(options: SecretsManagerServerOptions): Promise<SecretsManagerServer> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);

  async function answer(req: http.IncomingMessage, body: string): Promise<Record<string, unknown>> {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
      throw new SecretsManagerError('UnknownOperationException', 'expected POST with X-Amz-Target: secretsmanager.<Action>');
    }
    const action = target.slice(TARGET_PREFIX.length);
    const key = await verifySigV4(
      { method: req.method, path: req.url ?? '/', headers: req.headers, body },
      { service: 'secretsmanager', region: options.region, lookupKey: (id) => options.store.accessKeyById(id), now: now() },
    );
    let input: unknown;
    try {
      input = body === '' ? {} : JSON.parse(body);
    } catch {
      throw new SecretsManagerError('SerializationException', 'the request body is not JSON');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new SecretsManagerError('SerializationException', 'the request body must be a JSON object');
    try {
      return runSecretsManagerAction(action, input as Record<string, unknown>, {
        store: options.store,
        principal: key.principal,
        region: options.region,
        account: options.account,
        now: now(),
      });
    } catch (e) {
      if (e instanceof SecretsManagerError && e.code === 'AccessDeniedException')
        log(`denied ${describePrincipal(key.principal)} ${action}`);
      throw e;
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      answer(req, Buffer.concat(chunks).toString('utf8')).then(
        (out) => send(res, 200, out),
        (e: unknown) => {
          if (e instanceof SecretsManagerError) {
            if (e.code !== 'AccessDeniedException' && e.code !== 'ResourceNotFoundException' && e.code !== 'ResourceExistsException')
              log(`refused: ${e.code}`);
            send(res, 400, { __type: e.code, message: e.message }, e.code);
            return;
          }
          log(`internal error: ${(e as Error).message}`);
          send(res, 500, { __type: 'InternalServiceError', message: 'the local secrets store failed' }, 'InternalServiceError');
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host}:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
