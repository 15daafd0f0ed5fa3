import type { ChatChunk } from '../../core/chat-response.js';
import { GatewayError } from '../../core/errors.js';
import { decodeChunkJson, isPlainDelta } from '../../core/stream-chunk.js';
import type { StreamDecoder } from '../stream-decoder.js';

const NONE: readonly ChatChunk[] = [];

/**
 * OpenAI-compatible SSE events → chunks. Done on `[DONE]` or on a clean end after a finish reason;
 * an in-band error, malformed JSON or a stream that stops before finishing throws.
 */
export function createOpenAIStreamDecoder(providerName: string): StreamDecoder<ChatChunk> {
  let finished = false;
  let done = false;
  return {
    event({ data }) {
      if (done || data === '') return NONE;
      if (data === '[DONE]') {
        done = true;
        return NONE;
      }
      let chunk: ChatChunk & { error?: { message?: string } };
      try {
        chunk = decodeChunkJson(data);
      } catch {
        throw streamError(`Upstream ${providerName} sent a malformed stream event`);
      }
      if (isPlainDelta(chunk)) return [chunk];
      if (chunk.error) throw streamError(`Upstream ${providerName} failed mid-stream: ${chunk.error.message ?? 'unknown error'}`);
      if (!finished && chunk.choices?.some((choice) => choice.finish_reason)) finished = true;
      return [chunk];
    },
    end() {
      if (!finished && !done) throw streamError(`Upstream ${providerName} stream ended before the answer finished`);
    },
  };
}

function streamError(message: string): GatewayError {
  return new GatewayError('upstream', message, { code: 'upstream_stream_error' });
}
