import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../../src/config/types.js';
import type { ChatChunk } from '../../../src/core/chat-response.js';
import type { ChatRequest } from '../../../src/core/chat-schema.js';
import { GatewayError } from '../../../src/core/errors.js';
import { anthropicAdapter } from '../../../src/providers/anthropic/adapter.js';
import { closeUpstreamAgent } from '../../../src/providers/http-client.js';
import type { ProviderCall } from '../../../src/providers/types.js';
import { startMockAnthropic, type MockAnthropic } from '../../support/mock-anthropic-upstream.js';

let mock: MockAnthropic;

beforeAll(async () => {
  mock = await startMockAnthropic();
});
afterEach(() => {
  mock.requests.length = 0;
});
afterAll(async () => {
  await closeUpstreamAgent();
  await mock.close();
});

function deployment(baseUrl = mock.url): Deployment {
  return {
    id: 'claude#0',
    modelName: 'claude',
    provider: { name: 'anthropic-test', kind: 'anthropic', baseUrl, apiKey: 'sk-ant-secret', headers: { 'X-Team': 'core', 'anthropic-beta': 'prompt-caching-2024-07-31' } },
    upstreamModel: 'claude-sonnet-4-5',
    prices: {},
    maxOutputTokens: 8192,
    capabilities: { tools: true, vision: true, caching: true, reasoning: true },
  };
}

function call(request: Partial<ChatRequest> = {}, extra: Partial<ProviderCall> = {}): ProviderCall {
  return {
    deployment: deployment(),
    request: { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }], ...request },
    signal: new AbortController().signal,
    requestId: 'req-1',
    ...extra,
  };
}

async function collect(iterable: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const chunk of iterable) out.push(chunk);
  return out;
}

const text = (chunks: ChatChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

describe('anthropicAdapter.complete', () => {
  it('posts a Messages request with Anthropic headers and translates the answer', async () => {
    mock.enqueue({ kind: 'text', text: 'Hello there.', usage: { input_tokens: 10, cache_read_input_tokens: 90, output_tokens: 3 } });
    const { completion } = await anthropicAdapter.complete(call({ max_tokens: 50 }, { forwardHeaders: { 'anthropic-beta': 'interleaved-thinking-2025-05-14' } }));
    expect(completion.choices[0]).toMatchObject({ message: { role: 'assistant', content: 'Hello there.' }, finish_reason: 'stop' });
    expect(completion.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 3, cache_read_input_tokens: 90 });
    const [req] = mock.requests;
    expect(req?.path).toBe('/v1/messages');
    expect(req?.headers).toMatchObject({
      'x-api-key': 'sk-ant-secret',
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
      'x-team': 'core',
      'anthropic-beta': 'prompt-caching-2024-07-31,interleaved-thinking-2025-05-14',
    });
    expect(req?.body).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] });
  });

  it('does not double /v1 when the base URL already ends in it', async () => {
    mock.enqueue({ kind: 'text', text: 'ok' });
    await anthropicAdapter.complete({ ...call(), deployment: deployment(`${mock.url}/v1/`) });
    expect(mock.requests[0]?.path).toBe('/v1/messages');
  });

  it('turns a 429 into a rate-limit GatewayError that keeps status, message and retry-after', async () => {
    mock.enqueue({
      kind: 'error',
      status: 429,
      headers: { 'retry-after': '7' },
      body: { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } },
    });
    const err = await anthropicAdapter.complete(call()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ kind: 'rate_limit', status: 429, retryable: true, headers: { 'retry-after': '7' } });
    expect((err as Error).message).toContain('per-minute rate limit');
  });

  it('turns a reset connection into a retryable upstream error', async () => {
    mock.enqueue({ kind: 'reset' });
    await expect(anthropicAdapter.complete(call())).rejects.toMatchObject({ kind: 'upstream', code: 'upstream_connection_error', retryable: true });
  });
});

