import type { ChatChunk } from '../../core/chat-response.js';
import { GatewayError } from '../../core/errors.js';
import type { AnthropicStreamEvent } from '../../translate/anthropic-types.js';
import { createAnthropicStreamTranslator } from '../../translate/anthropic-stream-to-chat-chunks.js';
import type { StreamDecoder } from '../stream-decoder.js';

const NONE: readonly ChatChunk[] = [];

/**
 * Anthropic Messages SSE events → chat chunks. An `error` event, malformed JSON, or a stream that ends
 * before `message_stop` throws a GatewayError, so a cut answer never looks like a clean one.
 */
export function createAnthropicStreamDecoder(providerName: string): StreamDecoder<ChatChunk> {
  const translator = createAnthropicStreamTranslator();
  return {
    event(message) {
      if (message.data === '' || translator.finished) return NONE;
      let event: AnthropicStreamEvent;
      try {
        event = JSON.parse(message.data);
      } catch {
        throw streamError(`Upstream ${providerName} sent a malformed stream event`);
      }
      if (typeof event !== 'object' || event === null) throw streamError(`Upstream ${providerName} sent a malformed stream event`);
      // the JSON `type` is authoritative; the SSE `event:` line only repeats it
      if (typeof event.type !== 'string' && message.event) (event as { type: string }).type = message.event;
      return translator.push(event);
    },
    end() {
      if (!translator.finished) throw streamError(`Upstream ${providerName} stream ended before message_stop`);
    },
  };
}

function streamError(message: string): GatewayError {
  return new GatewayError('upstream', message, { code: 'upstream_stream_error' });
}
