import type { ServerResponse } from 'node:http';
import type { ChatChunk } from '../core/chat-response.js';
import { toGatewayError } from '../core/errors.js';
import type { StreamDispatch } from '../dispatch/dispatch.js';
import type { MessagesStreamEvent } from '../providers/types.js';
import { SSE_HEADERS, SseWriter, eventFrame } from '../sse/write-sse.js';
import type { MessagesEventEncoder } from '../translate/chat-chunks-to-messages-events.js';
import { anthropicErrorEvent } from './anthropic-messages-errors.js';
import type { RequestContext } from './request-context.js';

const PING_FRAME = eventFrame('ping', { type: 'ping' });

/** Relays a native Messages stream event by event, verbatim. */
export async function relayNativeStream(res: ServerResponse, dispatched: StreamDispatch<MessagesStreamEvent>, ctx: RequestContext, headers: Record<string, string>, pingMs: number): Promise<void> {
  await relay(res, dispatched, ctx, headers, pingMs, (event) => {
    if (event.usage) ctx.record.usage = event.usage;
    return `event: ${event.event}\ndata: ${event.data}\n\n`;
  });
}

/** Relays a chat stream re-encoded as Messages events; `message_delta` goes out only once the upstream ended. */
export async function relayTranslatedStream(
  res: ServerResponse,
  dispatched: StreamDispatch<ChatChunk>,
  encoder: MessagesEventEncoder,
  ctx: RequestContext,
  headers: Record<string, string>,
  pingMs: number,
): Promise<void> {
  await relay(res, dispatched, ctx, headers, pingMs, (chunk) => {
    if (chunk.usage) ctx.record.usage = chunk.usage;
    return frames(encoder.push(chunk));
  }, () => frames(encoder.finish()));
}

function frames(events: ReadonlyArray<{ type: string }>): string {
  let out = '';
  for (const event of events) out += eventFrame(event.type, event);
  return out;
}

/**
 * The stream loop both relays share: 200 with SSE headers, frames as items arrive, a `ping` when nothing was
 * written for `pingMs`, and after the first byte any failure as an `event: error` and a close (never a fake stop).
 */
async function relay<T>(
  res: ServerResponse,
  dispatched: StreamDispatch<T>,
  ctx: RequestContext,
  headers: Record<string, string>,
  pingMs: number,
  encode: (item: T) => string,
  finish?: () => string,
): Promise<void> {
  const { record } = ctx;
  record.deployment = dispatched.deployment.id;
  record.status = 200;
  res.writeHead(200, { ...SSE_HEADERS, ...headers });
  const sse = new SseWriter(res);
  record.ttftMs = performance.now() - record.startedAt;
  let wrote = true;
  const keepAlive = setInterval(() => {
    if (!wrote) sse.write(PING_FRAME);
    wrote = false;
  }, pingMs);
  keepAlive.unref();
  let item = dispatched.first;
  try {
    for (;;) {
      const frame = encode(item);
      if (frame) {
        wrote = true;
        const drained = sse.write(frame);
        if (drained) await drained;
      }
      const next = await dispatched.rest.next();
      if (next.done) break;
      item = next.value;
    }
    if (finish) sse.write(finish());
  } catch (err) {
    const error = toGatewayError(err);
    record.errorCode = error.code ?? error.kind;
    if (!ctx.signal.aborted) sse.write(eventFrame('error', anthropicErrorEvent(error)));
  } finally {
    clearInterval(keepAlive);
    dispatched.dispose();
    sse.end();
  }
}