describe('anthropicAdapter.stream', () => {
  it('streams a text answer chunk by chunk and ends with usage', async () => {
    mock.enqueue({ kind: 'text', text: 'The quick brown fox jumps.', usage: { input_tokens: 20, output_tokens: 6 } });
    const chunks = await collect(await anthropicAdapter.stream(call()));
    expect(mock.requests[0]?.body.stream).toBe(true);
    expect(mock.requests[0]?.headers.accept).toBe('text/event-stream');
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(text(chunks)).toBe('The quick brown fox jumps.');
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThan(2);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 20, completion_tokens: 6 } });
  });

  it('runs a tool-call round trip', async () => {
    mock.enqueue({ kind: 'tool_use', id: 'toolu_01', name: 'bash', input: { command: 'ls -la /tmp', timeout: 30 }, text: 'Listing.' });
    const chunks = await collect(await anthropicAdapter.stream(call({ tools: [{ type: 'function', function: { name: 'bash' } }] })));
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toEqual({ index: 0, id: 'toolu_01', type: 'function', function: { name: 'bash', arguments: '' } });
    expect(JSON.parse(calls.map((c) => c.function?.arguments ?? '').join(''))).toEqual({ command: 'ls -la /tmp', timeout: 30 });
    expect(calls.length).toBeGreaterThan(2);
    expect(chunks.some((c) => c.choices[0]?.finish_reason === 'tool_calls')).toBe(true);

    mock.enqueue({ kind: 'text', text: 'Two files.' });
    const followUp = await anthropicAdapter.complete(
      call({
        tools: [{ type: 'function', function: { name: 'bash' } }],
        messages: [
          { role: 'user', content: 'List /tmp' },
          { role: 'assistant', content: 'Listing.', tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'bash', arguments: '{"command":"ls -la /tmp"}' } }] },
          { role: 'tool', tool_call_id: 'toolu_01', content: 'a\nb\n' },
        ],
      }),
    );
    expect(followUp.completion.choices[0]?.message.content).toBe('Two files.');
    expect(mock.requests[1]?.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'List /tmp' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Listing.' }, { type: 'tool_use', id: 'toolu_01', name: 'bash', input: { command: 'ls -la /tmp' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: 'a\nb\n' }] },
    ]);
  });

  it('relays thinking as reasoning_content', async () => {
    mock.enqueue({ kind: 'thinking', thinking: 'Six times seven.', text: '42' });
    const chunks = await collect(await anthropicAdapter.stream(call({ reasoning_effort: 'low' })));
    expect(mock.requests[0]?.body.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(chunks.map((c) => c.choices[0]?.delta.reasoning_content ?? '').join('')).toBe('Six times seven.');
    expect(text(chunks)).toBe('42');
  });

  it('rejects before any chunk when the upstream answers 529', async () => {
    mock.enqueue({ kind: 'error', status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
    await expect(anthropicAdapter.stream(call())).rejects.toMatchObject({ kind: 'overloaded', status: 529 });
  });

  it.each([
    ['an error event', { kind: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, { kind: 'overloaded', code: 'upstream_stream_error' }],
    ['a truncated stream', { kind: 'truncate' }, { kind: 'upstream', code: 'upstream_stream_error' }],
    ['malformed JSON', { kind: 'malformed' }, { kind: 'upstream', code: 'upstream_stream_error' }],
  ] as const)('throws from the iterator on %s after relaying the start', async (_name, fault, expected) => {
    mock.enqueue({ kind: 'text', text: 'This answer never finishes properly.', fault: { afterEvents: 5, ...fault } });
    const seen: ChatChunk[] = [];
    const iterable = await anthropicAdapter.stream(call());
    const err = await (async () => {
      for await (const chunk of iterable) seen.push(chunk);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject(expected);
    expect(text(seen)).not.toBe('');
    expect(seen.some((c) => c.usage)).toBe(false);
  });

  it('stops reading and closes the upstream request when the signal aborts mid-stream', async () => {
    mock.enqueue({ kind: 'text', text: 'One two three four five six.', fault: { afterEvents: 5, kind: 'hang' } });
    const controller = new AbortController();
    const iterator = (await anthropicAdapter.stream(call({}, { signal: controller.signal })))[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.choices[0]?.delta.role).toBe('assistant');
    controller.abort();
    let err: unknown;
    for (let i = 0; i < 20 && err === undefined; i++) {
      const next = await iterator.next().catch((e: unknown) => e);
      if (!(next && typeof next === 'object' && 'done' in next)) err = next;
      else if (next.done) break;
    }
    expect(err).toMatchObject({ code: 'aborted', retryable: false });
    await mock.requests[0]?.closed;
    expect(mock.requests[0]?.completed).toBe(false);
  });

  it('aborts a request the upstream never answers', async () => {
    mock.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = anthropicAdapter.stream(call({}, { signal: controller.signal }));
    for (let i = 0; i < 100 && mock.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    await mock.requests[0]?.closed;
  });
});
