import { describe, expect, it } from 'vitest';
import { createPassThroughDecoder } from '../../../src/providers/anthropic/messages-pass-through.js';
import type { MessagesStreamEvent } from '../../../src/providers/types.js';
import { parseSse } from '../../../src/sse/parse-sse.js';
import { fixtureText } from '../../translate/fixture-loader.js';

async function decode(sse: string): Promise<{ events: MessagesStreamEvent[]; error?: Error }> {
  const decoder = createPassThroughDecoder('anthropic');
  const events: MessagesStreamEvent[] = [];
  async function* body() {
    yield sse;
  }
  try {
    for await (const message of parseSse(body())) events.push(...decoder.event(message));
    decoder.end();
  } catch (err) {
    return { events, error: err as Error };
  }
  return { events };
}

describe('native Messages stream decoder', () => {
  it('relays every event verbatim and reports usage from message_start and message_delta', async () => {
    const sse = fixtureText('stream-thinking.sse');
    const { events, error } = await decode(sse);
    expect(error).toBeUndefined();
    const relayed = events.map((e) => `event: ${e.event}\ndata: ${e.data}\n\n`).join('');
    expect(relayed.replace(/\s+/g, '')).toBe(sse.replace(/\s+/g, ''));
    expect(events.some((e) => e.data.includes('signature_delta'))).toBe(true);
    const last = events.filter((e) => e.usage).at(-1)!;
    expect(last.event).toBe('message_delta');
    expect(last.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('throws on an in-band error event, keeping its type', async () => {
    const { events, error } = await decode(fixtureText('stream-error-mid-stream.sse'));
    expect(events.map((e) => e.event)).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
    expect(error).toMatchObject({ kind: 'overloaded', code: 'upstream_stream_error' });
  });

  it('throws when the stream ends before message_stop', async () => {
    const { error } = await decode(fixtureText('stream-truncated.sse'));
    expect(error?.message).toMatch(/before message_stop/);
  });
});
