import type { Deployment } from '../config/types.js';
import type { ChatRequest } from '../core/chat-schema.js';
import type { ChatChunk, Usage } from '../core/chat-response.js';
import { completeOn, providerCall, streamOn, tryInOrder, type DispatchContext, type StreamDispatch } from '../dispatch/dispatch.js';
import { PROVIDERS } from '../providers/registry.js';
import type { CompletionResult, MessagesCall, MessagesStreamEvent } from '../providers/types.js';
import type { Route } from '../routing/resolve-model.js';
import type { MessagesRequest } from '../translate/messages-request-schema.js';
import { messagesToChatRequest, type ChatTranslation } from '../translate/messages-request-to-chat.js';
import type { AbortSignalLike } from '../core/request-signal.js';

/** The request both ways: as the client sent it (native pass-through) and, on demand, as a chat request. */
export interface MessagesDispatchInput {
  request: MessagesRequest;
  /** The client's body, untouched. */
  body: Readonly<Record<string, unknown>>;
  /** Headers a native upstream gets on top of the dispatch context's (the client's anthropic-version). */
  nativeHeaders: Record<string, string>;
}

export type MessagesCompletion =
  | { deployment: Deployment; native: { raw: string; usage?: Usage } }
  | { deployment: Deployment; chat: CompletionResult; translation: ChatTranslation };

export type MessagesStream =
  | { native: StreamDispatch<MessagesStreamEvent> }
  | { chat: StreamDispatch<ChatChunk>; translation: ChatTranslation };

/**
 * Tries the route's deployments in order. A deployment whose adapter speaks Messages natively gets the client's
 * body; any other gets the chat translation, made once and only when needed (so blocks only Anthropic
 * understands are refused only when a non-Anthropic upstream would have to carry them).
 */
export async function dispatchMessagesComplete(route: Route, input: MessagesDispatchInput, ctx: DispatchContext): Promise<MessagesCompletion> {
  const translate = lazyTranslation(input.request);
  return tryInOrder(route, async (deployment): Promise<MessagesCompletion> => {
    const adapter = PROVIDERS[deployment.provider.kind];
    if (adapter.messages) {
      const { result } = await completeOn(deployment, ctx, (signal, onHeaders) => adapter.messages!.complete(messagesCall(deployment, input, ctx, signal, onHeaders)));
      return { deployment, native: result };
    }
    const translation = translate();
    const request = forDeployment(translation.request, deployment);
    const { result } = await completeOn(deployment, ctx, (signal, onHeaders) => adapter.complete(providerCall(deployment, request, ctx, signal, onHeaders)));
    return { deployment, chat: result, translation };
  }, ctx);
}

/** Like dispatchMessagesComplete, for streams: a deployment wins once its first event or chunk arrived. */
export async function dispatchMessagesStream(route: Route, input: MessagesDispatchInput, ctx: DispatchContext): Promise<MessagesStream> {
  const translate = lazyTranslation(input.request);
  return tryInOrder(route, async (deployment): Promise<MessagesStream> => {
    const adapter = PROVIDERS[deployment.provider.kind];
    if (adapter.messages) {
      return { native: await streamOn(deployment, ctx, (signal) => adapter.messages!.stream(messagesCall(deployment, input, ctx, signal))) };
    }
    const translation = translate();
    const request = forDeployment(translation.request, deployment);
    return { chat: await streamOn(deployment, ctx, (signal) => adapter.stream(providerCall(deployment, request, ctx, signal))), translation };
  }, ctx);
}

function lazyTranslation(request: MessagesRequest): () => ChatTranslation {
  let translation: ChatTranslation | undefined;
  return () => (translation ??= messagesToChatRequest(request));
}

// Claude Code always asks for thinking; a model not declared as reasoning would refuse reasoning_effort.
function forDeployment(request: ChatRequest, deployment: Deployment): ChatRequest {
  if (request.reasoning_effort == null || deployment.capabilities.reasoning) return request;
  const { reasoning_effort: _dropped, ...rest } = request;
  return rest as ChatRequest;
}

function messagesCall(deployment: Deployment, input: MessagesDispatchInput, ctx: DispatchContext, signal: AbortSignalLike, onHeaders?: () => void): MessagesCall {
  return {
    deployment,
    body: input.body,
    signal,
    ...(onHeaders ? { onHeaders } : {}),
    requestId: ctx.requestId,
    forwardHeaders: { ...ctx.forwardHeaders, ...input.nativeHeaders },
  };
}
