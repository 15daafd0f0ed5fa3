import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../src/config/types.js';
import { GatewayError } from '../../src/core/errors.js';
import { decodeUpstreamBody } from '../../src/providers/decode-upstream-body.js';
import { createOpenAIStreamDecoder } from '../../src/providers/openai-compatible/decode-stream.js';

const provider: ProviderConfig = { name: 'up', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1', headers: {} };

const delta = (text: string) => `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${text}"},"finish_reason":null}]}\n\n`;
const finish = 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n';

/** An upstream body that arrives in the given reads. */
function chunks(reads: string[]) {
  const body = Readable.from(reads.map((r) => Buffer.from(r)), { objectMode: false });
  return decodeUpstreamBody(body as never, new AbortController().signal, provider, createOpenAIStreamDecoder('up'));
}

const text = (chunk: { choices: { delta?: { content?: string | null } }[] } | undefined) => chunk?.choices[0]?.delta?.content;

describe('upstream body decoding', () => {
  it('hands out the rest of a read through take() and waits on next() only for the next read', async () => {
    const it = chunks([delta('a') + delta('b') + delta('c'), delta('d') + finish + 'data: [DONE]\n\n']);
    expect(text((await it.next()).value)).toBe('a');
    expect(text(it.take())).toBe('b');
    expect(text(it.take())).toBe('c');
    expect(it.take()).toBeUndefined();
    expect(text((await it.next()).value)).toBe('d');
    expect(it.take()?.choices[0]?.finish_reason).toBe('stop');
    expect(it.take()).toBeUndefined();
    expect((await it.next()).done).toBe(true);
  });

  it('hands out what a read decoded before its malformed event, then fails on next()', async () => {
    const it = chunks([delta('a') + delta('b') + 'data: {not json\n\n' + delta('c')]);
    expect(text((await it.next()).value)).toBe('a');
    expect(text(it.take())).toBe('b');
    expect(it.take()).toBeUndefined();
    const failure = await it.next().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(GatewayError);
    expect((failure as GatewayError).code).toBe('upstream_stream_error');
    expect(it.take()).toBeUndefined();
  });

  it('fails a stream cut before its finish once the chunks before the cut are out', async () => {
    const it = chunks([delta('a') + delta('b')]);
    expect(text((await it.next()).value)).toBe('a');
    expect(text(it.take())).toBe('b');
    await expect(it.next()).rejects.toThrow(/ended before the answer finished/);
  });
});
