import type { ChatMessage } from '../core/chat-schema.js';
import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
  AnthropicToolUseBlock,
} from './anthropic-types.js';
import {
  applyMessageCacheControl,
  cacheControlOf,
  chatContentToTextBlocks,
  chatContentToUserBlocks,
} from './chat-content-to-anthropic-blocks.js';

export interface AnthropicConversation {
  system: AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

/**
 * Chat messages → Anthropic `system` blocks and alternating user/assistant messages: system and developer
 * entries (wherever they appear) go to `system`, tool results become `tool_result` blocks in a user turn
 * ahead of any user text, and consecutive same-role turns are merged because Anthropic requires alternation.
 */
export function chatMessagesToAnthropic(messages: readonly ChatMessage[]): AnthropicConversation {
  const system: AnthropicTextBlock[] = [];
  const turns: AnthropicMessage[] = [];
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'developer') {
      system.push(...applyMessageCacheControl(chatContentToTextBlocks(message.content), message));
      continue;
    }
    const turn = toTurn(message);
    if (turn.content.length > 0) pushMerged(turns, turn);
  }
  trimFinalAssistantText(turns);
  return { system, messages: turns };
}

/** Anthropic tool ids must match ^[a-zA-Z0-9_-]+$; some upstreams mint ids with other characters. */
export function sanitizeToolId(id: string): string {
  const clean = id.replace(/[^a-zA-Z0-9_-]/g, '_');
  return clean === '' ? 'toolu_' : clean;
}

function toTurn(message: Exclude<ChatMessage, { role: 'system' | 'developer' }>): AnthropicMessage {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: applyMessageCacheControl(chatContentToUserBlocks(message.content), message) };
    case 'assistant':
      return { role: 'assistant', content: applyMessageCacheControl(assistantBlocks(message), message) };
    case 'tool':
      return { role: 'user', content: [toolResultBlock(message)] };
    case 'function': {
      // legacy function results carry no call id, so they can only travel as text
      const text = chatContentToTextBlocks(message.content).map((b) => b.text).join('');
      return { role: 'user', content: text ? [{ type: 'text', text: `${message.name}: ${text}` }] : [] };
    }
  }
}

function assistantBlocks(message: Extract<ChatMessage, { role: 'assistant' }>): AnthropicContentBlock[] {
  // reasoning_content is dropped: Anthropic only accepts thinking it signed, which LiteLLM-style
  // clients echo back as `thinking_blocks`
  const blocks: AnthropicContentBlock[] = [...signedThinkingBlocks(message.thinking_blocks)];
  blocks.push(...chatContentToTextBlocks(message.content));
  for (const call of message.tool_calls ?? []) {
    const block: AnthropicToolUseBlock = {
      type: 'tool_use',
      id: sanitizeToolId(call.id),
      name: call.function.name,
      input: parseToolArguments(call.function.arguments),
    };
    blocks.push(block);
  }
  return blocks;
}

function signedThinkingBlocks(value: unknown): AnthropicContentBlock[] {
  if (!Array.isArray(value)) return [];
  const out: AnthropicContentBlock[] = [];
  for (const b of value as Array<Record<string, unknown>>) {
    if (b?.type === 'thinking' && typeof b.thinking === 'string' && typeof b.signature === 'string') {
      out.push({ type: 'thinking', thinking: b.thinking, signature: b.signature });
    } else if (b?.type === 'redacted_thinking' && typeof b.data === 'string') {
      out.push({ type: 'redacted_thinking', data: b.data });
    }
  }
  return out;
}

/** Tool-call arguments are a JSON string in chat and an object in Anthropic; anything unparsable becomes `{}`. */
export function parseToolArguments(args: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(args);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // models sometimes emit truncated arguments; the turn must still be sendable
  }
  return {};
}

function toolResultBlock(message: Extract<ChatMessage, { role: 'tool' }>): AnthropicToolResultBlock {
  const parts = chatContentToUserBlocks(message.content);
  const content =
    typeof message.content === 'string'
      ? message.content
      : parts.filter((b): b is Exclude<typeof b, { type: 'document' }> => b.type !== 'document');
  const block: AnthropicToolResultBlock = { type: 'tool_result', tool_use_id: sanitizeToolId(message.tool_call_id), content };
  const cc = cacheControlOf(message);
  return cc ? { ...block, cache_control: cc } : block;
}

function pushMerged(turns: AnthropicMessage[], turn: AnthropicMessage): void {
  const last = turns[turns.length - 1];
  if (!last || last.role !== turn.role) {
    turns.push({ role: turn.role, content: hoistToolResults(turn.content) });
    return;
  }
  last.content = hoistToolResults([...last.content, ...turn.content]);
}

// Anthropic requires tool_result blocks first in a user turn, before any text the user added
function hoistToolResults(blocks: AnthropicContentBlock[]): AnthropicContentBlock[] {
  const results = blocks.filter((b) => b.type === 'tool_result');
  if (results.length === 0) return blocks;
  return [...results, ...blocks.filter((b) => b.type !== 'tool_result')];
}

// A final assistant turn is a prefill, and Anthropic rejects prefills ending in whitespace
function trimFinalAssistantText(turns: AnthropicMessage[]): void {
  const last = turns[turns.length - 1];
  if (last?.role !== 'assistant') return;
  const tail = last.content[last.content.length - 1];
  if (tail?.type !== 'text') return;
  const text = tail.text.trimEnd();
  if (text === '') last.content.pop();
  else last.content[last.content.length - 1] = { ...tail, text };
  if (last.content.length === 0) turns.pop();
}
