import type { ContentPart } from '../core/chat-schema.js';
import { GatewayError } from '../core/errors.js';
import type { MessagesContentBlock } from './messages-request-schema.js';

type Block = MessagesContentBlock;
type Cache = { cache_control?: unknown };

/**
 * One user-side Anthropic block (text, image, document, search result) → a chat content part, keeping a
 * block's `cache_control` on the part so an Anthropic upstream still sees the breakpoint. `path` names the
 * block in errors. Blocks with no chat equivalent (Anthropic file ids, URL documents) are a 400.
 */
export function blockToChatPart(block: Block, path: string): ContentPart | undefined {
  switch (block.type) {
    case 'text':
      return withCache({ type: 'text', text: block.text }, block);
    case 'image':
      if (block.source.type === 'base64') return withCache({ type: 'image_url', image_url: { url: `data:${block.source.media_type};base64,${block.source.data}` } }, block);
      if (block.source.type === 'url') return withCache({ type: 'image_url', image_url: { url: block.source.url } }, block);
      throw untranslatable(path, 'images from the Anthropic Files API');
    case 'document':
      return withCache(documentPart(block.source as Record<string, unknown>, block.title, path), block);
    case 'search_result':
      return withCache({ type: 'text', text: [block.title, block.source, ...block.content.map((b) => b.text)].join('\n') }, block);
    default:
      return undefined;
  }
}

function documentPart(source: Record<string, unknown>, title: unknown, path: string): ContentPart {
  if (source.type === 'base64' && typeof source.data === 'string') {
    const filename = typeof title === 'string' ? title : 'document';
    return { type: 'file', file: { filename, file_data: `data:${String(source.media_type)};base64,${source.data}` } };
  }
  if (source.type === 'text' && typeof source.data === 'string') return { type: 'text', text: source.data };
  if (source.type === 'content') {
    const content = source.content;
    if (typeof content === 'string') return { type: 'text', text: content };
    if (Array.isArray(content)) return { type: 'text', text: content.map((b: { text?: unknown }) => (typeof b?.text === 'string' ? b.text : '')).join('\n') };
  }
  throw untranslatable(`${path}.source`, `documents with a ${JSON.stringify(source.type)} source`);
}

/** Text parts without cache breakpoints collapse to a plain string, which every OpenAI-compatible server accepts. */
export function simplifyParts(parts: ContentPart[]): string | ContentPart[] {
  if (parts.length === 1) {
    const only = parts[0] as ContentPart & Cache & { text?: string };
    if (only.type === 'text' && only.cache_control === undefined) return only.text ?? '';
  }
  return parts;
}

/** The text of a string or text-block content (system prompts, tool results). */
export function textOf(content: string | ReadonlyArray<{ type: string; text?: unknown }> | undefined): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  let out = '';
  for (const block of content) if (block.type === 'text' && typeof block.text === 'string') out += (out ? '\n' : '') + block.text;
  return out;
}

function withCache<T extends ContentPart>(part: T, block: Cache): T {
  return block.cache_control ? { ...part, cache_control: block.cache_control } : part;
}

function untranslatable(path: string, what: string): GatewayError {
  return new GatewayError('invalid_request', `${path}: ${what} can only be sent to an Anthropic upstream, and this model is served by another kind`, {
    code: 'unsupported_content',
    param: path,
  });
}
