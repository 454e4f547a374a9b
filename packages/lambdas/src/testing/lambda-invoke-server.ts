/**
 * A local implementation of the Lambda Invoke API
 * (`POST /2015-03-31/functions/<name>/invocations`) that runs real handlers in
 * this process. cognito-local calls its triggers through it; the local
 * platform and the auth UI's browser tests reuse it. A handler error is
 * answered the way Lambda does: HTTP 200, `X-Amz-Function-Error: Unhandled`
 * and `{errorType, errorMessage}`, which Cognito turns into
 * "<Trigger> failed with error <message>.".
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';

export type InvocableHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface LambdaInvokeServer {
  /** `http://127.0.0.1:<port>`: the `LambdaClient.endpoint` for cognito-local. */
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface LambdaInvokeServerOptions {
  /** Function name → handler. */
  readonly functions: Readonly<Record<string, InvocableHandler>>;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Remaining time each invocation reports, in ms. @default 30000 */
  readonly timeoutMs?: number;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** A Lambda context good enough for Powertools (logger context, idempotency timeouts). */
export function localLambdaContext(functionName: string, timeoutMs = 30000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export async function startLambdaInvokeServer(options: LambdaInvokeServerOptions): Promise<LambdaInvokeServer> {
  const server = http.createServer((req, res) => {
    const match = INVOKE_PATH.exec((req.url ?? '').split('?')[0] ?? '');
    const name = match ? decodeURIComponent(match[1] ?? '') : '';
    const fn = options.functions[name];
    if (req.method !== 'POST' || !match || !fn) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
      res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name || req.url}` }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = async (): Promise<{ headers: Record<string, string>; body: unknown }> => {
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          const result = await fn(text ? JSON.parse(text) : {}, localLambdaContext(name, options.timeoutMs));
          return { headers: {}, body: result ?? null };
        } catch (e) {
          const error = e instanceof Error ? e : new Error(String(e));
          return { headers: { 'x-amz-function-error': 'Unhandled' }, body: { errorType: error.name, errorMessage: error.message } };
        }
      };
      void answer().then(({ headers, body }) => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST', ...headers });
        res.end(JSON.stringify(body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host ?? '127.0.0.1'}:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
