import type { Deployment } from '../config/types.js';
import type { ChatRequest } from '../core/chat-schema.js';
import type { ChatChunk } from '../core/chat-response.js';
import { GatewayError } from '../core/errors.js';
import { PROVIDERS } from '../providers/registry.js';
import type { CompletionResult, ItemIterator, ProviderCall } from '../providers/types.js';
import type { Route } from '../routing/resolve-model.js';
import { attemptTimers } from './attempt-signal.js';
import { tryCandidates } from './try-candidates.js';
import { traceHooks } from '../telemetry/trace-hooks.js';
import type { AbortSignalLike } from '../core/request-signal.js';

export interface DispatchContext {
  requestId: string;
  /** Aborted when the client goes away. */
  signal: AbortSignalLike;
  forwardHeaders?: Record<string, string>;
  /** The client's JSON text the request was parsed from, unchanged (see ProviderCall). */
  sourceText?: string;
  /** The bytes sourceText was decoded from (see ProviderCall). */
  sourceBytes?: Buffer;
  /** The request's record: dispatch notes the time it spent (upstream attempts and waits) for the overhead metric. */
  record?: { dispatchMs?: number; span?: unknown };
}

export interface StreamDispatch<T = ChatChunk> {
  deployment: Deployment;
  /** The first chunk, already received: the stream is committed to this deployment. */
  first: T;
  rest: ItemIterator<T>;
  /** Stops the attempt's timers; call when the stream is done or abandoned. */
  dispose: () => void;
}

/**
 * Tries the route's deployments in order until one answers, with retries, backoff, cooldowns and fallbacks as
 * the route's resilience says (see try-candidates.ts); a non-retryable failure, or the last one, is thrown.
 */
export async function dispatchComplete(route: Route, request: ChatRequest, ctx: DispatchContext): Promise<{ deployment: Deployment; result: CompletionResult }> {
  return tryInOrder(route, (deployment) => completeOn(deployment, ctx, (signal, onHeaders) => PROVIDERS[deployment.provider.kind].complete(providerCall(deployment, request, ctx, signal, onHeaders))), ctx);
}

/**
 * One non-streamed attempt on one deployment under its timeouts; `send` gets the attempt's abort signal and the
 * callback for the upstream's response headers, which are a non-streamed answer's first byte: a hung upstream
 * fails after the first-byte timeout instead of the total one, and the next candidate gets the time left.
 */
export async function completeOn<R>(
  deployment: Deployment,
  ctx: DispatchContext,
  send: (signal: AbortSignalLike, onHeaders: () => void) => Promise<R>,
): Promise<{ deployment: Deployment; result: R }> {
  const { signal, firstByte, dispose } = attemptTimers(ctx.signal, { timeoutMs: deployment.timeoutMs, firstByteTimeoutMs: deployment.firstByteTimeoutMs });
  try {
    return { deployment, result: await send(signal, firstByte) };
  } finally {
    dispose();
  }
}

/** Like dispatchComplete, but a deployment only wins once its first chunk has arrived (STYLE §8). */
export async function dispatchStream(route: Route, request: ChatRequest, ctx: DispatchContext): Promise<StreamDispatch> {
  return tryInOrder(route, (deployment) => streamOn(deployment, ctx, (signal) => PROVIDERS[deployment.provider.kind].stream(providerCall(deployment, request, ctx, signal))), ctx);
}

/** One streamed attempt on one deployment: wins only once `open`'s stream yielded its first item. */
export async function streamOn<T>(deployment: Deployment, ctx: DispatchContext, open: (signal: AbortSignalLike) => Promise<AsyncIterable<T>>): Promise<StreamDispatch<T>> {
  const timers = attemptTimers(ctx.signal, {
    timeoutMs: deployment.timeoutMs,
    firstByteTimeoutMs: deployment.streamFirstByteTimeoutMs ?? deployment.firstByteTimeoutMs,
    idleTimeoutMs: deployment.idleTimeoutMs,
  });
  const { signal, dispose } = timers;
  let iterator: ItemIterator<T> | undefined;
  try {
    iterator = (await open(signal))[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done) throw new GatewayError('upstream', `Upstream ${deployment.provider.name} sent an empty stream`, { code: 'upstream_stream_error' });
    timers.firstByte();
    return { deployment, first: first.value, rest: deployment.idleTimeoutMs ? timedIterator(iterator, timers.tick) : iterator, dispose };
  } catch (err) {
    dispose();
    await iterator?.return?.();
    throw err;
  }
}

/** Runs `attempt` on the route's deployments until one succeeds; see dispatchComplete and try-candidates.ts. */
export async function tryInOrder<T>(route: Route, attempt: (deployment: Deployment) => Promise<T>, ctx: Pick<DispatchContext, 'signal' | 'record'>): Promise<T> {
  const started = performance.now();
  const tracing = ctx.record?.span ? traceHooks() : undefined;
  try {
    return await (tracing ? tracing.within(ctx.record!.span, () => tryCandidates(route, attempt, ctx.signal)) : tryCandidates(route, attempt, ctx.signal));
  } finally {
    if (ctx.record) ctx.record.dispatchMs = performance.now() - started;
  }
}

/** Re-arms the idle timer on every chunk. */
function timedIterator<T>(inner: ItemIterator<T>, tick: () => void): ItemIterator<T> {
  return {
    next: async () => {
      const r = await inner.next();
      tick();
      return r;
    },
    ...(inner.take && {
      take: () => {
        const item = inner.take!();
        if (item !== undefined) tick();
        return item;
      },
    }),
    return: async (value?: unknown) => (inner.return ? inner.return(value) : { done: true, value: undefined as T }),
  };
}

/** The provider call for one attempt (one object of one shape: absent options are undefined, not spread in). */
export function providerCall(deployment: Deployment, request: ChatRequest, ctx: DispatchContext, signal: AbortSignalLike, onHeaders?: () => void): ProviderCall {
  return { deployment, request, signal, onHeaders, requestId: ctx.requestId, forwardHeaders: ctx.forwardHeaders, sourceText: ctx.sourceText, sourceBytes: ctx.sourceBytes };
}
