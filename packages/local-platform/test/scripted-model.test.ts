import {
  ChatMessage,
  STAND_IN_REPLY_PREFIX,
  ScriptedToolCallError,
  answer,
  parseScriptedToolCall,
  personText,
  scriptedToolCallMessage,
} from '../src/model/scripted-model';

/** A user message as OpenClaw 2026.9.6 sends it: a time stamp before, a runtime line after, and an internal context message next to it. */
const asGatewaySends = (text: string): ChatMessage[] => [
  { role: 'system', content: 'You are a personal assistant.' },
  { role: 'user', content: `[Fri 2026-12-04 19:47 UTC] ${text}\n\nRuntime: agent=main | model=local-stand-in/scripted` },
  {
    role: 'user',
    content: [
      { type: 'text', text: '<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>\nActive exec sessions: none\n<<<END_OPENCLAW_INTERNAL_CONTEXT>>>' },
    ],
  },
];

describe('the scripted model stand-in', () => {
  it('answers a message with a reply that says it is the local stand-in and echoes what the person wrote', () => {
    const reply = answer(asGatewaySends('hello'));
    expect(reply).toEqual({ kind: 'text', text: `${STAND_IN_REPLY_PREFIX} you said "hello".` });
  });

  it('is deterministic: the same conversation gets the same answer', () => {
    const conversation = asGatewaySends(scriptedToolCallMessage({ tool: 'read', arguments: { path: 'USER.md' } }));
    expect(answer(conversation)).toEqual(answer(conversation));
  });

  it('asks for the scripted tool call, then replies with the result the gateway sent back, recording it', () => {
    const request = asGatewaySends(scriptedToolCallMessage({ tool: 'read', arguments: { path: 'USER.md' } }));
    const first = answer(request);
    expect(first).toMatchObject({ kind: 'tool-call', call: { tool: 'read', arguments: { path: 'USER.md' } } });
    // The gateway renumbers call ids; the answer is found by tool name.
    const withResult: ChatMessage[] = [
      ...request.slice(0, 2),
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'callstandin1abc', function: { name: 'read', arguments: '{"path":"USER.md"}' } }],
      },
      { role: 'tool', tool_call_id: 'callstandin1abc', content: '# About me' },
    ];
    const second = answer(withResult);
    expect(second).toEqual({
      kind: 'text',
      text: `${STAND_IN_REPLY_PREFIX} read returned: # About me`,
      toolResult: { tool: 'read', arguments: { path: 'USER.md' }, callId: 'callstandin1abc', result: '# About me' },
    });
  });

  it('asks for a tool once per message: a call the gateway answered with nothing ends in a reply, not a loop', () => {
    const messages: ChatMessage[] = [
      ...asGatewaySends('stand-in: call exec {"command":"id"}').slice(0, 2),
      { role: 'assistant', content: null, tool_calls: [{ id: 'x1', function: { name: 'exec', arguments: '{"command":"id"}' } }] },
    ];
    expect(answer(messages)).toEqual({ kind: 'text', text: `${STAND_IN_REPLY_PREFIX} the gateway sent no result for exec.` });
  });

  it('answers the latest message: an earlier tool request is not repeated', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'stand-in: call read {"path":"a"}' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', function: { name: 'read', arguments: '{"path":"a"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'A' },
      { role: 'assistant', content: 'done' },
      { role: 'user', content: 'thanks' },
    ];
    expect(answer(messages)).toEqual({ kind: 'text', text: `${STAND_IN_REPLY_PREFIX} you said "thanks".` });
  });

  it('fails if a tool request is malformed, replying with how to write it instead of calling anything', () => {
    expect(answer(asGatewaySends('stand-in: call read path=USER.md'))).toMatchObject({
      kind: 'text',
      text: expect.stringContaining('the arguments of read are not JSON'),
    });
    expect(answer(asGatewaySends('stand-in: call'))).toMatchObject({
      kind: 'text',
      text: expect.stringContaining('write "stand-in: call <tool> <JSON object of arguments>"'),
    });
    expect(parseScriptedToolCall('stand-in: call read {"path": }')).toBeInstanceOf(ScriptedToolCallError);
    expect(parseScriptedToolCall('stand-in: call read ["a"]')).toEqual(
      new ScriptedToolCallError('the arguments of read must be a JSON object'),
    );
    expect(parseScriptedToolCall('just talking about a stand-in')).toBeUndefined();
  });

  it('fails if a scripted tool name could not be a tool name', () => {
    expect(() => scriptedToolCallMessage({ tool: 'read {"x":1}', arguments: {} })).toThrow(
      /tool name "read \{\\"x\\":1\}" must be 1-64 letters/,
    );
  });

  it('round-trips a tool request through the message text', () => {
    const call = { tool: 'sessions_list', arguments: { limit: 2, nested: { a: [1, 'two', null] } } };
    expect(parseScriptedToolCall(scriptedToolCallMessage(call))).toEqual(call);
  });

  it('reads only what the person wrote from a gateway message', () => {
    expect(personText('[Fri 2026-12-04 19:47 UTC] hi there\n\nRuntime: agent=main')).toBe('hi there');
    expect(personText([{ type: 'text', text: '<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>x<<<END_OPENCLAW_INTERNAL_CONTEXT>>>' }])).toBe('');
    // A Control UI chat message (OpenClaw 2026.9.6): the sender as a context paragraph, then the text.
    expect(personText('Conversation info: ⟦openclaw:ctx⟧\n```json\n{"sender":{"id":"69f9","name":"9b7c"}}\n```\n\nhello')).toBe('hello');
  });

  it('says so when there is no user message', () => {
    expect(answer([{ role: 'system', content: 'x' }])).toEqual({
      kind: 'text',
      text: `${STAND_IN_REPLY_PREFIX} there is no user message to answer.`,
    });
  });
});
