import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../src/core/chat-schema.js';
import { chatToAnthropicRequest, toAnthropicToolChoice } from '../../src/translate/chat-to-anthropic-request.js';
import { claudeDeployment, fixtureJson } from './fixture-loader.js';

const deployment = claudeDeployment();

function chat(extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'claude-sonnet', messages: [{ role: 'user', content: 'Hi' }], ...extra };
}

describe('chatToAnthropicRequest golden fixtures', () => {
  for (const name of ['request-system-cache-control.json', 'request-images.json', 'request-tool-round-trip.json']) {
    it(name, () => {
      const fixture = fixtureJson(name);
      expect(chatToAnthropicRequest(fixture.chat, deployment)).toEqual(fixture.anthropic);
    });
  }
});

describe('chatToAnthropicRequest', () => {
  it('maps every tool_choice variant and parallel_tool_calls:false', () => {
    expect(toAnthropicToolChoice('auto', undefined)).toEqual({ type: 'auto' });
    expect(toAnthropicToolChoice('required', undefined)).toEqual({ type: 'any' });
    expect(toAnthropicToolChoice('none', false)).toEqual({ type: 'none' });
    expect(toAnthropicToolChoice({ type: 'function', function: { name: 'bash' } }, false)).toEqual({
      type: 'tool',
      name: 'bash',
      disable_parallel_tool_use: true,
    });
    expect(toAnthropicToolChoice(undefined, false)).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(toAnthropicToolChoice(undefined, true)).toBeUndefined();
  });

  it('sends tool_choice only when tools are present', () => {
    expect(chatToAnthropicRequest(chat({ tool_choice: 'required' }), deployment).tool_choice).toBeUndefined();
    const tools = [{ type: 'function' as const, function: { name: 'bash' } }];
    expect(chatToAnthropicRequest(chat({ tools, tool_choice: 'required' }), deployment).tool_choice).toEqual({ type: 'any' });
  });

  it('defaults max_tokens to the deployment cap, else 4096, and clamps requests above the cap', () => {
    expect(chatToAnthropicRequest(chat(), deployment).max_tokens).toBe(16_384);
    expect(chatToAnthropicRequest(chat(), claudeDeployment({ maxOutputTokens: undefined })).max_tokens).toBe(4096);
    expect(chatToAnthropicRequest(chat({ max_tokens: 100_000 }), deployment).max_tokens).toBe(16_384);
    expect(chatToAnthropicRequest(chat({ max_tokens: 500, max_completion_tokens: 700 }), deployment).max_tokens).toBe(700);
  });

  it('turns reasoning_effort into a thinking budget below max_tokens and drops sampling overrides', () => {
    const low = chatToAnthropicRequest(chat({ reasoning_effort: 'low', temperature: 0.2 }), deployment);
    expect(low.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(low.temperature).toBeUndefined();
    expect(chatToAnthropicRequest(chat({ reasoning_effort: 'medium' }), deployment).thinking?.budget_tokens).toBe(4096);
    expect(chatToAnthropicRequest(chat({ reasoning_effort: 'high', max_tokens: 8000 }), deployment).thinking?.budget_tokens).toBe(7999);
    expect(chatToAnthropicRequest(chat({ reasoning_effort: 'high', max_tokens: 1000 }), deployment).thinking).toBeUndefined();
    expect(chatToAnthropicRequest(chat({ reasoning_effort: 'minimal' }), deployment).thinking).toBeUndefined();
  });

  it('skips thinking when a tool is forced or a tool turn lacks its signed thinking', () => {
    const tools = [{ type: 'function' as const, function: { name: 'bash' } }];
    expect(chatToAnthropicRequest(chat({ reasoning_effort: 'low', tools, tool_choice: 'required' }), deployment).thinking).toBeUndefined();
    const call = { id: 'call_1', type: 'function' as const, function: { name: 'bash', arguments: '{}' } };
    const messages: ChatRequest['messages'] = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: null, tool_calls: [call] },
      { role: 'tool', tool_call_id: 'call_1', content: 'ok' },
    ];
    expect(chatToAnthropicRequest(chat({ reasoning_effort: 'low', tools, messages }), deployment).thinking).toBeUndefined();
    const signed = [{ type: 'thinking', thinking: 'plan', signature: 'sig' }];
    messages[1] = { role: 'assistant', content: null, tool_calls: [call], thinking_blocks: signed };
    const withThinking = chatToAnthropicRequest(chat({ reasoning_effort: 'low', tools, messages }), deployment);
    expect(withThinking.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(withThinking.messages[1]!.content[0]).toEqual({ type: 'thinking', thinking: 'plan', signature: 'sig' });
  });

  it('drops empty assistant turns, trims a trailing prefill and merges same-role turns', () => {
    const out = chatToAnthropicRequest(
      chat({
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: '' },
          { role: 'user', content: 'b' },
          { role: 'assistant', content: 'Answer: ' },
        ],
      }),
      deployment,
    );
    expect(out.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Answer:' }] },
    ]);
  });

  it('uses deployment extra body as defaults the request overrides, and never forwards OpenAI-only fields', () => {
    const out = chatToAnthropicRequest(chat({ temperature: 0.5, stream_options: { include_usage: true }, n: 1 }), claudeDeployment({ extraBody: { temperature: 0.1, top_k: 5 } }));
    expect(out.temperature).toBe(0.5);
    expect(out.top_k).toBe(5);
    expect(out).not.toHaveProperty('stream_options');
    expect(out).not.toHaveProperty('n');
  });
});
