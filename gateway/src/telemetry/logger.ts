import pino, { type Logger, type DestinationStream } from 'pino';

/** Paths that may hold secrets anywhere in a logged object; pino replaces them before the line is written. */
export const REDACT_PATHS = [
  'apiKey', '*.apiKey', '*.*.apiKey', 'api_key', '*.api_key', '*.*.api_key',
  'masterKey', '*.masterKey', '*.*.masterKey', 'master_key', '*.master_key', '*.*.master_key',
  'authorization', '*.authorization', '*.*.authorization',
  'headers["x-api-key"]', '*.headers["x-api-key"]', 'headers["x-litellm-api-key"]', '*.headers["x-litellm-api-key"]',
  'key', '*.key',
];

/**
 * The gateway's JSON logger; level from SWITCHYARD_LOG_LEVEL (default info). Without a destination it writes to
 * the process's shared stdout buffer (see `stdoutDestination`).
 */
export function createLogger(destination: DestinationStream = stdoutDestination()): Logger {
  return pino(
    {
      level: process.env.SWITCHYARD_LOG_LEVEL ?? 'info',
      base: { service: 'switchyard' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: () => isoTimeField(Date.now()),
    },
    destination,
  );
}

let second = NaN;
let secondPrefix = '';

/**
 * pino's `isoTime` field (`,"time":"2026-12-02T09:17:05.042Z"`), with the part up to the second formatted once
 * per second: `toISOString` on every line was a fifth of the request line's cost.
 */
export function isoTimeField(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s !== second) {
    second = s;
    secondPrefix = `,"time":"${new Date(s * 1000).toISOString().slice(0, 20)}`;
  }
  const milli = ms - s * 1000;
  return `${secondPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z"`;
}

/**
 * Buffered lines leave once they pass this size, or at the next flush tick. Just under sonic-boom's largest
 * write (16 KB): at 6,000 requests/s a 4 KB buffer still meant a thread-pool write every 25 requests, and going
 * to 16 KB took 4–6 % off the CPU per request (wrk, interleaved A/B).
 */
const BUFFER_BYTES = 16_000;
const DEFAULT_FLUSH_MS = 100;

let stdout: DestinationStream | undefined;
let stdoutWriter: ReturnType<typeof pino.destination> | undefined;

/**
 * One stdout writer per process. Lines are buffered and leave in one write when `BUFFER_BYTES` are pending or
 * every SWITCHYARD_LOG_FLUSH_MS (default 100 ms), whichever comes first, like a web server's buffered access
 * log: a write per request line costs a thread-pool round trip (five syscalls and two thread wake-ups), as
 * many syscalls as the rest of a proxied request. The price: a line shows up to that long after it was logged, and
 * a `kill -9` loses the lines of that window (a normal exit, a signal or a crash writes them out first).
 * SWITCHYARD_LOG_FLUSH_MS=0 writes every line as it is logged.
 */
export function stdoutDestination(): DestinationStream {
  if (stdout) return stdout;
  const flushMs = logFlushMs(process.env.SWITCHYARD_LOG_FLUSH_MS) ?? DEFAULT_FLUSH_MS;
  // minLength 1 rather than 0, so that flush(cb) waits for the writes in flight (see closeStdoutLog)
  if (flushMs === 0) return (stdout = stdoutWriter = pino.destination({ dest: 1, sync: false, minLength: 1 }));
  // Buffered lines are kept as bytes: kept as text, sonic-boom 4.2 measures the pending string's UTF-8 length on
  // every write, which copies the whole buffer once per line (8 KB of copying and garbage per request at 16 KB).
  const boom = (stdoutWriter = pino.destination({ dest: 1, sync: false, minLength: BUFFER_BYTES, contentMode: 'buffer' }));
  let pending = false;
  setInterval(() => {
    if (!pending) return;
    pending = false;
    boom.flush();
  }, flushMs).unref();
  stdout = {
    write(line: string) {
      pending = true;
      boom.write(Buffer.from(line) as unknown as string); // sonic-boom types predate its buffer mode
    },
    flush: (cb?: (err?: Error) => void) => boom.flush(cb),
  } as DestinationStream;
  return stdout;
}

/**
 * Writes out the buffered lines, then retires stdout's writer, so that pino's exit hook finds nothing to flush;
 * `done` runs once the write has ended, well or not. Call it before `process.exit`: the hook flushes
 * synchronously, and sonic-boom 4.2's synchronous flush retries a write to a closed pipe forever (so
 * `switchyard serve | tee log` stopped with Ctrl-C, which signals tee too, never exited). The asynchronous
 * write fails with EPIPE instead, and pino then drops the stream.
 */
export function closeStdoutLog(done: () => void): void {
  const boom = stdoutWriter;
  if (!boom) return done();
  boom.flush(() => {
    boom.destroy();
    done();
  });
}

/** SWITCHYARD_LOG_FLUSH_MS as milliseconds (the default when unset); undefined when it is not a number >= 0. */
export function logFlushMs(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return DEFAULT_FLUSH_MS;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
