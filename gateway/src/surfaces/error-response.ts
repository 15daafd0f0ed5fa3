import { openaiErrorBody, toGatewayError, type GatewayError } from '../core/errors.js';
import type { Runtime } from '../server/runtime.js';
import { jsonAnswer, type JsonAnswer } from './json-answer.js';
import type { RequestContext } from './request-context.js';

/** A surface's rendering of an error: its status, body and any headers of its own. */
export type ErrorRendering = { status: number; body: unknown; headers?: Record<string, string> };

/** OpenAI's `{error:{message,type,code,param}}` with the error's own status. */
export const renderOpenAIError = (error: GatewayError): ErrorRendering => ({ status: error.status, body: openaiErrorBody(error) });

/**
 * Records a failed request and answers it in the surface's error shape. Internal errors are logged with their
 * cause; the client only ever sees the error's message, never a stack or a driver's text.
 */
export function errorResponse(runtime: Runtime, ctx: RequestContext, err: unknown, render: (error: GatewayError) => ErrorRendering = renderOpenAIError): JsonAnswer {
  const error = toGatewayError(err);
  const { status, body, headers } = render(error);
  ctx.record.status = status;
  ctx.record.errorCode = error.code ?? error.kind;
  if (error.kind === 'internal') runtime.logger.error({ err: error.cause ?? error, request_id: ctx.requestId }, 'internal error');
  // `x-should-retry` tells clients (the OpenAI and Anthropic SDKs, the pipeline) whether trying again can help.
  return jsonAnswer(JSON.stringify(body), { 'x-should-retry': String(error.retryable), ...error.headers, ...headers, 'x-switchyard-request-id': ctx.requestId }, status);
}
