import type { ContentPart } from '../core/chat-schema.js';
import type {
  AnthropicCacheControl,
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicTextBlock,
} from './anthropic-types.js';

type ChatContent = string | ContentPart[] | null | undefined;
export type UserContentBlock = AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock;

/** Reads a client's `cache_control` (message object or content part) when it looks like one. */
export function cacheControlOf(value: unknown): AnthropicCacheControl | undefined {
  const cc = (value as { cache_control?: unknown } | null)?.cache_control;
  if (cc && typeof cc === 'object' && (cc as { type?: unknown }).type === 'ephemeral') return cc as AnthropicCacheControl;
  return undefined;
}

/** Puts a message-level `cache_control` on the message's last block, where Anthropic expects the breakpoint. */
export function applyMessageCacheControl<T extends object>(blocks: T[], message: unknown): T[] {
  const cc = cacheControlOf(message);
  const last = blocks[blocks.length - 1];
  // thinking blocks cannot carry a breakpoint
  if (!cc || !last || 'cache_control' in last || String((last as { type?: unknown }).type).endsWith('thinking')) return blocks;
  blocks[blocks.length - 1] = { ...last, cache_control: cc };
  return blocks;
}

/** Text-only view of chat content (system prompts, assistant text); empty text is dropped since Anthropic rejects it. */
export function chatContentToTextBlocks(content: ChatContent): AnthropicTextBlock[] {
  if (content == null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const blocks: AnthropicTextBlock[] = [];
  for (const part of content) {
    if (part.type !== 'text' || typeof part.text !== 'string' || part.text === '') continue;
    blocks.push(withCache<AnthropicTextBlock>({ type: 'text', text: part.text }, part));
  }
  return blocks;
}

/** User (or tool result) content → Anthropic text, image and document blocks. */
export function chatContentToUserBlocks(content: ChatContent): UserContentBlock[] {
  if (content == null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const blocks: UserContentBlock[] = [];
  for (const part of content) {
    const block = partToBlock(part);
    if (block) blocks.push(withCache(block, part));
  }
  return blocks;
}

function partToBlock(part: ContentPart): UserContentBlock | undefined {
  if (part.type === 'text') {
    const text = (part as { text?: unknown }).text;
    return typeof text === 'string' && text !== '' ? { type: 'text', text } : undefined;
  }
  if (part.type === 'image_url') {
    const ref = (part as { image_url?: unknown }).image_url;
    const url = typeof ref === 'string' ? ref : (ref as { url?: unknown } | undefined)?.url;
    return typeof url === 'string' ? imageBlock(url) : undefined;
  }
  if (part.type === 'file') {
    const data = (part as { file?: { file_data?: unknown } }).file?.file_data;
    const parsed = typeof data === 'string' ? parseDataUrl(data) : undefined;
    if (parsed) return { type: 'document', source: { type: 'base64', media_type: parsed.mediaType, data: parsed.data } };
  }
  // audio and other OpenAI-only parts have no Anthropic equivalent
  return undefined;
}

function imageBlock(url: string): AnthropicImageBlock | undefined {
  const parsed = parseDataUrl(url);
  if (parsed) return { type: 'image', source: { type: 'base64', media_type: parsed.mediaType, data: parsed.data } };
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  return undefined;
}

function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  return match ? { mediaType: match[1]!, data: match[2]! } : undefined;
}

function withCache<T extends object>(block: T, part: unknown): T {
  const cc = cacheControlOf(part);
  return cc ? { ...block, cache_control: cc } : block;
}
