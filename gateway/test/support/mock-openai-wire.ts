import type { ChatChunk, ChatCompletion, ChunkDelta, ToolCall, Usage } from '../../src/core/chat-response.js';

/** What the mock says for a successful reply: plain text (optionally with reasoning) or tool calls. */
export interface TextReply {
  kind: 'text';
  text: string;
  reasoning?: string;
  usage?: Partial<Usage>;
  /** Characters per stream chunk (default 8). */
  chunkSize?: number;
  /** Pause between stream chunks, so tests can see chunks relayed one by one (default 0: one write). */
  chunkDelayMs?: number;
}

export interface ToolCallsReply {
  kind: 'tool_calls';
  calls: Array<{ id?: string; name: string; arguments: string }>;
  text?: string;
  usage?: Partial<Usage>;
  chunkSize?: number;
  chunkDelayMs?: number;
}

export type SuccessReply = TextReply | ToolCallsReply;

/** Per-request facts a reply body depends on. */
export interface ReplyContext {
  id: string;
  created: number;
  model: string;
  promptTokens: number;
  includeUsage: boolean;
}

const DEFAULT_CHUNK_SIZE = 8;

/** Rough token estimate (about four characters per token), as good as the tests need. */
export function estimateTokens(chars: number): number {
  return chars <= 0 ? 0 : Math.max(1, Math.ceil(chars / 4));
}

/** Usage for a reply: estimates overlaid with whatever the reply script pins. */
export function usageFor(reply: SuccessReply, promptTokens: number): Usage {
  const outChars =
    reply.kind === 'text'
      ? reply.text.length + (reply.reasoning?.length ?? 0)
      : (reply.text?.length ?? 0) + reply.calls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
  const prompt = reply.usage?.prompt_tokens ?? promptTokens;
  const completion = reply.usage?.completion_tokens ?? estimateTokens(outChars);
  return { ...reply.usage, prompt_tokens: prompt, completion_tokens: completion, total_tokens: reply.usage?.total_tokens ?? prompt + completion };
}

function toolCallsOf(reply: ToolCallsReply): ToolCall[] {
  return reply.calls.map((c, i) => ({ id: c.id ?? `call_mock_${i}`, type: 'function', function: { name: c.name, arguments: c.arguments } }));
}

/** The non-streamed `chat.completion` body. */
export function completionBody(reply: SuccessReply, ctx: ReplyContext): string {
  const message: ChatCompletion['choices'][number]['message'] =
    reply.kind === 'text'
      ? { role: 'assistant', content: reply.text, ...(reply.reasoning ? { reasoning_content: reply.reasoning } : {}) }
      : { role: 'assistant', content: reply.text ?? null, tool_calls: toolCallsOf(reply) };
  const body: ChatCompletion = {
    id: ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: reply.kind === 'text' ? 'stop' : 'tool_calls' }],
    usage: usageFor(reply, ctx.promptTokens),
  };
  return JSON.stringify(body);
}

function split(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}

/** SSE events of a streamed reply: `head` (role and content chunks) and `tail` (finish, usage, [DONE]). */
export function streamEvents(reply: SuccessReply, ctx: ReplyContext): { head: string[]; tail: string[] } {
  const size = Math.max(1, reply.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const event = (delta: ChunkDelta, finish: string | null = null): string => {
    const chunk: ChatChunk = {
      id: ctx.id,
      object: 'chat.completion.chunk',
      created: ctx.created,
      model: ctx.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      // OpenAI sends `usage: null` on every chunk once usage was asked for.
      ...(ctx.includeUsage ? { usage: null } : {}),
    };
    return `data: ${JSON.stringify(chunk)}\n\n`;
  };
  const head = [event({ role: 'assistant', content: '' })];
  if (reply.kind === 'text' && reply.reasoning) {
    for (const part of split(reply.reasoning, size)) head.push(event({ reasoning_content: part }));
  }
  for (const part of split(reply.text ?? '', size)) head.push(event({ content: part }));
  if (reply.kind === 'tool_calls') {
    toolCallsOf(reply).forEach((call, index) => {
      head.push(event({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
      for (const part of split(call.function.arguments, size)) head.push(event({ tool_calls: [{ index, function: { arguments: part } }] }));
    });
  }
  const tail = [event({}, reply.kind === 'text' ? 'stop' : 'tool_calls')];
  if (ctx.includeUsage) {
    const usageChunk: ChatChunk = { id: ctx.id, object: 'chat.completion.chunk', created: ctx.created, model: ctx.model, choices: [], usage: usageFor(reply, ctx.promptTokens) };
    tail.push(`data: ${JSON.stringify(usageChunk)}\n\n`);
  }
  tail.push('data: [DONE]\n\n');
  return { head, tail };
}

/** The OpenAI error body for a scripted error status. */
export function errorBody(status: number, body: unknown): string {
  if (typeof body === 'string') return body;
  if (body !== undefined) return JSON.stringify(body);
  const type = status === 429 ? 'rate_limit_exceeded' : status === 401 ? 'invalid_request_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return JSON.stringify({ error: { message: `Mock upstream error ${status}`, type, code: null, param: null } });
}
