import { describe, expect, it } from 'vitest';
import { createSseDecoder } from '../../src/sse/parse-sse.js';

const datas = (events: { data: string }[]) => events.map((e) => e.data);

describe('SSE decoder', () => {
  it('keeps a character whose bytes arrive in two reads', () => {
    const bytes = Buffer.from('data: {"content":"naïve 🚀 ok"}\n\n');
    // every split point, including inside the two- and four-byte sequences
    for (let cut = 1; cut < bytes.length; cut++) {
      const d = createSseDecoder();
      const events = [...d.feed(bytes.subarray(0, cut)), ...d.feed(bytes.subarray(cut)), ...d.end()];
      expect(datas(events)).toEqual(['{"content":"naïve 🚀 ok"}']);
    }
  });

  it('drops a byte order mark at the start of the stream only', () => {
    const d = createSseDecoder();
    const events = [...d.feed(Buffer.from('\uFEFFdata: a\n\n')), ...d.feed(Buffer.from('data: \uFEFFb\n\n')), ...d.end()];
    expect(datas(events)).toEqual(['a', '\uFEFFb']);
  });

  it('drops a byte order mark split across the first reads', () => {
    const bom = Buffer.from('\uFEFF');
    const d = createSseDecoder();
    const events = [...d.feed(bom.subarray(0, 1)), ...d.feed(Buffer.concat([bom.subarray(1), Buffer.from('data: a\n\n')])), ...d.end()];
    expect(datas(events)).toEqual(['a']);
  });

  it('replaces invalid UTF-8 instead of failing', () => {
    const d = createSseDecoder();
    const events = [...d.feed(Buffer.from([0x64, 0x61, 0x74, 0x61, 0x3a, 0x20, 0xff, 0x61, 0x0a, 0x0a])), ...d.end()];
    expect(datas(events)).toEqual(['\uFFFDa']);
  });
});
