import { authenticateRequest } from '../auth/authenticate.js';
import type { Deployment } from '../config/types.js';
import { dispatchComplete, dispatchStream } from '../dispatch/dispatch.js';
import { readJsonBody } from '../http/read-body.js';
import { resolveRoute } from '../routing/resolve-route.js';
import type { Runtime } from '../server/runtime.js';
import type { Route } from '../routing/resolve-model.js';
import { estimateChatTokens } from '../core/estimate-tokens.js';
import { admitRequest } from './admit-request.js';
import { settleRequest } from './settle-request.js';
import { createResponsesStreamTranslator } from '../translate/chat-chunks-to-responses-events.js';
import { chatToResponsesResponse } from '../translate/chat-to-responses-response.js';
import { responseEcho } from '../translate/responses-echo.js';
import { responsesToChatRequest } from '../translate/responses-to-chat-request.js';
import { parseResponsesRequest } from './openai-responses-parse.js';
import { relayResponsesStream } from './openai-responses-stream.js';
import { errorResponse } from './error-response.js';
import { jsonAnswer, type SurfaceHandler } from './json-answer.js';
import { createRequestContext, forwardableHeaders, type RequestContext } from './request-context.js';
import { servedHeaders } from './served-headers.js';

/** `POST /v1/responses` and `/responses` (Codex): Responses in, the internal chat request to any provider, Responses out. */
export function responsesHandler(runtime: Runtime): SurfaceHandler {
  return async (incoming, outgoing) => {
    const ctx = createRequestContext('openai.responses', incoming, outgoing);
    const { record } = ctx;
    const config = runtime.config;
    try {
      ctx.principal = await authenticateRequest(runtime, ctx.header);
      const parsed = parseResponsesRequest(await readJsonBody(incoming, config.server.maxBodyBytes));
      record.modelAsked = parsed.model;
      record.stream = parsed.stream === true;
      const { request, warnings } = responsesToChatRequest(parsed);
      record.request = request;
      const echo = responseEcho(parsed);
      const identity = { id: `resp_${ctx.requestId.replaceAll('-', '')}`, createdAt: Math.floor(Date.now() / 1000) };
      const routed = resolveRoute(config, request, ctx.header);
      const route = await admitRequest(runtime, ctx, routed, { maxTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined, estimateInputTokens: () => estimateChatTokens(request), user: parsed.user ?? undefined });
      const dispatchCtx = { requestId: ctx.requestId, signal: ctx.signal, forwardHeaders: forwardableHeaders(incoming), record };

      if (request.stream) {
        const dispatched = await dispatchStream(route, request, dispatchCtx);
        const translator = createResponsesStreamTranslator(echo, identity);
        await relayResponsesStream(outgoing, dispatched, translator, ctx, responsesHeaders(ctx, route, dispatched.deployment, warnings));
        return undefined;
      }
      const { deployment, result } = await dispatchComplete(route, request, dispatchCtx);
      record.deployment = deployment.id;
      record.usage = result.completion.usage;
      record.status = 200;
      return jsonAnswer(JSON.stringify(chatToResponsesResponse(result.completion, echo, identity)), responsesHeaders(ctx, route, deployment, warnings));
    } catch (err) {
      return errorResponse(runtime, ctx, err);
    } finally {
      await settleRequest(runtime, ctx);
    }
  };
}

/** The served headers, with a warning for what the upstream cannot do. */
function responsesHeaders(ctx: RequestContext, route: Route, deployment: Deployment, warnings: string[]): Record<string, string> {
  const headers = servedHeaders(ctx, route, deployment);
  if (warnings.length > 0) headers['x-switchyard-warning'] = warnings.join('; ');
  return headers;
}
