import { authenticateRequest } from '../auth/authenticate.js';
import type { Deployment } from '../config/types.js';
import { readJsonBody } from '../http/read-body.js';
import { resolveModel, type Route } from '../routing/resolve-model.js';
import { resolveRouteFor } from '../routing/resolve-route.js';
import { messagesToChatRequest } from '../translate/messages-request-to-chat.js';
import type { Runtime } from '../server/runtime.js';
import { admitRequest } from './admit-request.js';
import { settleRequest } from './settle-request.js';
import { createMessagesEventEncoder } from '../translate/chat-chunks-to-messages-events.js';
import { chatToMessagesResponse } from '../translate/chat-to-messages-response.js';
import { estimateMessagesTokens } from '../translate/estimate-messages-tokens.js';
import type { ChatTranslation } from '../translate/messages-request-to-chat.js';
import { dispatchMessagesComplete, dispatchMessagesStream, type MessagesDispatchInput } from './anthropic-messages-dispatch.js';
import { anthropicErrorResponse } from './anthropic-messages-errors.js';
import { parseCountTokensRequest, parseMessagesRequest } from './anthropic-messages-parse.js';
import { relayNativeStream, relayTranslatedStream } from './anthropic-messages-relay.js';
import { errorResponse } from './error-response.js';
import { jsonAnswer, type JsonAnswer, type SurfaceHandler } from './json-answer.js';
import { createRequestContext, forwardableHeaders, type RequestContext } from './request-context.js';
import { servedHeaders } from './served-headers.js';

/** Keep-alive interval while an upstream is silent; `SWITCHYARD_SSE_PING_MS` overrides it. */
const DEFAULT_PING_MS = 10_000;

/** `POST /v1/messages` (Claude Code, Anthropic SDKs): native pass-through to Anthropic upstreams, translation to chat for any other. */
export function messagesHandler(runtime: Runtime): SurfaceHandler {
  const pingMs = Number(process.env.SWITCHYARD_SSE_PING_MS) || DEFAULT_PING_MS;
  return async (incoming, outgoing) => {
    const ctx = createRequestContext('anthropic.messages', incoming, outgoing);
    const { record } = ctx;
    const config = runtime.config;
    try {
      ctx.principal = await authenticateRequest(runtime, ctx.header);
      const body = (await readJsonBody(incoming, config.server.maxBodyBytes)) as Record<string, unknown>;
      const request = parseMessagesRequest(body);
      record.modelAsked = request.model;
      record.stream = request.stream === true;
      record.request = request;
      const routed = resolveRouteFor(config, request.model, () => messagesToChatRequest(request).request, ctx.header);
      const route = await admitRequest(runtime, ctx, routed, { maxTokens: request.max_tokens ?? undefined, estimateInputTokens: () => estimateMessagesTokens(request), user: request.metadata?.user_id ?? undefined });
      const version = ctx.header('anthropic-version');
      const input: MessagesDispatchInput = { request, body, nativeHeaders: version ? { 'anthropic-version': version } : {} };
      const dispatchCtx = { requestId: ctx.requestId, signal: ctx.signal, forwardHeaders: forwardableHeaders(incoming), record };
      const answer = { id: `msg_${ctx.requestId.replaceAll('-', '')}`, model: request.model };

      if (request.stream) {
        const dispatched = await dispatchMessagesStream(route, input, dispatchCtx);
        if ('native' in dispatched) {
          await relayNativeStream(outgoing, dispatched.native, ctx, messagesHeaders(ctx, route, dispatched.native.deployment), pingMs);
        } else {
          // the body size is a cheap stand-in for input tokens at message_start; message_delta has the real count
          const inputTokens = Math.ceil((Number(incoming.headers['content-length']) || 0) / 4);
          const encoder = createMessagesEventEncoder({ ...answer, toolNames: dispatched.translation.toolNames, inputTokens });
          const headers = messagesHeaders(ctx, route, dispatched.chat.deployment, dispatched.translation);
          await relayTranslatedStream(outgoing, dispatched.chat, encoder, ctx, headers, pingMs);
        }
        return undefined;
      }
      const done = await dispatchMessagesComplete(route, input, dispatchCtx);
      record.deployment = done.deployment.id;
      record.status = 200;
      if ('native' in done) {
        record.usage = done.native.usage;
        return jsonAnswer(done.native.raw, messagesHeaders(ctx, route, done.deployment));
      }
      record.usage = done.chat.completion.usage;
      const message = chatToMessagesResponse(done.chat.completion, { ...answer, toolNames: done.translation.toolNames });
      return jsonAnswer(JSON.stringify(message), messagesHeaders(ctx, route, done.deployment, done.translation));
    } catch (err) {
      return anthropicError(runtime, ctx, err);
    } finally {
      await settleRequest(runtime, ctx);
    }
  };
}

/** `POST /v1/messages/count_tokens`: a local estimate (tokenx), so it answers for every upstream kind. */
export function countTokensHandler(runtime: Runtime): SurfaceHandler {
  return async (incoming, outgoing) => {
    const ctx = createRequestContext('anthropic.count_tokens', incoming, outgoing);
    const config = runtime.config;
    try {
      await authenticateRequest(runtime, ctx.header);
      const request = parseCountTokensRequest(await readJsonBody(incoming, config.server.maxBodyBytes));
      ctx.record.modelAsked = request.model;
      resolveModel(config, request.model);
      ctx.record.status = 200;
      return jsonAnswer(JSON.stringify({ input_tokens: estimateMessagesTokens(request) }), { 'x-switchyard-request-id': ctx.requestId, 'request-id': ctx.requestId });
    } catch (err) {
      return anthropicError(runtime, ctx, err);
    } finally {
      // ends the server span, and records the request's metrics and log line like any other surface's
      void settleRequest(runtime, ctx);
    }
  };
}

/** The served headers, with Anthropic's own `request-id` and a warning when tools were left out. */
function messagesHeaders(ctx: RequestContext, route: Route, deployment: Deployment, translation?: ChatTranslation): Record<string, string> {
  const headers = servedHeaders(ctx, route, deployment);
  headers['request-id'] = ctx.requestId;
  if (translation && translation.droppedTools.length > 0) {
    headers['x-switchyard-warning'] = `Tools this upstream cannot run were left out: ${translation.droppedTools.join(', ')}`;
  }
  return headers;
}

function anthropicError(runtime: Runtime, ctx: RequestContext, err: unknown): JsonAnswer {
  return errorResponse(runtime, ctx, err, (error) => ({ ...anthropicErrorResponse(error, ctx.requestId), headers: { 'request-id': ctx.requestId } }));
}
