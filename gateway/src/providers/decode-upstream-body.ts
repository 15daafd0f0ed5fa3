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
 * Decodes an upstream SSE body into chunks. Chunks decoded from one network read are handed out from a queue
 * (a resolved promise each, no generator machinery per chunk), and the body is read with `read()` as its
 * `readable` events come rather than through the stream's async iterator, whose generator and end-of-stream
 * plumbing cost more than the read itself. The body is read to its end so the keep-alive connection returns to
 * the pool; when the consumer stops early or anything fails, the body is destroyed, which aborts the upstream
 * request.
 */
export function decodeUpstreamBody<T>(body: Body, signal: AbortSignalLike, provider: ProviderConfig, decoder: StreamDecoder<T>): UpstreamChunks<T> {
  return new UpstreamChunks(body, signal, provider, decoder);
}

export class UpstreamChunks<T> implements AsyncIterableIterator<T>, ItemIterator<T> {
  private readonly sse = createSseDecoder();
  private queue: readonly T[] = [];
  private index = 0;
  private finished = false;
  /** A decode failure waits until the chunks decoded before it have been handed out. */
  private failure: unknown;
  /** How the body stopped: `true` at its end, else the error that broke it (a close before the end included). */
  private stopped: true | { error: unknown } | undefined;
  /** Resolves the wait for the body's next event. */
  private wake: (() => void) | undefined;

  constructor(
    private readonly body: Body,
    private readonly signal: AbortSignalLike,
    private readonly provider: ProviderConfig,
    private readonly decoder: StreamDecoder<T>,
  ) {
    const wake = () => {
      const resolve = this.wake;
      this.wake = undefined;
      resolve?.();
    };
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

  async next(): Promise<IteratorResult<T>> {
    try {
      while (this.index >= this.queue.length) {
        if (this.failure !== undefined) throw this.failure;
        if (this.finished) return { done: true, value: undefined };
        const bytes = await this.read();
        if (bytes === null) {
          this.finished = true;
          this.fill(this.sse.end());
          if (this.failure === undefined) this.decoder.end();
        } else {
          this.fill(this.sse.feed(bytes));
        }
      }
      return { done: false, value: this.queue[this.index++]! };
    } catch (err) {
      this.finished = true;
      this.release();
      throw connectionError(err, this.signal);
    }
  }

  /** The bytes buffered in the body, waiting for some if there are none; null at its end. */
  private async read(): Promise<Uint8Array | null> {
    for (;;) {
      const bytes = this.body.read() as Uint8Array | null;
      if (bytes !== null) return bytes;
      const stopped = this.stopped;
      if (stopped === true) return null;
      if (stopped) throw stopped.error;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** The next chunk already decoded from the last read, without a promise; undefined when the next needs a read. */
  take(): T | undefined {
    return this.index < this.queue.length ? this.queue[this.index++] : undefined;
  }

  async return(): Promise<IteratorResult<T>> {
    this.finished = true;
    this.release();
    return { done: true, value: undefined };
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
