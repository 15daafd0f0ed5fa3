import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../src/core/chat-schema.js';
import { estimateChatTokens as estimatePromptTokens, messageText } from '../../src/core/estimate-tokens.js';
import { countTokens, splitIntoPieces, truncateToTokens } from '../../src/providers/demo/estimate-tokens.js';

describe('estimate-tokens', () => {
  it('reads text from string content, text parts and assistant tool calls', () => {
    expect(messageText({ role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'data:x' } }, { type: 'text', text: 'here' }] })).toBe('look\nhere');
    expect(messageText({ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } }] })).toBe('bash\n{"command":"ls"}');
    expect(messageText({ role: 'tool', tool_call_id: 'c1', content: 'out' })).toBe('out');
  });

  it('estimates prompt tokens from every message and the tool definitions', () => {
    const base: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'Hello there, how are you today?' }] };
    const longer: ChatRequest = { ...base, messages: [{ role: 'system', content: 'You are a careful coding agent working in a large repository.' }, ...base.messages] };
    const withTools: ChatRequest = { ...base, tools: [{ type: 'function', function: { name: 'bash', description: 'Run a shell command', parameters: { type: 'object' } } }] };
    expect(estimatePromptTokens(base)).toBeGreaterThan(3);
    expect(estimatePromptTokens(longer)).toBeGreaterThan(estimatePromptTokens(base));
    expect(estimatePromptTokens(withTools)).toBeGreaterThan(estimatePromptTokens(base));
  });

  it('truncates to a token budget and splits into pieces that join back', () => {
    const text = 'The quick brown fox jumps over the lazy dog, again and again, until the sun goes down.';
    const cut = truncateToTokens(text, 5);
    expect(text.startsWith(cut)).toBe(true);
    expect(countTokens(cut)).toBeLessThanOrEqual(5);
    expect(truncateToTokens(text, 1000)).toBe(text);
    expect(truncateToTokens(text, 0)).toBe('');
    const pieces = splitIntoPieces(text, 3);
    expect(pieces.length).toBeGreaterThan(4);
    expect(pieces.join('')).toBe(text);
    expect(splitIntoPieces('', 3)).toEqual([]);
  });
});
