import type { Deployment } from '../config/types.js';

/** What a finished request tells its server span. */
export interface RequestSpanEnd {
  record: import('./request-log.js').RequestRecord;
  deployment?: Deployment;
  route?: import('../routing/resolve-model.js').RouteDecision;
  costUsd?: number;
  downgrade?: string;
}

/**
 * What tracing adds to the request path, installed only when tracing is on (tracing.ts is loaded by dynamic
 * import): with no hooks every call site pays one undefined check.
 */
export interface TraceHooks {
  /** Starts a request's server span, continuing the client's W3C traceparent. */
  startRequest(surface: string, header: (name: string) => string | undefined): unknown;
  /** Runs `fn` with the request span active, so attempt spans become its children. */
  within<T>(span: unknown, fn: () => Promise<T>): Promise<T>;
  /** Runs one upstream attempt inside a client span (so the upstream call carries its traceparent). */
  attempt<T>(deployment: Deployment, retry: number, run: () => Promise<T>): Promise<T>;
  /** A candidate was passed over without an attempt (an event on the request span). */
  skipped(deployment: Deployment, reason: 'cooling' | 'rate_limited'): void;
  /** Upstream headers with the active span's traceparent added (a new object). */
  inject(headers: Record<string, string>): Record<string, string>;
  /** Sets the request span's final attributes and ends it. */
  endRequest(span: unknown, end: RequestSpanEnd): void;
  traceId(span: unknown): string;
}

let hooks: TraceHooks | undefined;

export function setTraceHooks(next: TraceHooks | undefined): void {
  hooks = next;
}

export function traceHooks(): TraceHooks | undefined {
  return hooks;
}
