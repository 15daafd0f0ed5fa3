import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createSseDecoder } from '../../src/sse/parse-sse.js';
import { dataLines, SseWriter } from '../../src/sse/write-sse.js';

/** Serves one request with `handle`, counting the writes the response makes; resolves with the body and counts. */
async function serveOnce(handle: (res: ServerResponse, sse: SseWriter) => Promise<void>): Promise<{ body: string; writes: number; ends: number }> {
  let writes = 0;
  let ends = 0;
  const server = createServer((_req, res) => {
    const write = res.write.bind(res);
    const end = res.end.bind(res);
    res.write = ((...args: Parameters<typeof write>) => (writes++, write(...args))) as typeof res.write;
    res.end = ((...args: Parameters<typeof end>) => (ends++, end(...args))) as typeof res.end;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    void handle(res, new SseWriter(res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const body = await new Promise<string>((resolve, reject) => {
      request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, (res) => {
        let text = '';
        res.on('data', (b: Buffer) => (text += b));
        res.on('end', () => resolve(text));
      }).on('error', reject).end();
    });
    return { body, writes, ends };
  } finally {
    server.close();
  }
}

describe('SseWriter', () => {
  it('sends the frames of one burst and the end of the stream in a single write', async () => {
    const { body, writes, ends } = await serveOnce(async (_res, sse) => {
      for (let i = 0; i < 5; i++) sse.write(`data: ${i}\n\n`);
      await Promise.resolve(); // the next item of the same upstream read: a microtask later, before any I/O
      sse.write('data: [DONE]\n\n');
      sse.end();
    });
    expect(body).toBe('data: 0\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\ndata: [DONE]\n\n');
    expect(writes).toBe(0);
    expect(ends).toBe(1);
  });

  it('flushes a burst once the event loop moves on, without waiting for the end', async () => {
    const { body, writes } = await serveOnce(async (_res, sse) => {
      sse.write('data: first\n\n');
      sse.write('data: second\n\n');
      // a wait for I/O: the first burst leaves in its own write before it
      await new Promise((r) => setTimeout(r, 20));
      sse.write('data: third\n\n');
      await new Promise((r) => setTimeout(r, 20));
      sse.end();
    });
    expect(body).toBe('data: first\n\ndata: second\n\ndata: third\n\n');
    expect(writes).toBe(2);
  });
});

describe('dataLines', () => {
  it('relays data that spanned several lines as several data lines, which parse back to the same text', () => {
    for (const text of ['{"type":"ping"}', '{"type":\n"message_stop"}', 'a\n\nb\n']) {
      const events = createSseDecoder().feed(`event: x\ndata: ${dataLines(text)}\n\n`);
      expect(events.map((e) => e.data)).toEqual([text]);
    }
  });
});
