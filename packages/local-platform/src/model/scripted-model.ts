/**
 * The script of the local model stand-in: what it answers to a conversation.
 * It is deterministic (the same conversation always gets the same answer)
 * and never pretends to be a model: every reply says it comes from the local
 * stand-in.
 *
 * A user message can ask for a tool call with a line
 * `stand-in: call <tool> <JSON object of arguments>` (see
 * {@link scriptedToolCallMessage}); the stand-in then asks the gateway to run
 * that tool, and once the gateway sends the tool's result back it replies with
 * what the tool returned. Anything else gets {@link STAND_IN_REPLY_PREFIX} plus
 * an echo of the message.
 */

/** Provider id and model id of the stand-in in the tenant gateway's config. */
export const STAND_IN_PROVIDER = 'local-stand-in';
export const STAND_IN_MODEL = 'scripted';
/** Every reply starts with this sentence, so nobody mistakes the stand-in for a model. */
export const STAND_IN_REPLY_PREFIX = 'Local stand-in model (offline, scripted; no real model runs on the local platform):';

const TOOL_CALL_LINE = /^stand-in: call ([A-Za-z0-9_.-]{1,64}) (\S.*?)\s*$/m;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ScriptedToolCall {
  /** The tool's name as the gateway offers it (e.g. `read`, `exec`, `sessions_list`). */
  readonly tool: string;
  readonly arguments: { readonly [key: string]: JsonValue };
}

export class ScriptedToolCallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptedToolCallError';
  }
}

/** The user message that makes the stand-in call `call.tool` with `call.arguments`. */
export function scriptedToolCallMessage(call: ScriptedToolCall): string {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(call.tool))
    throw new ScriptedToolCallError(`tool name ${JSON.stringify(call.tool)} must be 1-64 letters, digits, "_", "." or "-"`);
  return `stand-in: call ${call.tool} ${JSON.stringify(call.arguments)}`;
}

/** The tool call a user message asks for, if any; a malformed request is an error the stand-in replies with. */
export function parseScriptedToolCall(text: string): ScriptedToolCall | ScriptedToolCallError | undefined {
  const m = TOOL_CALL_LINE.exec(text);
  if (!m)
    return /^stand-in: call/m.test(text)
      ? new ScriptedToolCallError('write "stand-in: call <tool> <JSON object of arguments>", e.g. stand-in: call read {"path":"USER.md"}')
      : undefined;
  let args: unknown;
  try {
    args = JSON.parse(m[2] as string);
  } catch (e) {
    return new ScriptedToolCallError(`the arguments of ${m[1]} are not JSON: ${(e as Error).message}`);
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args))
    return new ScriptedToolCallError(`the arguments of ${m[1]} must be a JSON object`);
  return { tool: m[1] as string, arguments: args as { [key: string]: JsonValue } };
}

/** The parts of an OpenAI chat-completions conversation the script reads. */
export interface ChatMessage {
  readonly role: string;
  readonly content?: unknown;
  readonly tool_calls?: ReadonlyArray<{
    readonly id?: string;
    readonly function?: { readonly name?: string; readonly arguments?: string };
  }>;
  readonly tool_call_id?: string;
}

/** What the gateway sent back for a scripted tool call. */
export interface ToolResult {
  readonly tool: string;
  readonly arguments: { readonly [key: string]: JsonValue };
  readonly callId: string;
  /** The tool message's content as the gateway sent it (text parts joined). */
  readonly result: string;
}

export type ScriptedAnswer =
  | { readonly kind: 'text'; readonly text: string; readonly toolResult?: ToolResult }
  | { readonly kind: 'tool-call'; readonly callId: string; readonly call: ScriptedToolCall };

/** Text of a message's content: a string, or the text parts of an array of parts. */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) =>
        typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string'
          ? (part as { text: string }).text
          : '',
      )
      .join('');
  }
  return '';
}

const INTERNAL_CONTEXT = /<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>[\s\S]*?<<<END_OPENCLAW_INTERNAL_CONTEXT>>>/g;
/** A context paragraph the gateway puts before a chat message: a `⟦openclaw:ctx⟧` line and the fenced JSON block after it. */
const CONTEXT_PARAGRAPH = /^[^\n]*⟦openclaw:ctx⟧[^\n]*\n```[a-z]*\n[\s\S]*?\n```\s*/gm;

/**
 * What the person wrote, from a user message as the gateway sends it: without
 * OpenClaw's internal context blocks and context paragraphs, its leading
 * `[<time>] ` stamp and its trailing `Runtime: …` line.
 */
export function personText(content: unknown): string {
  return messageText(content)
    .replace(INTERNAL_CONTEXT, '')
    .replace(CONTEXT_PARAGRAPH, '')
    .replace(/\n\nRuntime: [^\n]*$/, '')
    .replace(/^\[[^\]\n]{1,60}\] /, '')
    .trim();
}

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/** A call id derived from the conversation, so a replayed conversation gets the same id. */
function callIdFor(userIndex: number, call: ScriptedToolCall): string {
  let hash = 0;
  for (const ch of `${userIndex}:${call.tool}:${JSON.stringify(call.arguments)}`) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `callstandin${userIndex}x${hash.toString(16)}`;
}

/** The stand-in's answer to a conversation. */
export function answer(messages: readonly ChatMessage[]): ScriptedAnswer {
  let userIndex = -1;
  let userText = '';
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i];
    if (message?.role !== 'user') continue;
    userText = personText(message.content);
    if (userText !== '') {
      userIndex = i;
      break;
    }
  }
  if (userIndex < 0) return { kind: 'text', text: `${STAND_IN_REPLY_PREFIX} there is no user message to answer.` };
  const requested = parseScriptedToolCall(userText);
  if (requested instanceof ScriptedToolCallError) return { kind: 'text', text: `${STAND_IN_REPLY_PREFIX} ${requested.message}` };
  if (!requested) return { kind: 'text', text: `${STAND_IN_REPLY_PREFIX} you said "${clip(userText, 500)}".` };

  // The gateway may rewrite call ids (it drops "_" and numbers repeats), so the answer to our call is found by
  // tool name: the first call of that tool after the person's message, and the tool message answering it.
  const after = messages.slice(userIndex + 1);
  const ourCall = after
    .flatMap((m) => (m.role === 'assistant' ? (m.tool_calls ?? []) : []))
    .find((c) => c.function?.name === requested.tool);
  if (!ourCall) return { kind: 'tool-call', callId: callIdFor(userIndex, requested), call: requested };
  const callId = ourCall.id ?? '';
  const resultMessage = after.find((m) => m.role === 'tool' && m.tool_call_id === callId);
  // Asked once per message, never again: a conversation without the result (a refused call) ends with a reply.
  if (!resultMessage) return { kind: 'text', text: `${STAND_IN_REPLY_PREFIX} the gateway sent no result for ${requested.tool}.` };
  const result = messageText(resultMessage.content);
  return {
    kind: 'text',
    text: `${STAND_IN_REPLY_PREFIX} ${requested.tool} returned: ${clip(result, 2000)}`,
    toolResult: { tool: requested.tool, arguments: requested.arguments, callId, result },
  };
}
