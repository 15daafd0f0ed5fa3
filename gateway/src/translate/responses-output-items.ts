import type { FinishReason } from '../core/chat-response.js';
import type { FunctionCallItem, ItemStatus, MessageItem, ReasoningItem, ResponseStatus } from './responses-types.js';

/** Output item ids derive from the response id and the item's position, so translations stay deterministic. */
export function outputItemId(responseId: string, prefix: 'msg' | 'fc' | 'rs', outputIndex: number): string {
  return `${prefix}_${responseId.startsWith('resp_') ? responseId.slice(5) : responseId}_${outputIndex}`;
}

/** A chat finish reason → the response status and, when cut short, why. */
export function responseStatusFor(finish: FinishReason | null | undefined): { status: ResponseStatus; incomplete_details: { reason: string } | null } {
  if (finish === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finish === 'content_filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

/** An assistant message item with one output_text part. */
export function messageItem(id: string, text: string, status: ItemStatus): MessageItem {
  return { type: 'message', id, role: 'assistant', status, content: [{ type: 'output_text', text, annotations: [] }] };
}

/** A function call item. */
export function functionCallItem(id: string, callId: string, name: string, args: string, status: ItemStatus): FunctionCallItem {
  return { type: 'function_call', id, call_id: callId, name, arguments: args, status };
}

/** A reasoning item carrying the upstream's raw reasoning as reasoning_text. */
export function reasoningItem(id: string, text: string): ReasoningItem {
  return { type: 'reasoning', id, summary: [], content: [{ type: 'reasoning_text', text }] };
}

/** The reasoning text of a chat message or delta: `reasoning_content` (DeepSeek, vLLM) or `reasoning` (OpenRouter). */
export function reasoningOf(message: { reasoning_content?: unknown; reasoning?: unknown }): string | undefined {
  const text = typeof message.reasoning_content === 'string' ? message.reasoning_content : message.reasoning;
  return typeof text === 'string' && text !== '' ? text : undefined;
}
