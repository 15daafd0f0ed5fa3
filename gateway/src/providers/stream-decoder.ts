import type { EventSourceMessage } from '../sse/parse-sse.js';

/**
 * Turns one upstream's SSE events into chat chunks. Stateful, no I/O: `event` returns the chunks one event
 * completes and throws a GatewayError for in-band errors or malformed data; `end` throws when the body
 * ended before the answer finished. Events after the upstream's end marker must be ignored, not refused.
 */
export interface StreamDecoder<T> {
  event(message: EventSourceMessage): readonly T[];
  end(): void;
}
