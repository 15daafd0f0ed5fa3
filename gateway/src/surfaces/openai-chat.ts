import type { ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import { authenticate } from '../auth/authenticate.js';
import type { Deployment } from '../config/types.js';
import type { ChatRequest } from '../core/chat-schema.js';
import { openaiErrorBody, toGatewayError } from '../core/errors.js';
import { isUsageOnlyChunk } from '../core/stream-chunk.js';
import { dispatchComplete, dispatchStream, type StreamDispatch } from '../dispatch/dispatch.js';
import { readJsonBody } from '../http/read-body.js';
import type { Route } from '../routing/resolve-model.js';
import { resolveRoute, routeHeaders } from '../routing/resolve-route.js';
import type { Runtime } from '../server/runtime.js';
import { SSE_HEADERS, SseWriter, dataFrame } from '../sse/write-sse.js';
import { parseChatRequest } from './parse-chat-request.js';
import { estimateChatTokens } from '../core/estimate-tokens.js';
import { admitRequest } from './admit-request.js';
import { settleRequest } from './settle-request.js';
import { createRequestContext, forwardableHeaders, type RequestContext } from './request-context.js';

type Ctx = Context<{ Bindings: HttpBindings }>;

/** `POST /v1/chat/completions` and `/chat/completions`. */
export function chatCompletionsHandler(runtime: Runtime) {
  return async (c: Ctx): Promise<Response> => {
    const { incoming, outgoing } = c.env;
    const ctx = createRequestContext('openai.chat', incoming, outgoing);
    const { record } = ctx;
    const config = runtime.config;
    try {
      ctx.principal = authenticate(config.auth, ctx.header);
      const request = parseChatRequest(await readJsonBody(incoming, config.server.maxBodyBytes));
      record.modelAsked = request.model;
      record.stream = request.stream === true;
      const routed = resolveRoute(config, request, ctx.header);
      const route = await admitRequest(runtime, ctx, routed, { maxTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined, estimateInputTokens: () => estimateChatTokens(request) });
      const dispatchCtx = { requestId: ctx.requestId, signal: ctx.signal, forwardHeaders: forwardableHeaders(incoming) };

      if (request.stream) {
        const dispatched = await dispatchStream(route, request, dispatchCtx);
        await relayStream(outgoing, dispatched, request, ctx, route);
        return RESPONSE_ALREADY_SENT;
      }
      const { deployment, result } = await dispatchComplete(route, request, dispatchCtx);
      record.deployment = deployment.id;
      record.usage = result.completion.usage;
      record.status = 200;
      return c.body(result.raw ?? JSON.stringify(result.completion), 200, {
        'content-type': 'application/json',
        ...servedHeaders(ctx, deployment, route),
      });
    } catch (err) {
      return errorResponse(c, runtime, ctx, err);
    } finally {
      settleRequest(runtime, ctx);
    }
  };
}

/** Relays chunks as they arrive; after the first byte a failure becomes an SSE error event and a clean close. */
async function relayStream(res: ServerResponse, dispatched: StreamDispatch, request: ChatRequest, ctx: RequestContext, route: Route): Promise<void> {
  const { record } = ctx;
  const includeUsage = request.stream_options?.include_usage === true;
  record.deployment = dispatched.deployment.id;
  record.status = 200;
  res.writeHead(200, { ...SSE_HEADERS, ...servedHeaders(ctx, dispatched.deployment, route) });
  const sse = new SseWriter(res);
  record.ttftMs = performance.now() - record.startedAt;
  let chunk = dispatched.first;
  try {
    for (;;) {
      if (chunk.usage) record.usage = chunk.usage;
      // The upstream is always asked for usage; a client that did not ask never sees the usage-only chunk.
      if (includeUsage || !isUsageOnlyChunk(chunk)) {
        const drained = sse.write(dataFrame(chunk));
        if (drained) await drained;
      }
      const next = await dispatched.rest.next();
      if (next.done) break;
      chunk = next.value;
    }
    sse.write('data: [DONE]\n\n');
  } catch (err) {
    const error = toGatewayError(err);
    record.errorCode = error.code ?? error.kind;
    if (!ctx.signal.aborted) sse.write(dataFrame(openaiErrorBody(error)));
  } finally {
    dispatched.dispose();
    sse.end();
  }
}

function servedHeaders(ctx: RequestContext, deployment: Deployment, route: Route): Record<string, string> {
  return {
    ...routeHeaders(route),
    'x-switchyard-request-id': ctx.requestId,
    'x-switchyard-model': deployment.modelName,
    'x-switchyard-deployment': `${deployment.provider.name}/${deployment.upstreamModel}`,
  };
}

function errorResponse(c: Ctx, runtime: Runtime, ctx: RequestContext, err: unknown): Response {
  const error = toGatewayError(err);
  ctx.record.status = error.status;
  ctx.record.errorCode = error.code ?? error.kind;
  if (error.kind === 'internal') runtime.logger.error({ err: error.cause ?? error, request_id: ctx.requestId }, 'internal error');
  return c.json(openaiErrorBody(error), error.status as 400, { ...error.headers, 'x-switchyard-request-id': ctx.requestId });
}
