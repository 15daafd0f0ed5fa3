import type { ChatCompletion } from '../core/chat-response.js';
import { parseToolArguments } from './chat-messages-to-anthropic.js';
import { chatUsageToAnthropicUsage, type MessagesUsage } from './chat-usage-to-anthropic-usage.js';
import { mapFinishReasonToStopReason } from './map-finish-reason-to-stop-reason.js';
import { originalToolName, type ToolNameMap } from './shorten-tool-name.js';

export type MessagesResponseBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface MessagesResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: MessagesResponseBlock[];
  stop_reason: string;
  stop_sequence: null;
  usage: MessagesUsage;
}

/** What the caller knows that the completion does not: the message id and model to report, and shortened tool names. */
export interface MessagesAnswerOptions {
  id: string;
  model: string;
  toolNames: ToolNameMap;
}

/** A chat completion → an Anthropic Messages response: thinking, then text, then tool_use blocks. */
export function chatToMessagesResponse(completion: ChatCompletion, opts: MessagesAnswerOptions): MessagesResponse {
  const choice = completion.choices[0];
  const message = choice?.message;
  const content: MessagesResponseBlock[] = [];
  const reasoning = message?.reasoning_content ?? (typeof message?.reasoning === 'string' ? message.reasoning : undefined);
  // the signature stays empty: only Anthropic signs thinking, and this text did not come from Anthropic
  if (reasoning) content.push({ type: 'thinking', thinking: reasoning, signature: '' });
  const text = textOf(message?.content);
  if (text) content.push({ type: 'text', text });
  for (const call of message?.tool_calls ?? []) {
    content.push({ type: 'tool_use', id: call.id, name: originalToolName(opts.toolNames, call.function.name), input: parseToolArguments(call.function.arguments) });
  }
  const hasTools = (message?.tool_calls?.length ?? 0) > 0;
  return {
    id: opts.id,
    type: 'message',
    role: 'assistant',
    model: opts.model,
    content,
    stop_reason: mapFinishReasonToStopReason(choice?.finish_reason, hasTools),
    stop_sequence: null,
    usage: chatUsageToAnthropicUsage(completion.usage),
  };
}

// some upstreams answer with content parts instead of a string
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((p: { type?: unknown; text?: unknown }) => (p?.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('');
}
