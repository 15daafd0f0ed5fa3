import { authenticateRequest } from '../auth/authenticate.js';
import type { Deployment } from '../config/types.js';
import type { ChatRequest } from '../core/chat-schema.js';
import type { ChatChunk } from '../core/chat-response.js';
import { openaiErrorBody } from '../core/errors.js';
import { estimateChatTokens } from '../core/estimate-tokens.js';
import { isPlainDelta, isUsageOnlyChunk } from '../core/stream-chunk.js';
import { dispatchComplete, dispatchStream } from '../dispatch/dispatch.js';
import { readJsonText } from '../http/read-body.js';
import { resolveRoute } from '../routing/resolve-route.js';
import type { Runtime } from '../server/runtime.js';
import { relayStream, type StreamEncoding } from '../sse/relay-stream.js';
import { dataFrame } from '../sse/write-sse.js';
import { parseChatRequest } from './parse-chat-request.js';
import { admitRequest } from './admit-request.js';
import { spendHeaders } from '../spend/request-cost.js';
import { settleRequest } from './settle-request.js';
import { errorResponse } from './error-response.js';
import { jsonAnswer, type SurfaceHandler } from './json-answer.js';
import { createRequestContext, forwardableHeaders, type RequestContext } from './request-context.js';
import { servedHeaders } from './served-headers.js';

/** `POST /v1/chat/completions` and `/chat/completions`. */
export function chatCompletionsHandler(runtime: Runtime): SurfaceHandler {
  return async (incoming, outgoing) => {
    const ctx = createRequestContext('openai.chat', incoming, outgoing);
    const { record } = ctx;
    const config = runtime.config;
    try {
      ctx.principal = await authenticateRequest(runtime, ctx.header);
      const body = await readJsonText(incoming, config.server.maxBodyBytes);
      const request = parseChatRequest(body.value);
      record.modelAsked = request.model;
      record.stream = request.stream === true;
      record.request = request;
      const routed = resolveRoute(config, request, ctx.header);
      const route = await admitRequest(runtime, ctx, routed, { maxTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined, estimateInputTokens: () => estimateChatTokens(request), user: request.user ?? undefined });
      // The upstream body is spliced from the client's text (encode-request.ts): nothing here edits `request`.
      const dispatchCtx = { requestId: ctx.requestId, signal: ctx.signal, forwardHeaders: forwardableHeaders(incoming), record, sourceText: body.text, sourceBytes: body.bytes };

      if (request.stream) {
        const dispatched = await dispatchStream(route, request, dispatchCtx);
        await relayStream(outgoing, dispatched, ctx, servedHeaders(ctx, route, dispatched.deployment), chatEncoding(request, ctx, dispatched.deployment));
        return undefined;
      }
      const { deployment, result } = await dispatchComplete(route, request, dispatchCtx);
      record.deployment = deployment.id;
      record.usage = result.completion.usage;
      record.status = 200;
      return jsonAnswer(result.raw ?? JSON.stringify(result.completion), servedHeaders(ctx, route, deployment));
    } catch (err) {
      return errorResponse(runtime, ctx, err);
    } finally {
      await settleRequest(runtime, ctx);
    }
  };
}

/** OpenAI's stream framing; the upstream is always asked for usage, but only a client that asked sees the usage chunk. */
function chatEncoding(request: ChatRequest, ctx: RequestContext, deployment: Deployment): StreamEncoding<ChatChunk> {
  const includeUsage = request.stream_options?.include_usage === true;
  return {
    item(chunk) {
      if (isPlainDelta(chunk)) return dataFrame(chunk); // the common chunk: no usage, never usage-only
      if (chunk.usage) ctx.record.usage = chunk.usage;
      return includeUsage || !isUsageOnlyChunk(chunk) ? dataFrame(chunk) : '';
    },
    end: () => 'data: [DONE]\n\n',
    error: (error) => dataFrame(openaiErrorBody(error)),
    // A stream's cost is known only after its usage chunk, so it follows as a trailer (read by the pipeline).
    trailers: { names: COST_HEADERS, values: () => pick(spendHeaders(ctx, deployment), COST_HEADERS) },
  };
}

const COST_HEADERS = ['x-switchyard-cost-usd', 'x-litellm-response-cost'] as const;

function pick(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) if (headers[name] !== undefined) out[name] = headers[name];
  return out;
}

