import { countJoinedTokens } from './count-text-tokens.js';
import { toolsJson } from './tools-json.js';
import type { ChatMessage, ChatRequest } from './chat-schema.js';
import { dataUrlImageSize, imageTokens } from './image-tokens.js';

/** Role markers and separators around each message, and the tokens that prime the reply (OpenAI's chat format). */
const PER_MESSAGE_TOKENS = 4;
const REPLY_PRIMING_TOKENS = 3;

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

/** Input tokens of a message's images, each from its size when it is a data URL (else the most an image costs). */
export function messageImageTokens(message: ChatMessage): number {
  if (!Array.isArray(message.content)) return 0;
  let tokens = 0;
  for (const part of message.content) {
    if (part.type !== 'image_url') continue;
    const ref = (part as { image_url?: unknown }).image_url;
    const url = typeof ref === 'string' ? ref : typeof (ref as { url?: unknown } | undefined)?.url === 'string' ? (ref as { url: string }).url : '';
    tokens += imageTokens(dataUrlImageSize(url));
  }
  return tokens;
}

/**
 * Estimated prompt tokens: every message's text, the tool definitions, the images and the chat format's own
 * tokens per message, as the upstream would bill them.
 */
export function estimateChatTokens(request: ChatRequest): number {
  const texts = request.messages.map(messageText);
  if (request.tools?.length) texts.push(toolsJson(request.tools));
  let images = 0;
  for (const message of request.messages) images += messageImageTokens(message);
  return countJoinedTokens(texts) + images + request.messages.length * PER_MESSAGE_TOKENS + REPLY_PRIMING_TOKENS;
}
