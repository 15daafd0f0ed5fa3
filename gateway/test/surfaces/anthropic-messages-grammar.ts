import { expect } from 'vitest';

export interface SseEvent {
  event: string;
  data: any;
}

/** Splits an SSE body into `{event, data}` frames; a frame without an `event:` line fails the test. */
export function parseAnthropicSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const frame of text.split('\n\n')) {
    if (frame.trim() === '') continue;
    const lines = frame.split('\n');
    const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
    const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
    if (!event) throw new Error(`SSE frame without an event: line: ${JSON.stringify(frame)}`);
    events.push({ event, data: JSON.parse(data) });
  }
  return events;
}

const DELTA_FOR_BLOCK: Record<string, string[]> = {
  text: ['text_delta', 'citations_delta'],
  tool_use: ['input_json_delta'],
  thinking: ['thinking_delta', 'signature_delta'],
};

/**
 * Fails on anything a Messages stream must not do: a missing or mismatched `event:` name, content before
 * `message_start`, block indexes that skip or repeat, interleaved blocks, a delta that does not fit its block,
 * a `message_delta` while a block is open or before the end, or anything after `message_stop`. With
 * `endsWithError`, the stream must instead stop at one `error` event. Pings may appear anywhere.
 */
export function checkMessagesGrammar(events: SseEvent[], opts: { endsWithError?: boolean } = {}): void {
  let state: 'before' | 'message' | 'delta' | 'stopped' | 'error' = 'before';
  let open: { index: number; type: string } | undefined;
  let nextIndex = 0;
  for (const [i, { event, data }] of events.entries()) {
    const where = `event #${i} (${event})`;
    if (data?.type !== event) throw new Error(`${where}: data.type is ${JSON.stringify(data?.type)}`);
    if (event === 'ping') continue;
    if (state === 'stopped' || state === 'error') throw new Error(`${where}: after the stream ended`);
    if (event === 'error') {
      if (!opts.endsWithError) throw new Error(`${where}: unexpected error ${JSON.stringify(data.error)}`);
      expect(data.error).toMatchObject({ type: expect.any(String), message: expect.any(String) });
      state = 'error';
      continue;
    }
    switch (event) {
      case 'message_start':
        if (state !== 'before') throw new Error(`${where}: second message_start`);
        expect(data.message).toMatchObject({ type: 'message', role: 'assistant', content: [] });
        expect(typeof data.message.usage.input_tokens).toBe('number');
        state = 'message';
        break;
      case 'content_block_start':
        if (state !== 'message') throw new Error(`${where}: block outside the message body`);
        if (open) throw new Error(`${where}: block ${open.index} still open`);
        if (data.index !== nextIndex) throw new Error(`${where}: index ${data.index}, expected ${nextIndex}`);
        open = { index: nextIndex++, type: data.content_block.type };
        break;
      case 'content_block_delta':
        if (!open || data.index !== open.index) throw new Error(`${where}: delta for block ${data.index}, open is ${open?.index}`);
        if (DELTA_FOR_BLOCK[open.type] && !DELTA_FOR_BLOCK[open.type]!.includes(data.delta.type)) {
          throw new Error(`${where}: ${data.delta.type} in a ${open.type} block`);
        }
        break;
      case 'content_block_stop':
        if (!open || data.index !== open.index) throw new Error(`${where}: stop for block ${data.index}, open is ${open?.index}`);
        open = undefined;
        break;
      case 'message_delta':
        if (state !== 'message' || open) throw new Error(`${where}: message_delta with a block open or twice`);
        expect(typeof data.delta.stop_reason).toBe('string');
        expect(typeof data.usage.output_tokens).toBe('number');
        state = 'delta';
        break;
      case 'message_stop':
        if (state !== 'delta') throw new Error(`${where}: message_stop before message_delta`);
        state = 'stopped';
        break;
      default:
        throw new Error(`${where}: unknown event`);
    }
  }
  const expected = opts.endsWithError ? 'error' : 'stopped';
  if (state !== expected) throw new Error(`stream ended in state ${state}, expected ${expected}`);
}

/** Parses, checks the grammar, and folds the stream back into a message (text, thinking, tool input). */
export function foldMessagesStream(text: string, opts: { endsWithError?: boolean } = {}): { events: SseEvent[]; message: any } {
  const events = parseAnthropicSse(text);
  checkMessagesGrammar(events, opts);
  let message: any;
  for (const { event, data } of events) {
    if (event === 'message_start') message = structuredClone(data.message);
    else if (event === 'content_block_start') message.content[data.index] = { ...data.content_block, ...(data.content_block.type === 'tool_use' ? { partial: '' } : {}) };
    else if (event === 'content_block_delta') {
      const block = message.content[data.index];
      const d = data.delta;
      if (d.type === 'text_delta') block.text += d.text;
      else if (d.type === 'thinking_delta') block.thinking += d.thinking;
      else if (d.type === 'signature_delta') block.signature = d.signature;
      else if (d.type === 'input_json_delta') block.partial += d.partial_json;
    } else if (event === 'content_block_stop') {
      const block = message.content[data.index];
      if (block.type === 'tool_use') {
        block.input = block.partial ? JSON.parse(block.partial) : {};
        delete block.partial;
      }
    } else if (event === 'message_delta') {
      message.stop_reason = data.delta.stop_reason;
      message.usage = { ...message.usage, ...data.usage };
    }
  }
  return { events, message };
}
