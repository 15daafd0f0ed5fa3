import { describe, expect, it } from 'vitest';
import { chatToMessagesResponse } from '../../src/translate/chat-to-messages-response.js';
import { chatUsageToAnthropicUsage } from '../../src/translate/chat-usage-to-anthropic-usage.js';
import { mapFinishReasonToStopReason } from '../../src/translate/map-finish-reason-to-stop-reason.js';
import { fixtureJson } from './fixture-loader.js';

describe('chatToMessagesResponse golden fixtures', () => {
  for (const name of ['messages-response-tool-use.json', 'messages-response-text.json']) {
    it(name, () => {
      const fixture = fixtureJson(name);
      const toolNames = new Map(Object.entries(fixture.tool_names as Record<string, string>));
      expect(chatToMessagesResponse(fixture.chat_completion, { id: 'msg_test', model: 'auto', toolNames })).toEqual(fixture.messages_response);
    });
  }
});

describe('stop reasons and usage', () => {
  it('maps finish reasons, treating content_filter as refusal and a stop with tool calls as tool_use', () => {
    expect(mapFinishReasonToStopReason('stop', false)).toBe('end_turn');
    expect(mapFinishReasonToStopReason('length', false)).toBe('max_tokens');
    expect(mapFinishReasonToStopReason('tool_calls', true)).toBe('tool_use');
    expect(mapFinishReasonToStopReason('function_call', false)).toBe('tool_use');
    expect(mapFinishReasonToStopReason('content_filter', false)).toBe('refusal');
    expect(mapFinishReasonToStopReason('stop', true)).toBe('tool_use');
    expect(mapFinishReasonToStopReason('length', true)).toBe('max_tokens');
    expect(mapFinishReasonToStopReason(null, false)).toBe('end_turn');
    expect(mapFinishReasonToStopReason('eos', false)).toBe('end_turn');
  });

  it('nets cache tokens out of input, preferring top-level Anthropic-style cache fields', () => {
    expect(chatUsageToAnthropicUsage({ prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, prompt_tokens_details: { cached_tokens: 30 } })).toEqual({
      input_tokens: 70,
      output_tokens: 5,
      cache_read_input_tokens: 30,
      cache_creation_input_tokens: 0,
    });
    const both = { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, cache_read_input_tokens: 40, prompt_tokens_details: { cached_tokens: 30 } };
    expect(chatUsageToAnthropicUsage(both).cache_read_input_tokens).toBe(40);
    expect(chatUsageToAnthropicUsage(undefined)).toEqual({ input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
  });

  it('answers a completion with no choices as an empty message rather than crashing', () => {
    const empty = chatToMessagesResponse({ id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [] }, { id: 'msg_1', model: 'm', toolNames: new Map() });
    expect(empty.content).toEqual([]);
    expect(empty.stop_reason).toBe('end_turn');
  });
});
