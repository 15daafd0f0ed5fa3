import type { ServerResponse } from 'node:http';
import { toGatewayError } from '../core/errors.js';
import type { StreamDispatch } from '../dispatch/dispatch.js';
import { SSE_HEADERS, SseWriter, eventFrame } from '../sse/write-sse.js';
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
  const { record } = ctx;
  record.deployment = dispatched.deployment.id;
  record.status = 200;
  res.writeHead(200, { ...SSE_HEADERS, ...headers });
  const sse = new SseWriter(res);
  record.ttftMs = performance.now() - record.startedAt;
  const write = (events: ResponsesStreamEvent[]): Promise<void> | undefined => {
    let drained: Promise<void> | undefined;
    for (const event of events) drained = sse.write(eventFrame(event.type, event));
    return drained;
  };
  let chunk = dispatched.first;
  try {
    write(translator.start());
    for (;;) {
      if (chunk.usage) record.usage = chunk.usage;
      const drained = write(translator.push(chunk));
      if (drained) await drained;
      const next = await dispatched.rest.next();
      if (next.done) break;
      chunk = next.value;
    }
    write(translator.finish());
  } catch (err) {
    const error = toGatewayError(err);
    record.errorCode = error.code ?? error.kind;
    if (!ctx.signal.aborted) write(translator.fail({ code: error.code ?? 'server_error', message: error.message }));
  } finally {
    dispatched.dispose();
    sse.end();
  }
}
