import { createHash } from 'node:crypto';
import type { ChatMessage, ChatRequest } from '../../core/chat-schema.js';
import { messageText } from '../../core/estimate-tokens.js';

/** What the demo provider reads from the last user message. */
export interface UserTurn {
  text: string;
  images: number;
}

/** A tool result at the end of the conversation, with the tool's name looked up from the assistant's call. */
export interface ToolResult {
  toolCallId: string;
  name: string;
  output: string;
}

/** The last user message's text and image count (empty when the conversation has no user message). */
export function lastUserTurn(request: ChatRequest): UserTurn {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i]!;
    if (message.role !== 'user') continue;
    const images = Array.isArray(message.content) ? message.content.filter((p) => p.type === 'image_url').length : 0;
    return { text: messageText(message).trim(), images };
  }
  return { text: '', images: 0 };
}

/** The tool results that end the conversation (empty when the last message is not a tool result). */
export function trailingToolResults(request: ChatRequest): ToolResult[] {
  const { messages } = request;
  let start = messages.length;
  while (start > 0 && messages[start - 1]!.role === 'tool') start--;
  const names = new Map<string, string>();
  for (const message of messages.slice(0, start)) {
    if (message.role === 'assistant') for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name);
  }
  return messages.slice(start).map((message: ChatMessage) => {
    const id = message.role === 'tool' ? message.tool_call_id : '';
    return { toolCallId: id, name: names.get(id) ?? 'tool', output: messageText(message).trim() };
  });
}

/** Hex SHA-256 of a string: the seed of every deterministic choice the demo provider makes. */
export function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A stable hash of everything that shapes the answer, for ids. */
export function requestHash(request: ChatRequest, modelName: string): string {
  return hashOf(JSON.stringify([modelName, request.messages, request.tools ?? null, request.tool_choice ?? null]));
}
