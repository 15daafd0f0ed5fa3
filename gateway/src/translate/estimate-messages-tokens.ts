import { countJoinedTokens } from '../core/count-text-tokens.js';
import { imageSize, imageTokens } from '../core/image-tokens.js';
import type { CountTokensRequest, MessagesContentBlock } from './messages-request-schema.js';
/** Anthropic adds a tool-use system prompt of a few hundred tokens whenever tools are present. */
const TOOLS_PREAMBLE_TOKENS = 350;
/** Role markers and separators per message. */
const PER_MESSAGE_TOKENS = 3;

/** Estimated input tokens of a Messages request (system, messages, tools), as `count_tokens` reports them. */
export function estimateMessagesTokens(req: CountTokensRequest): number {
  const texts: string[] = [];
  let images = 0;
  // Anthropic bills an image by its pixels (w·h/750, capped near 1,600): read from a base64 image's header, else the cap
  const addImage = (source: unknown): void => {
    const data = (source as { type?: unknown; data?: unknown } | undefined)?.data;
    images += imageTokens(typeof data === 'string' ? imageSize(Buffer.from(data.slice(0, 131_072), 'base64')) : undefined);
  };
  const addBlock = (block: MessagesContentBlock): void => {
    switch (block.type) {
      case 'text':
        texts.push(block.text);
        break;
      case 'thinking':
        texts.push(block.thinking);
        break;
      case 'image':
        addImage(block.source);
        break;
      case 'tool_use':
        texts.push(block.name, JSON.stringify(block.input));
        break;
      case 'tool_result':
        if (typeof block.content === 'string') texts.push(block.content);
        else block.content?.forEach(addBlock);
        break;
      case 'search_result':
        texts.push(block.title, ...block.content.map((b) => b.text));
        break;
      case 'document': {
        const data = (block.source as { type?: unknown; data?: unknown }).data;
        // a base64 PDF costs roughly what its text would; its encoded size over-counts about fourfold
        if (typeof data === 'string') texts.push(block.source.type === 'text' ? data : data.slice(0, Math.floor(data.length / 4)));
        break;
      }
      default:
        texts.push(JSON.stringify(block));
    }
  };
  if (typeof req.system === 'string') texts.push(req.system);
  else req.system?.forEach(addBlock);
  for (const message of req.messages) {
    if (typeof message.content === 'string') texts.push(message.content);
    else message.content.forEach(addBlock);
  }
  const tools = req.tools ?? [];
  for (const tool of tools) texts.push(tool.name, tool.description ?? '', tool.input_schema ? JSON.stringify(tool.input_schema) : '');
  const overhead = req.messages.length * PER_MESSAGE_TOKENS + (tools.length > 0 ? TOOLS_PREAMBLE_TOKENS : 0);
  return countJoinedTokens(texts) + images + overhead;
}
