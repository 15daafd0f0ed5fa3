import type { ServerResponse } from 'node:http';
import type { ChatChunk } from '../core/chat-response.js';
import type { GatewayError } from '../core/errors.js';
import type { StreamDispatch } from '../dispatch/dispatch.js';
import type { MessagesStreamEvent } from '../providers/types.js';
import { relayStream } from '../sse/relay-stream.js';
import { dataLines, eventFrame } from '../sse/write-sse.js';
import type { MessagesEventEncoder } from '../translate/chat-chunks-to-messages-events.js';
import { anthropicErrorEvent } from './anthropic-messages-errors.js';
import type { RequestContext } from './request-context.js';

const PING_FRAME = eventFrame('ping', { type: 'ping' });

/** Relays a native Messages stream event by event, verbatim. */
export async function relayNativeStream(res: ServerResponse, dispatched: StreamDispatch<MessagesStreamEvent>, ctx: RequestContext, headers: Record<string, string>, pingMs: number): Promise<void> {
  await relayStream(res, dispatched, ctx, headers, {
    item(event) {
      if (event.usage) ctx.record.usage = event.usage;
      return `event: ${event.event}\ndata: ${dataLines(event.data)}\n\n`;
    },
    end: () => '',
    error: errorFrame,
    ping: { frame: PING_FRAME, everyMs: pingMs },
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
  await relayStream(res, dispatched, ctx, headers, {
    item(chunk) {
      if (chunk.usage) ctx.record.usage = chunk.usage;
      return frames(encoder.push(chunk));
    },
    end: () => frames(encoder.finish()),
    error: errorFrame,
    ping: { frame: PING_FRAME, everyMs: pingMs },
  });
}

const errorFrame = (error: GatewayError) => eventFrame('error', anthropicErrorEvent(error));

function frames(events: ReadonlyArray<{ type: string }>): string {
  let out = '';
  for (const event of events) out += eventFrame(event.type, event);
  return out;
}
