import { describe, expect, it } from 'vitest';
import { anthropicToChatResponse } from '../../src/translate/anthropic-to-chat-response.js';
import { anthropicUsageToChatUsage } from '../../src/translate/anthropic-usage-to-chat-usage.js';
import { mapAnthropicStopReason } from '../../src/translate/map-anthropic-stop-reason.js';
import { fixtureJson } from './fixture-loader.js';

describe('anthropicToChatResponse golden fixtures', () => {
  for (const name of ['response-tool-use-cache-usage.json', 'response-thinking.json']) {
    it(name, () => {
      const fixture = fixtureJson(name);
      expect(anthropicToChatResponse(fixture.anthropic, 1_700_000_000)).toEqual(fixture.chat);
    });
  }

  it('answers with an empty string, not null, when there is neither text nor a tool call', () => {
    const out = anthropicToChatResponse(
      { id: 'm', type: 'message', role: 'assistant', model: 'c', content: [], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 0 } },
      1,
    );
    expect(out.choices[0]!.message.content).toBe('');
  });
});

describe('mapAnthropicStopReason', () => {
  it('maps every documented stop reason', () => {
    const table = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'tool_calls', refusal: 'content_filter', pause_turn: 'stop' };
    for (const [reason, finish] of Object.entries(table)) expect(mapAnthropicStopReason(reason)).toBe(finish);
    expect(mapAnthropicStopReason('something_new')).toBe('stop');
    expect(mapAnthropicStopReason(null)).toBe('stop');
  });
});

describe('anthropicUsageToChatUsage', () => {
  it('counts cached input in prompt_tokens and keeps the Anthropic cache fields', () => {
    expect(anthropicUsageToChatUsage({ input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 9 })).toEqual({
      prompt_tokens: 125,
      completion_tokens: 9,
      total_tokens: 134,
      prompt_tokens_details: { cached_tokens: 100, cache_creation_tokens: 20 },
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 20,
    });
  });
});
