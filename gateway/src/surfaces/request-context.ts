import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/authenticate.js';
import { GatewayError } from '../core/errors.js';
import type { HeldLimits } from '../limits/key-limits.js';
import type { BudgetHold } from '../spend/admit-budget.js';
import type { Route } from '../routing/resolve-model.js';
import { trackRequest, untrackRequest } from '../telemetry/live-requests.js';
import { traceHooks } from '../telemetry/trace-hooks.js';
import { startRecord, type RequestRecord } from '../telemetry/request-log.js';
import { RequestSignal, type AbortSignalLike } from '../core/request-signal.js';

/** Per-request plumbing every surface needs: an id, a log record and an abort signal tied to the client socket. */
export interface RequestContext {
  requestId: string;
  record: RequestRecord;
  /** Aborted when the client disconnects before the response is complete. */
  signal: AbortSignalLike;
  header: (name: string) => string | undefined;
  /** Who is calling; set by the auth stage. */
  principal?: Principal;
  /** What admission reserved against budgets; settled when the request ends. */
  budget?: BudgetHold;
  /** What admission took from the key's rate windows; released when the request ends. */
  limits?: HeldLimits;
  /** The route admission settled on (after any budget downgrade), for metrics, traces and the web console; set as soon as admission starts, so a refused request has it too. */
  route?: Route;
  /** Stream items relayed so far: the output estimate for a client that leaves before the usage arrives. */
  streamedItems: number;
}

export function createRequestContext(surface: string, incoming: IncomingMessage, outgoing: ServerResponse): RequestContext {
  const requestId = randomUUID();
  const record = startRecord(requestId, surface);
  const signal = new RequestSignal();
  trackRequest(record);
  // a response closes once: `on` spares the wrapper `once` builds per request
  outgoing.on('close', () => {
    untrackRequest(record);
    if (outgoing.writableFinished) return;
    record.aborted = true;
    signal.abort(new GatewayError('upstream', 'Client disconnected', { code: 'aborted', retryable: false }));
  });
  const header = (name: string) => {
    const value = incoming.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const tracing = traceHooks();
  if (tracing) record.span = tracing.startRequest(surface, header);
  return { requestId, record, signal, header, streamedItems: 0 };
}

/** Client headers an upstream may need (Anthropic betas, the caller's user agent), never credentials. */
export function forwardableHeaders(incoming: IncomingMessage): Record<string, string> | undefined {
  const beta = incoming.headers['anthropic-beta'];
  return typeof beta === 'string' ? { 'anthropic-beta': beta } : undefined;
}
