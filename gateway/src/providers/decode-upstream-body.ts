import type { Dispatcher } from 'undici';
import { createSseDecoder } from '../sse/parse-sse.js';
import type { ProviderConfig } from '../config/types.js';
import { connectionError } from './http-client.js';
import { scrubUpstreamError } from './provider-secrets.js';
import type { StreamDecoder } from './stream-decoder.js';
import type { ItemIterator } from './types.js';

type Body = Dispatcher.ResponseData['body'];

/**
 * Decodes an upstream SSE body into chunks. Chunks decoded from one network read are handed out from a queue
 * (a resolved promise each, no generator machinery per chunk). The body is read to its end so the keep-alive
 * connection returns to the pool; when the consumer stops early or anything fails, the body is destroyed,
 * which aborts the upstream request.
 */
export function decodeUpstreamBody<T>(body: Body, signal: AbortSignal, provider: ProviderConfig, decoder: StreamDecoder<T>): UpstreamChunks<T> {
  return new UpstreamChunks(body, signal, provider, decoder);
}

export class UpstreamChunks<T> implements AsyncIterableIterator<T>, ItemIterator<T> {
  private readonly bytes: AsyncIterator<Uint8Array>;
  private readonly sse = createSseDecoder();
  private queue: readonly T[] = [];
  private index = 0;
  private finished = false;
  /** A decode failure waits until the chunks decoded before it have been handed out. */
  private failure: unknown;

  constructor(
    private readonly body: Body,
    private readonly signal: AbortSignal,
    private readonly provider: ProviderConfig,
    private readonly decoder: StreamDecoder<T>,
  ) {
    this.bytes = body[Symbol.asyncIterator]();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  async next(): Promise<IteratorResult<T>> {
    try {
      while (this.index >= this.queue.length) {
        if (this.failure !== undefined) throw this.failure;
        if (this.finished) return { done: true, value: undefined };
        const read = await this.bytes.next();
        if (read.done) {
          this.finished = true;
          this.fill(this.sse.end());
          if (this.failure === undefined) this.decoder.end();
        } else {
          this.fill(this.sse.feed(read.value));
        }
      }
      return { done: false, value: this.queue[this.index++]! };
    } catch (err) {
      this.finished = true;
      this.release();
      throw connectionError(err, this.signal);
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
