/**
 * The local model stand-in as an OpenAI-compatible HTTP endpoint
 * (`POST <endpoint>/chat/completions`, streamed or not, and `GET
 * <endpoint>/models`), which a tenant gateway uses through OpenClaw's
 * `openai-completions` adapter. It listens on the host's bridge address, the
 * only host address a pod reaches. What it answers is `scripted-model.ts`.
 *
 * Every tool result the gateway sends back for a scripted call is recorded
 * (in memory and, with `recordFile`, one JSON line each), so a test can prove
 * what the real gateway did with a tool request: ran it and returned what, or
 * refused it.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatMessage, STAND_IN_MODEL, ToolResult, answer } from './scripted-model';

export interface ScriptedModelServerOptions {
  readonly host: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  /** Appends each recorded tool result as a JSON line (mode 0600). @default - kept in memory only */
  readonly recordFile?: string;
  /** Names the caller of a request by its address (the local platform: the tenant whose pod it is). @default - the address itself */
  readonly callerOf?: (remoteAddress: string) => string | undefined;
  /** Pause between the chunks of a streamed reply, so a client shows it arriving. @default 30 */
  readonly chunkDelayMs?: number;
  readonly log?: (line: string) => void;
}

/** A tool result with who sent it and when it was recorded. */
export interface RecordedToolResult extends ToolResult {
  /** The tenant whose gateway sent it (or the caller's address when it is not known). */
  readonly caller: string;
  readonly recordedAt: string;
}

export interface ScriptedModelServer {
  /** Base URL of the OpenAI-compatible API, e.g. `http://10.203.0.1:4600/v1`. */
  readonly endpoint: string;
  /** Tool results received so far, oldest first. */
  toolResults(): readonly RecordedToolResult[];
  /** The first tool result (already received or still to come) for `tool`; rejects after `timeoutMs`. */
  waitForToolResult(tool: string, timeoutMs: number): Promise<RecordedToolResult>;
  close(): Promise<void>;
}

/** The largest request body the stand-in reads (a whole agent prompt with tool schemas fits easily). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Reads the tool results a stand-in recorded in `recordFile`. */
export function readRecordedToolResults(recordFile: string): RecordedToolResult[] {
  if (!fs.existsSync(recordFile)) return [];
  return fs
    .readFileSync(recordFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as RecordedToolResult);
}

class BadRequest extends Error {}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(`request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw new BadRequest(`request body is not JSON: ${(e as Error).message}`);
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Splits a reply into a few chunks at word boundaries, so a client sees it stream. */
function streamPieces(text: string): string[] {
  const words = text.split(/(?<= )/);
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += 4) pieces.push(words.slice(i, i + 4).join(''));
  return pieces.length > 0 ? pieces : [''];
}

export async function startScriptedModelServer(options: ScriptedModelServerOptions): Promise<ScriptedModelServer> {
  const recorded: RecordedToolResult[] = [];
  const waiters: Array<{ tool: string; resolve: (r: RecordedToolResult) => void }> = [];
  let sequence = 0;

  const record = (result: ToolResult, caller: string) => {
    if (recorded.some((r) => r.callId === result.callId && r.caller === caller)) return;
    const entry: RecordedToolResult = { ...result, caller, recordedAt: new Date().toISOString() };
    recorded.push(entry);
    if (options.recordFile) fs.appendFileSync(options.recordFile, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    for (const w of waiters.filter((x) => x.tool === entry.tool)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(entry);
    }
  };

  const completions = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const body = (await readJson(req)) as { messages?: unknown; stream?: unknown; model?: unknown };
    if (!Array.isArray(body.messages)) throw new BadRequest('"messages" must be an array');
    const result = answer(body.messages as ChatMessage[]);
    const address = req.socket.remoteAddress ?? 'unknown';
    if (result.kind === 'text' && result.toolResult) record(result.toolResult, options.callerOf?.(address) ?? address);
    sequence += 1;
    const id = `chatcmpl-standin-${sequence}`;
    const created = Math.floor(Date.now() / 1000);
    const model = typeof body.model === 'string' ? body.model : STAND_IN_MODEL;
    const toolCalls =
      result.kind === 'tool-call'
        ? [
            {
              index: 0,
              id: result.callId,
              type: 'function',
              function: { name: result.call.tool, arguments: JSON.stringify(result.call.arguments) },
            },
          ]
        : undefined;
    const finish = result.kind === 'tool-call' ? 'tool_calls' : 'stop';
    const text = result.kind === 'text' ? result.text : '';
    const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
    options.log?.(
      result.kind === 'tool-call'
        ? `asks for tool ${result.call.tool}`
        : result.toolResult
          ? `received the result of ${result.toolResult.tool}`
          : 'replies',
    );

    if (body.stream !== true) {
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: toolCalls ? null : text, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
            finish_reason: finish,
          },
        ],
        usage,
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const chunk = (delta: Record<string, unknown>, finishReason: string | null, extra: Record<string, unknown> = {}) =>
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`,
      );
    chunk({ role: 'assistant', content: '' }, null);
    if (toolCalls) chunk({ tool_calls: toolCalls }, null);
    else {
      for (const piece of streamPieces(text)) {
        if (res.destroyed) return;
        chunk({ content: piece }, null);
        await new Promise((r) => setTimeout(r, options.chunkDelayMs ?? 30));
      }
    }
    chunk({}, finish, { usage });
    res.end('data: [DONE]\n\n');
  };

  const server = http.createServer((req, res) => {
    const url = (req.url ?? '').split('?')[0] ?? '';
    const handle = async () => {
      if (req.method === 'GET' && url === '/v1/models') {
        sendJson(res, 200, { object: 'list', data: [{ id: STAND_IN_MODEL, object: 'model', created: 0, owned_by: 'local-platform' }] });
      } else if (req.method === 'POST' && url === '/v1/chat/completions') {
        await completions(req, res);
      } else {
        sendJson(res, 404, {
          error: {
            message: `the local model stand-in serves POST /v1/chat/completions and GET /v1/models, not ${req.method} ${url}`,
            type: 'not_found',
          },
        });
      }
    };
    handle().catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof BadRequest) sendJson(res, 400, { error: { message: e.message, type: 'invalid_request_error' } });
      else sendJson(res, 500, { error: { message: (e as Error).message, type: 'server_error' } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${options.host}:${port}/v1`,
    toolResults: () => [...recorded],
    waitForToolResult(tool, timeoutMs) {
      const found = recorded.find((r) => r.tool === tool);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          tool,
          resolve: (r: RecordedToolResult) => {
            clearTimeout(timer);
            resolve(r);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`the gateway sent no result for tool ${tool} within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
