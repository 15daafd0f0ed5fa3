import { Writable } from 'node:stream';

/** A stream that keeps every chunk written to it as a string, in order: a logger's lines. */
export function lineSink(): { sink: Writable; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { sink, lines };
}
