import type { GatewayError } from '../core/errors.js';

/** The statuses Anthropic clients know (docs.claude.com/en/api/errors). */
const ANTHROPIC_STATUSES = new Set([400, 401, 403, 404, 413, 429, 500, 529]);

/**
 * The status and `error.type` an Anthropic client expects for a gateway error. Statuses outside Anthropic's set
 * are folded in: "no deployment can take it now" (503) and upstream overload are 529 overloaded_error, which
 * Claude Code retries; other upstream and timeout failures are 500 api_error; other 4xx are 400.
 */
export function anthropicStatusOf(err: GatewayError): { status: number; type: string } {
  if (err.kind === 'unavailable' || err.kind === 'overloaded') return { status: 529, type: 'overloaded_error' };
  if (ANTHROPIC_STATUSES.has(err.status)) return { status: err.status, type: err.anthropicType };
  if (err.status >= 500 || err.kind === 'timeout') return { status: 500, type: 'api_error' };
  return { status: 400, type: err.anthropicType === 'api_error' ? 'invalid_request_error' : err.anthropicType };
}

/** `{type:"error",error:{type,message},request_id}` with its status. */
export function anthropicErrorResponse(err: GatewayError, requestId: string): { status: number; body: { type: 'error'; error: { type: string; message: string }; request_id: string } } {
  const { status, type } = anthropicStatusOf(err);
  return { status, body: { type: 'error', error: { type, message: err.message }, request_id: requestId } };
}

/** The in-stream error event payload. */
export function anthropicErrorEvent(err: GatewayError): { type: 'error'; error: { type: string; message: string } } {
  return { type: 'error', error: { type: anthropicStatusOf(err).type, message: err.message } };
}
