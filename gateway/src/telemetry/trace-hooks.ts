import type { Deployment } from '../config/types.js';

/**
 * What tracing adds to dispatch, installed only when tracing is on (see tracing.ts, loaded by dynamic import):
 * with no hooks the request path pays one undefined check per attempt.
 */
export interface TraceHooks {
  /** Runs one upstream attempt inside a client span (so the upstream call carries its traceparent). */
  attempt<T>(deployment: Deployment, retry: number, run: () => Promise<T>): Promise<T>;
  /** A candidate was passed over without an attempt. */
  skipped(deployment: Deployment, reason: 'cooling' | 'rate_limited'): void;
}

let hooks: TraceHooks | undefined;

export function setTraceHooks(next: TraceHooks | undefined): void {
  hooks = next;
}

export function traceHooks(): TraceHooks | undefined {
  return hooks;
}
