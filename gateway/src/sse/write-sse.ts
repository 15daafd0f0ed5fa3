import type { ServerResponse } from 'node:http';
import { toJson } from '../core/stream-chunk.js';

/**
 * Writes SSE frames to a response. Frames queued before the event loop next polls for I/O (the events of one
 * upstream read, and the stream's end when it came in that read too) are joined and leave in one socket
 * write; a write promise resolves once the socket can take more.
 */
export class SseWriter {
  private pending = '';
  private scheduled = false;
  private blocked: Promise<void> | undefined;

  constructor(private readonly res: ServerResponse) {}

  /** Queues a frame; returns a promise only when the client is slower than the upstream (backpressure). */
  write(frame: string): Promise<void> | undefined {
    if (this.res.destroyed || this.res.writableEnded) return undefined;
    this.pending += frame;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return this.blocked;
  }

  /** Ends the response with what is still queued, in the same socket write as the end of the body. */
  end(): void {
    if (this.res.writableEnded) return;
    const frame = this.pending;
    this.pending = '';
    if (frame && !this.res.destroyed) this.res.end(frame);
    else this.res.end();
  }

  private flush(): void {
    this.scheduled = false;
    if (!this.pending || this.res.destroyed || this.res.writableEnded) return;
    const frame = this.pending;
    this.pending = '';
    if (this.res.write(frame) || this.blocked) return;
    this.blocked = new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        this.blocked = undefined;
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }
}

/** `data: <json>\n\n` */
export function dataFrame(payload: object): string {
  return `data: ${toJson(payload)}\n\n`;
}

/**
 * An upstream event's data relayed verbatim as the value of a `data:` field: text that spanned several `data:`
 * lines upstream (the SSE parser joined them with `\n`) goes out as as many lines again, so the client reads
 * the same text and the frame cannot end early.
 */
export function dataLines(text: string): string {
  return text.includes('\n') ? text.replaceAll('\n', '\ndata: ') : text;
}

/** `event: <name>\ndata: <json>\n\n`, the framing Anthropic clients require. */
export function eventFrame(event: string, payload: object): string {
  return `event: ${event}\ndata: ${toJson(payload)}\n\n`;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;
