import type { ServerResponse } from 'node:http';
import { toGatewayError, type GatewayError } from '../core/errors.js';
import type { StreamDispatch } from '../dispatch/dispatch.js';
import type { RequestContext } from '../surfaces/request-context.js';
import { SSE_HEADERS, SseWriter } from './write-sse.js';

/** How one surface writes a stream: frames per upstream item, the frames that close it, and its error frame. */
export interface StreamEncoding<T> {
  /** Frames to send before the first item (e.g. `response.created`). */
  start?(): string;
  /** Frames for one upstream item; '' for none. Also the place to note usage on `ctx.record`. */
  item(item: T): string;
  /** Frames once the upstream ended cleanly (they can carry the final usage). */
  end(): string;
  /** The frame that ends a stream failing after its first byte: never a fake clean stop. */
  error(error: GatewayError): string;
  /** A keep-alive frame sent when nothing else was written for `everyMs`. */
  ping?: { frame: string; everyMs: number };
  /** HTTP trailers known only once the stream is over (its cost): names announced up front, values at the end. */
  trailers?: { names: readonly string[]; values(): Record<string, string> };
}

/**
 * The stream loop every surface shares: 200 with SSE headers once the first item is in, frames as items arrive
 * (batched per tick, with backpressure), and after the first byte any failure as the surface's error frame and
 * a clean close. A client that went away gets nothing more; the upstream was already aborted. The SSE headers
 * are added to `headers`, which it takes over.
 */
export async function relayStream<T>(
  res: ServerResponse,
  dispatched: StreamDispatch<T>,
  ctx: RequestContext,
  headers: Record<string, string>,
  encoding: StreamEncoding<T>,
): Promise<void> {
  const { record } = ctx;
  record.deployment = dispatched.deployment.id;
  record.status = 200;
  Object.assign(headers, SSE_HEADERS);
  if (encoding.trailers) headers.trailer = encoding.trailers.names.join(', ');
  res.writeHead(200, headers);
  const sse = new SseWriter(res);
  record.ttftMs = performance.now() - record.startedAt;
  let wrote = true;
  const keepAlive = encoding.ping && setInterval(() => {
    if (!wrote) sse.write(encoding.ping!.frame);
    wrote = false;
  }, encoding.ping.everyMs);
  keepAlive?.unref();
  let item = dispatched.first;
  const { rest } = dispatched;
  try {
    if (encoding.start) sse.write(encoding.start());
    for (;;) {
      ctx.streamedItems++;
      const frame = encoding.item(item);
      if (frame) {
        wrote = true;
        const drained = sse.write(frame);
        if (drained) await drained;
      }
      const ready = rest.take?.();
      if (ready !== undefined) {
        item = ready;
        continue;
      }
      const next = await rest.next();
      if (next.done) break;
      item = next.value;
    }
    sse.write(encoding.end());
  } catch (err) {
    const error = toGatewayError(err);
    record.errorCode = error.code ?? error.kind;
    if (!ctx.signal.aborted) sse.write(encoding.error(error));
  } finally {
    if (keepAlive) clearInterval(keepAlive);
    dispatched.dispose();
    if (encoding.trailers && !res.destroyed) res.addTrailers(encoding.trailers.values());
    sse.end();
  }
}
