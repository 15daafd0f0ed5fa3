/**
 * Child-process entry for the benchmark, so that each server gets its own event loop:
 *   bench-server.ts mock [--think MS] [--pace MS]   the scripted mock upstream (recording off); --pace sends
 *                                                   stream chunks MS apart (15 content chunks, 19 events, about 18 s)
 * Prints one JSON line `{"url": …}` on stdout when listening; exits on SIGTERM or when stdin closes.
 */
import { parseArgs } from 'node:util';
import { startMockOpenAI } from '../gateway/test/support/mock-openai-upstream.js';

/** A short coding-agent style answer, streamed in 26 chunks of 8 characters (15 of 14 when paced). */
const BENCH_REPLY_TEXT =
  'Here is the fix: the loop reads one element past the end of the array. Change `i <= items.length` to ' +
  '`i < items.length` in `sumPrices`, and add a test for the empty list so the off-by-one cannot come back.';

const PACED_CHUNK_SIZE = 14; // bench.ts expects 15 content chunks per paced stream

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { think: { type: 'string', default: '0' }, pace: { type: 'string', default: '0' } },
});

async function main(): Promise<void> {
  let server: { url: string; close(): Promise<void> };
  if (positionals[0] === 'mock') {
    const mock = await startMockOpenAI({ thinkMs: Number(values.think), record: false });
    const pace = Number(values.pace);
    mock.setDefault(pace > 0 ? { kind: 'text', text: BENCH_REPLY_TEXT, chunkSize: PACED_CHUNK_SIZE, chunkDelayMs: pace } : { kind: 'text', text: BENCH_REPLY_TEXT, chunkSize: 8 });
    server = mock;
  } else {
    throw new Error('usage: bench-server.ts mock [--think MS] [--pace MS]');
  }
  const stop = (): void => void server.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop).resume();
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
