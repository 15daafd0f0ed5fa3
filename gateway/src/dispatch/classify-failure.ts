import { GatewayError, isRetryableStatus } from '../core/errors.js';

/** What the dispatcher needs to know about one failed attempt, decided once (STYLE §5). */
export interface Failure {
  error: GatewayError;
  /** Worth another attempt (here or on another deployment). */
  retryable: boolean;
  /** The prompt did not fit the model's context window: only a larger window can help. */
  contextOverflow: boolean;
  /** The client went away: stop everything. */
  aborted: boolean;
  /** Upstream status, when the failure was an HTTP answer. */
  status?: number;
  /** What the upstream asked us to wait (`retry-after-ms`, `retry-after` seconds or date), in ms. */
  retryAfterMs?: number;
}

// Compiled once: upstreams phrase context overflow in many ways, all on a 400/413.
const CONTEXT_OVERFLOW = /context[ _-]?(length|window)|maximum context|too many tokens|prompt is too long|input is too long|reduce the length/i;

/** Classifies a thrown value from one upstream attempt. */
export function classifyFailure(err: unknown, now: number = Date.now()): Failure {
  const error = err instanceof GatewayError ? err : new GatewayError('upstream', 'Upstream failed', { cause: err });
  const aborted = error.code === 'aborted';
  const status = error.code === 'upstream_error' ? error.status : undefined;
  const contextOverflow = (status === 400 || status === 413) && CONTEXT_OVERFLOW.test(error.message);
  let retryable: boolean;
  if (aborted) retryable = false;
  else if (status !== undefined) retryable = isRetryableStatus(status);
  else retryable = error.retryable;
  const retryAfterMs = parseRetryAfter(error.headers, now);
  return { error, retryable, contextOverflow, aborted, ...(status !== undefined ? { status } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** `retry-after-ms` (ms), else `retry-after` as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(headers: Readonly<Record<string, string>>, now: number = Date.now()): number | undefined {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined) {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  const value = headers['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
