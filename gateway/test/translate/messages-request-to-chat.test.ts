import { describe, expect, it } from 'vitest';
import { chatRequestSchema } from '../../src/core/chat-schema.js';
import { parseMessagesRequest } from '../../src/surfaces/anthropic-messages-parse.js';
import { messagesToChatRequest, reasoningEffort, toChatToolChoice } from '../../src/translate/messages-request-to-chat.js';
import { shortenToolName } from '../../src/translate/shorten-tool-name.js';
import { fixtureJson } from './fixture-loader.js';

const base = { model: 'm', max_tokens: 100 };
const translate = (body: Record<string, unknown>) => messagesToChatRequest(parseMessagesRequest({ ...base, ...body }));

describe('messagesToChatRequest golden fixtures', () => {
  for (const name of ['messages-request-claude-code.json', 'messages-request-media.json']) {
    it(name, () => {
      const fixture = fixtureJson(name);
      const { request, droppedTools } = messagesToChatRequest(parseMessagesRequest(fixture.messages_request));
      expect(request).toEqual(fixture.chat_request);
      expect(droppedTools).toEqual(fixture.dropped_tools);
      // what comes out is a valid internal request
      expect(chatRequestSchema.safeParse(request).success).toBe(true);
    });
  }
});

describe('messagesToChatRequest', () => {
  it('maps every tool_choice variant and disable_parallel_tool_use', () => {
    expect(toChatToolChoice({ type: 'auto' })).toEqual({ tool_choice: 'auto' });
    expect(toChatToolChoice({ type: 'auto', disable_parallel_tool_use: true })).toEqual({ tool_choice: 'auto', parallel_tool_calls: false });
    expect(toChatToolChoice({ type: 'any' })).toEqual({ tool_choice: 'required' });
    expect(toChatToolChoice({ type: 'tool', name: 'Bash', disable_parallel_tool_use: true })).toEqual({
      tool_choice: { type: 'function', function: { name: 'Bash' } },
      parallel_tool_calls: false,
    });
    expect(toChatToolChoice({ type: 'none' })).toEqual({ tool_choice: 'none' });
  });

  it('sends no tool_choice when every tool was dropped', () => {
    const { request, droppedTools } = translate({ messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'web_search_20250305', name: 'web_search' }], tool_choice: { type: 'any' } });
    expect(request.tools).toBeUndefined();
    expect(request.tool_choice).toBeUndefined();
    expect(droppedTools).toEqual(['web_search']);
  });

  it('derives reasoning_effort from output_config.effort first, then the thinking budget', () => {
    expect(reasoningEffort({ output_config: { effort: 'low' }, thinking: { type: 'enabled', budget_tokens: 30_000 } })).toBe('low');
    expect(reasoningEffort({ output_config: { effort: 'max' } })).toBe('high');
    expect(reasoningEffort({ thinking: { type: 'enabled', budget_tokens: 1024 } })).toBe('low');
    expect(reasoningEffort({ thinking: { type: 'enabled', budget_tokens: 4096 } })).toBe('medium');
    expect(reasoningEffort({ thinking: { type: 'enabled', budget_tokens: 16_000 } })).toBe('high');
    expect(reasoningEffort({ thinking: { type: 'adaptive' } })).toBeUndefined();
    expect(reasoningEffort({ thinking: { type: 'disabled' }, output_config: { effort: 'high' } })).toBeUndefined();
    expect(reasoningEffort({})).toBeUndefined();
  });

  it('shortens tool names over 64 characters everywhere and records the mapping', () => {
    const long = `mcp__${'x'.repeat(80)}`;
    const other = `mcp__${'x'.repeat(79)}y`;
    const short = shortenToolName(long);
    expect(short).toHaveLength(64);
    expect(shortenToolName(other)).not.toBe(short);
    expect(shortenToolName('Bash')).toBe('Bash');
    const schema = { type: 'object' };
    const { request, toolNames } = translate({
      tools: [{ name: long, input_schema: schema }, { name: 'Bash', input_schema: schema }],
      tool_choice: { type: 'tool', name: long },
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: long, input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] },
      ],
    });
    expect(request.tools!.map((t) => t.function.name)).toEqual([short, 'Bash']);
    expect(request.tool_choice).toEqual({ type: 'function', function: { name: short } });
    const assistant = request.messages[1] as { tool_calls: Array<{ function: { name: string } }> };
    expect(assistant.tool_calls[0]!.function.name).toBe(short);
    expect([...toolNames]).toEqual([[short, long]]);
  });

  it('keeps a lone plain text block as a string and an empty tool result with is_error readable', () => {
    const { request } = translate({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', is_error: true }] },
      ],
    });
    expect(request.messages[0]).toEqual({ role: 'user', content: 'hi' });
    expect(request.messages[2]).toEqual({ role: 'tool', tool_call_id: 't1', content: 'Error' });
  });

  it('refuses blocks only Anthropic can serve with a 400 naming the path', () => {
    const file = { type: 'image', source: { type: 'file', file_id: 'file_1' } };
    expect(() => translate({ messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, file] }] })).toThrow(/^messages\[0\]\.content\[1\]: images from the Anthropic Files API/);
    const doc = { type: 'document', source: { type: 'url', url: 'https://x/y.pdf' } };
    expect(() => translate({ messages: [{ role: 'user', content: [doc] }] })).toThrow(/^messages\[0\]\.content\[0\]\.source: documents with a "url" source/);
  });
});
