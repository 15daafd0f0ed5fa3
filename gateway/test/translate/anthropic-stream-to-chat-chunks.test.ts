import { describe, expect, it } from 'vitest';
import type { ChatChunk } from '../../src/core/chat-response.js';
import { GatewayError } from '../../src/core/errors.js';
import { createAnthropicStreamTranslator } from '../../src/translate/anthropic-stream-to-chat-chunks.js';
import { chunkEssence, fixtureJson, fixtureText, translateSse } from './fixture-loader.js';

describe('Anthropic stream → chat chunks golden fixtures', () => {
  for (const name of ['stream-text', 'stream-tool-call', 'stream-thinking']) {
    it(name, async () => {
      const { chunks, finished } = await translateSse(fixtureText(`${name}.sse`));
      expect(finished).toBe(true);
      expect(chunks.map(chunkEssence)).toEqual(fixtureJson(`${name}.expected.json`));
    });
  }

  it('stamps every chunk with the message id, model and created time', async () => {
    const { chunks } = await translateSse(fixtureText('stream-text.sse'));
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id: 'msg_stream_text', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'claude-haiku-4-5' });
    }
  });

  it('reassembles tool-call arguments that parse as the tool input', async () => {
    const { chunks } = await translateSse(fixtureText('stream-tool-call.sse'));
    const args = new Map<number, string>();
    for (const chunk of chunks) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) args.set(call.index, (args.get(call.index) ?? '') + (call.function?.arguments ?? ''));
    }
    expect(JSON.parse(args.get(0)!)).toEqual({ location: 'Paris' });
    expect(JSON.parse(args.get(1)!)).toEqual({});
  });

  it('throws an overloaded GatewayError on an error event, after relaying what came before', async () => {
    const seen: ChatChunk[] = [];
    const err = await translateSse(fixtureText('stream-error-mid-stream.sse'), seen).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ kind: 'overloaded', status: 529, code: 'upstream_stream_error', retryable: true });
    expect((err as Error).message).toContain('Overloaded');
    expect(seen.map((c) => c.choices[0]?.delta.content)).toEqual(['', 'Partial']);
  });

  it('reports a truncated stream as not finished', async () => {
    const { chunks, finished } = await translateSse(fixtureText('stream-truncated.sse'));
    expect(finished).toBe(false);
    expect(chunks.some((c) => c.usage)).toBe(false);
  });

  it('maps each Anthropic error type to its kind', () => {
    const kinds = { rate_limit_error: 'rate_limit', api_error: 'upstream', invalid_request_error: 'invalid_request', mystery_error: 'upstream' };
    for (const [type, kind] of Object.entries(kinds)) {
      const translator = createAnthropicStreamTranslator(1);
      expect(() => translator.push({ type: 'error', error: { type, message: 'x' } })).toThrow(expect.objectContaining({ kind }));
    }
  });

  it('takes cumulative usage from message_delta when it carries input tokens and ignores events after message_stop', () => {
    const t = createAnthropicStreamTranslator(1);
    t.push({ type: 'message_start', message: { id: 'm', model: 'c', usage: { input_tokens: 3, output_tokens: 1 } } });
    t.push({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { input_tokens: 10, cache_read_input_tokens: 4, output_tokens: 6 } });
    const [last] = t.push({ type: 'message_stop' });
    expect(last?.usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 6, cache_read_input_tokens: 4 });
    expect(t.push({ type: 'ping' })).toEqual([]);
  });
});
