import type { ServerResponse } from 'node:http';
import type { StreamDispatch } from '../dispatch/dispatch.js';
import { relayStream } from '../sse/relay-stream.js';
import { eventFrame } from '../sse/write-sse.js';
import type { ResponsesStreamTranslator } from '../translate/chat-chunks-to-responses-events.js';
import type { ResponsesStreamEvent } from '../translate/responses-types.js';
import type { RequestContext } from './request-context.js';

/**
 * Relays a committed upstream stream as Responses events. The terminal event is written after the upstream
 * ended (so it carries the final usage); a failure after the first byte ends in `response.failed`, never a clean stop.
 */
export async function relayResponsesStream(
  res: ServerResponse,
  dispatched: StreamDispatch,
  translator: ResponsesStreamTranslator,
  ctx: RequestContext,
  headers: Record<string, string>,
): Promise<void> {
  await relayStream(res, dispatched, ctx, headers, {
    start: () => frames(translator.start()),
    item(chunk) {
      if (chunk.usage) ctx.record.usage = chunk.usage;
      return frames(translator.push(chunk));
    },
    end: () => frames(translator.finish()),
    error: (error) => frames(translator.fail({ code: error.code ?? 'server_error', message: error.message })),
  });
}

function frames(events: ResponsesStreamEvent[]): string {
  let out = '';
  for (const event of events) out += eventFrame(event.type, event);
  return out;
}
