import { estimateTokenCount } from 'tokenx';
import type { ChatMessage, ChatRequest } from './chat-schema.js';

/** The text a model would read from one message: string content, text parts, tool call names and arguments. */
export function messageText(message: ChatMessage): string {
  const parts: string[] = [];
  const content = message.content;
  if (typeof content === 'string') parts.push(content);
  else if (Array.isArray(content)) {
    for (const part of content) if (part.type === 'text' && typeof part.text === 'string') parts.push(part.text);
  }
  if (message.role === 'assistant') {
    if (message.reasoning_content) parts.push(message.reasoning_content);
    for (const call of message.tool_calls ?? []) parts.push(call.function.name, call.function.arguments);
  }
  return parts.join('\n');
}

/** Estimated prompt tokens: every message's text plus the tool definitions, as a tokenizer would see them. */
export function estimateChatTokens(request: ChatRequest): number {
  const texts = request.messages.map(messageText);
  if (request.tools?.length) texts.push(JSON.stringify(request.tools));
  return estimateTokenCount(texts.join('\n'));
}
