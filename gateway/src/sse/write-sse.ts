import type { ServerResponse } from 'node:http';

/** Writes one SSE frame; resolves when the socket can take more (backpressure) or the client is gone. */
export function writeFrame(res: ServerResponse, frame: string): Promise<void> | undefined {
  if (res.destroyed || res.writableEnded) return undefined;
  if (res.write(frame)) return undefined;
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** `data: <json>\n\n` */
export function dataFrame(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/** `event: <name>\ndata: <json>\n\n`, the framing Anthropic clients require. */
export function eventFrame(event: string, payload: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;
