import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { STAND_IN_REPLY_PREFIX, scriptedToolCallMessage } from '../src/model/scripted-model';
import { ScriptedModelServer, readRecordedToolResults, startScriptedModelServer } from '../src/model/scripted-model-server';

interface Chunk {
  choices: Array<{
    delta: { content?: string; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }> };
    finish_reason: string | null;
  }>;
}

async function streamed(endpoint: string, messages: unknown[]): Promise<{ chunks: Chunk[]; done: boolean }> {
  const res = await fetch(`${endpoint}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'scripted', stream: true, messages }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const events = (await res.text())
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6));
  return { chunks: events.filter((e) => e !== '[DONE]').map((e) => JSON.parse(e) as Chunk), done: events.at(-1) === '[DONE]' };
}

describe('the scripted model server (OpenAI chat completions)', () => {
  let dir: string;
  let server: ScriptedModelServer;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-stand-in-'));
    server = await startScriptedModelServer({ host: '127.0.0.1', recordFile: path.join(dir, 'tool-results.jsonl') });
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('streams a reply in several chunks that together say it is the local stand-in, then [DONE]', async () => {
    const { chunks, done } = await streamed(server.endpoint, [{ role: 'user', content: 'hello there, who are you?' }]);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(`${STAND_IN_REPLY_PREFIX} you said "hello there, who are you?".`);
    expect(chunks.filter((c) => (c.choices[0]?.delta.content ?? '') !== '').length).toBeGreaterThan(3);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(done).toBe(true);
  });

  it('streams over time: the first words arrive before the reply is complete', async () => {
    const res = await fetch(`${server.endpoint}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'a message long enough to need many chunks' }] }),
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const arrivals: Array<{ at: number; text: string }> = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      arrivals.push({ at: Date.now(), text: Buffer.from(value).toString('utf8') });
    }
    const firstWords = arrivals.find((a) => a.text.includes('Local stand-in'));
    const last = arrivals.at(-1);
    expect(last?.text).toContain('[DONE]');
    expect((last?.at ?? 0) - (firstWords?.at ?? 0)).toBeGreaterThanOrEqual(100);
  });

  it('asks for a scripted tool call, and records the result the client sends back (in memory and in the record file)', async () => {
    const user = { role: 'user', content: scriptedToolCallMessage({ tool: 'read', arguments: { path: 'USER.md' } }) };
    const first = await streamed(server.endpoint, [user]);
    const call = first.chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])[0];
    expect(call?.function).toEqual({ name: 'read', arguments: '{"path":"USER.md"}' });
    expect(first.chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');

    const waiting = server.waitForToolResult('read', 5000);
    const second = await streamed(server.endpoint, [
      user,
      { role: 'assistant', content: null, tool_calls: [{ id: call?.id, type: 'function', function: call?.function }] },
      { role: 'tool', tool_call_id: call?.id, content: [{ type: 'text', text: '# About me' }] },
    ]);
    expect(second.chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(`${STAND_IN_REPLY_PREFIX} read returned: # About me`);
    const recorded = await waiting;
    expect(recorded).toMatchObject({ tool: 'read', arguments: { path: 'USER.md' }, result: '# About me', caller: '127.0.0.1' });
    expect(server.toolResults()).toEqual([recorded]);
    expect(readRecordedToolResults(path.join(dir, 'tool-results.jsonl'))).toEqual([recorded]);
    expect(fs.statSync(path.join(dir, 'tool-results.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('names the caller of a recorded result as the platform tells it (the tenant whose pod called)', async () => {
    const named = await startScriptedModelServer({
      host: '127.0.0.1',
      callerOf: (address) => (address === '127.0.0.1' ? 'alice' : undefined),
    });
    try {
      const user = { role: 'user', content: scriptedToolCallMessage({ tool: 'ls', arguments: {} }) };
      await fetch(`${named.endpoint}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({
          messages: [
            user,
            { role: 'assistant', tool_calls: [{ id: 'c1', function: { name: 'ls', arguments: '{}' } }] },
            { role: 'tool', tool_call_id: 'c1', content: 'USER.md' },
          ],
        }),
      });
      expect(named.toolResults()).toEqual([expect.objectContaining({ tool: 'ls', caller: 'alice', result: 'USER.md' })]);
    } finally {
      await named.close();
    }
  });

  it('answers without streaming when the client asks so', async () => {
    const res = await fetch(`${server.endpoint}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    });
    const body = (await res.json()) as { choices: Array<{ message: { content: string }; finish_reason: string }> };
    expect(body.choices[0]).toMatchObject({ message: { content: `${STAND_IN_REPLY_PREFIX} you said "hi".` }, finish_reason: 'stop' });
  });

  it('lists its one model', async () => {
    const body = (await (await fetch(`${server.endpoint}/models`)).json()) as { data: Array<{ id: string }> };
    expect(body.data.map((m) => m.id)).toEqual(['scripted']);
  });

  it('fails if the request is not JSON or has no messages, with a 400 that says why, and records nothing', async () => {
    const notJson = await fetch(`${server.endpoint}/chat/completions`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toMatch(/^request body is not JSON/);
    const noMessages = await fetch(`${server.endpoint}/chat/completions`, { method: 'POST', body: '{"messages":"hi"}' });
    expect(noMessages.status).toBe(400);
    expect(((await noMessages.json()) as { error: { message: string } }).error.message).toBe('"messages" must be an array');
    expect(server.toolResults()).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'tool-results.jsonl'))).toBe(false);
  });

  it('fails with a 404 naming what it serves for any other path', async () => {
    const res = await fetch(`${server.endpoint.replace(/\/v1$/, '')}/v1/responses`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /serves POST \/v1\/chat\/completions and GET \/v1\/models, not POST \/v1\/responses/,
    );
  });

  it('fails a wait for a tool result that never comes, naming the tool', async () => {
    await expect(server.waitForToolResult('exec', 50)).rejects.toThrow('the gateway sent no result for tool exec within 0.05 s');
  });
});
