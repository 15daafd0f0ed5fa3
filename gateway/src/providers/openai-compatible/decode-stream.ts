import type { ChatChunk } from '../../core/chat-response.js';
import { GatewayError } from '../../core/errors.js';
import { parseSse } from '../../sse/parse-sse.js';

/**
 * OpenAI-compatible SSE bytes → chunks. Ends quietly on `[DONE]` or on a clean end after a finish reason;
 * an in-band error, malformed JSON or a stream that stops before finishing throws.
 */
export async function* decodeOpenAIStream(body: AsyncIterable<Uint8Array>, providerName: string): AsyncGenerator<ChatChunk> {
  let finished = false;
  for await (const event of parseSse(body)) {
    const data = event.data;
    if (data === '[DONE]') return;
    if (data === '') continue;
    let chunk: ChatChunk & { error?: { message?: string; code?: unknown } };
    try {
      chunk = JSON.parse(data);
    } catch {
      throw streamError(`Upstream ${providerName} sent a malformed stream event`);
    }
    if (chunk.error) throw streamError(`Upstream ${providerName} failed mid-stream: ${chunk.error.message ?? 'unknown error'}`);
    if (chunk.choices?.some((choice) => choice.finish_reason)) finished = true;
    yield chunk;
  }
  if (!finished) throw streamError(`Upstream ${providerName} stream ended before the answer finished`);
}

function streamError(message: string): GatewayError {
  return new GatewayError('upstream', message, { code: 'upstream_stream_error' });
}
