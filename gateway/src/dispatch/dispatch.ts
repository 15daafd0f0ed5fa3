import type { Deployment } from '../config/types.js';
import type { ChatRequest } from '../core/chat-schema.js';
import type { ChatChunk } from '../core/chat-response.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import { PROVIDERS } from '../providers/registry.js';
import type { CompletionResult, ProviderCall } from '../providers/types.js';
import type { Route } from '../routing/resolve-model.js';
import { attemptSignal } from './attempt-signal.js';

export interface DispatchContext {
  requestId: string;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  forwardHeaders?: Record<string, string>;
}

export interface StreamDispatch {
  deployment: Deployment;
  /** The first chunk, already received: the stream is committed to this deployment. */
  first: ChatChunk;
  rest: AsyncIterator<ChatChunk>;
  /** Stops the attempt's timers; call when the stream is done or abandoned. */
  dispose: () => void;
}

/**
 * Tries the route's deployments in order until one answers. A retryable failure moves to the next deployment;
 * anything else, or the last failure, is thrown. (Backoff, cooldowns and rate-aware choice come with issue 7.)
 */
export async function dispatchComplete(route: Route, request: ChatRequest, ctx: DispatchContext): Promise<{ deployment: Deployment; result: CompletionResult }> {
  return tryInOrder(route, async (deployment) => {
    const { signal, dispose } = attemptSignal(ctx.signal, deployment.timeoutMs);
    try {
      const result = await PROVIDERS[deployment.provider.kind].complete(call(deployment, request, ctx, signal));
      return { deployment, result };
    } finally {
      dispose();
    }
  });
}

/** Like dispatchComplete, but a deployment only wins once its first chunk has arrived (STYLE §8). */
export async function dispatchStream(route: Route, request: ChatRequest, ctx: DispatchContext): Promise<StreamDispatch> {
  return tryInOrder(route, async (deployment) => {
    const { signal, dispose } = attemptSignal(ctx.signal, deployment.timeoutMs);
    let iterator: AsyncIterator<ChatChunk> | undefined;
    try {
      const chunks = await PROVIDERS[deployment.provider.kind].stream(call(deployment, request, ctx, signal));
      iterator = chunks[Symbol.asyncIterator]();
      const first = await iterator.next();
      if (first.done) throw new GatewayError('upstream', `Upstream ${deployment.provider.name} sent an empty stream`, { code: 'upstream_stream_error' });
      return { deployment, first: first.value, rest: iterator, dispose };
    } catch (err) {
      dispose();
      await iterator?.return?.();
      throw err;
    }
  });
}

async function tryInOrder<T>(route: Route, attempt: (deployment: Deployment) => Promise<T>): Promise<T> {
  let lastError: GatewayError | undefined;
  for (const deployment of route.candidates) {
    try {
      return await attempt(deployment);
    } catch (err) {
      lastError = toGatewayError(err);
      if (!lastError.retryable || lastError.code === 'aborted') throw lastError;
    }
  }
  throw lastError ?? new GatewayError('unavailable', `No deployment available for model '${route.modelName}'`);
}

function call(deployment: Deployment, request: ChatRequest, ctx: DispatchContext, signal: AbortSignal): ProviderCall {
  return {
    deployment,
    request,
    signal,
    requestId: ctx.requestId,
    ...(ctx.forwardHeaders ? { forwardHeaders: ctx.forwardHeaders } : {}),
  };
}
