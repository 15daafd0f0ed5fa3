import { StringDecoder } from 'node:string_decoder';
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type { EventSourceMessage };

/**
 * Incremental SSE framing (eventsource-parser): bytes in, the complete events they finish out. Bytes are
 * decoded with node's StringDecoder, which keeps a character split across reads like TextDecoder does at a
 * fraction of its cost (TextDecoder's streaming mode goes through ICU); the BOM the SSE spec allows at the
 * start is dropped here, as TextDecoder did.
 */
export function createSseDecoder(): { feed(chunk: Uint8Array | string): EventSourceMessage[]; end(): EventSourceMessage[] } {
  let pending: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event) });
  const decoder = new StringDecoder('utf8');
  let first = true;
  const take = () => {
    const events = pending;
    pending = [];
    return events;
  };
  const parse = (text: string) => {
    if (first && text !== '') {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    parser.feed(text);
  };
  return {
    feed(chunk) {
      parse(typeof chunk === 'string' ? chunk : decoder.write(chunk));
      return take();
    },
    end() {
      parse(decoder.end());
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
