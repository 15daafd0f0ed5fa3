import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type { EventSourceMessage };

/** Incremental SSE framing (eventsource-parser): bytes in, the complete events they finish out. */
export function createSseDecoder(): { feed(chunk: Uint8Array | string): EventSourceMessage[]; end(): EventSourceMessage[] } {
  let pending: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event) });
  const decoder = new TextDecoder();
  const take = () => {
    const events = pending;
    pending = [];
    return events;
  };
  return {
    feed(chunk) {
      parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
      return take();
    },
    end() {
      parser.feed(decoder.decode());
      return take();
    },
  };
}

/** Turns a byte stream into SSE messages as they arrive. */
export async function* parseSse(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<EventSourceMessage> {
  const sse = createSseDecoder();
  for await (const chunk of body) yield* sse.feed(chunk);
  yield* sse.end();
}
