import type { Dispatcher } from 'undici';
import { createSseDecoder } from '../sse/parse-sse.js';
import type { ProviderConfig } from '../config/types.js';
import { connectionError } from './http-client.js';
import { scrubUpstreamError } from './provider-secrets.js';
import type { StreamDecoder } from './stream-decoder.js';
import type { ItemIterator } from './types.js';
import type { AbortSignalLike } from '../core/request-signal.js';

type Body = Dispatcher.ResponseData['body'];

/**
 * Decodes an upstream SSE body into chunks. The body is read with `read()` as its events come, and chunks are
 * handed out from a queue: a `next()` that finds one buffered resolves at once, and one that must wait costs one
 * promise, settled from the body's event. No async function or generator stays suspended across the wait, and
 * chunks already handed out are let go, so a stream whose upstream pauses between tokens holds nothing per token
 * while it waits: with thousands of slow streams open, what a wait held lived long enough to reach V8's old
 * generation and grew the heap until the next full GC. The body is read to its end so the keep-alive connection
 * returns to the pool; when the consumer stops early or anything fails, the body is destroyed, which aborts the
 * upstream request.
 */
export function decodeUpstreamBody<T>(body: Body, signal: AbortSignalLike, provider: ProviderConfig, decoder: StreamDecoder<T>): UpstreamChunks<T> {
  return new UpstreamChunks(body, signal, provider, decoder);
}

const NONE: readonly never[] = [];

export class UpstreamChunks<T> implements AsyncIterableIterator<T>, ItemIterator<T> {
  private readonly sse = createSseDecoder();
  private queue: readonly T[] = NONE;
  private index = 0;
  private finished = false;
  /** A decode failure waits until the chunks decoded before it have been handed out. */
  private failure: unknown;
  /** How the body stopped: `true` at its end, else the error that broke it (a close before the end included). */
  private stopped: true | { error: unknown } | undefined;
  /** The `next()` waiting for the body's next event. */
  private waiting: { resolve(result: IteratorResult<T>): void; reject(err: unknown): void } | undefined;

  constructor(
    private readonly body: Body,
    private readonly signal: AbortSignalLike,
    private readonly provider: ProviderConfig,
    private readonly decoder: StreamDecoder<T>,
  ) {
    const wake = () => this.wake();
    body.on('readable', wake);
    body.on('end', () => {
      this.stopped ??= true;
      wake();
    });
    body.on('error', (error: unknown) => {
      this.stopped ??= { error };
      wake();
    });
    body.on('close', () => {
      this.stopped ??= { error: new Error('upstream body closed before its end') };
      wake();
    });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    let result;
    try {
      result = this.poll();
    } catch (err) {
      return Promise.reject(this.fail(err));
    }
    return result ? Promise.resolve(result) : new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** The next chunk already decoded from the last read, without a promise; undefined when the next needs a read. */
  take(): T | undefined {
    return this.index < this.queue.length ? this.shift() : undefined;
  }

  async return(): Promise<IteratorResult<T>> {
    this.finished = true;
    this.release();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve({ done: true, value: undefined });
    return { done: true, value: undefined };
  }

  /** A body event: settles the waiting `next()` once a chunk, the end or a failure is there. */
  private wake(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    let result;
    try {
      result = this.poll();
    } catch (err) {
      this.waiting = undefined;
      waiting.reject(this.fail(err));
      return;
    }
    if (!result) return;
    this.waiting = undefined;
    waiting.resolve(result);
  }

  /** The next result from what the body has buffered, or undefined when it has to wait; throws what broke it. */
  private poll(): IteratorResult<T> | undefined {
    while (this.index >= this.queue.length) {
      if (this.failure !== undefined) throw this.failure;
      if (this.finished) return { done: true, value: undefined };
      const bytes = this.body.read() as Uint8Array | null;
      if (bytes !== null) {
        this.fill(this.sse.feed(bytes));
        continue;
      }
      const stopped = this.stopped;
      if (stopped === undefined) return undefined;
      if (stopped !== true) throw stopped.error;
      this.finished = true;
      this.fill(this.sse.end());
      if (this.failure === undefined) this.decoder.end();
    }
    return { done: false, value: this.shift() };
  }

  /** The next queued chunk; the queue is dropped once empty, so that nothing handed out stays reachable. */
  private shift(): T {
    const item = this.queue[this.index++]!;
    if (this.index === this.queue.length) {
      this.queue = NONE;
      this.index = 0;
    }
    return item;
  }

  private fail(err: unknown): unknown {
    this.finished = true;
    this.release();
    return connectionError(err, this.signal);
  }

  private fill(messages: ReturnType<typeof this.sse.feed>): void {
    const out: T[] = [];
    try {
      for (const message of messages) for (const chunk of this.decoder.event(message)) out.push(chunk);
    } catch (err) {
      // in-band upstream errors quote upstream text, which may hold a credential
      this.failure = scrubUpstreamError(err, this.provider);
    }
    this.queue = out;
    this.index = 0;
  }

  private release(): void {
    if (!this.body.readableEnded) this.body.destroy();
  }
}
