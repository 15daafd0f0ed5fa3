import type { ServerResponse } from 'node:http';
import { toJson } from '../core/stream-chunk.js';

/**
 * Writes SSE frames to a response. Frames written in the same tick (events that arrived in one upstream read)
 * are joined and leave in one socket write; a write promise resolves once the socket can take more.
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
      process.nextTick(() => this.flush());
    }
    return this.blocked;
  }

  /** Flushes what is queued and ends the response. */
  end(): void {
    this.flush();
    if (!this.res.writableEnded) this.res.end();
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
