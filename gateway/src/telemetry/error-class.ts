import type { Failure } from '../dispatch/classify-failure.js';

/** Classes of upstream failure, the `class` / `outcome` label of the resilience metrics and a span's `error.type`. */
export type UpstreamErrorClass = 'rate_limited' | 'server_error' | 'timeout' | 'connection' | 'bad_response' | 'context_overflow' | 'client_error' | 'aborted' | 'other';

/** Classifies one failed attempt (pure). */
export function upstreamErrorClass(failure: Failure): UpstreamErrorClass {
  if (failure.aborted) return 'aborted';
  if (failure.contextOverflow) return 'context_overflow';
  const { status } = failure;
  const { kind, code } = failure.error;
  if (status === 429 || kind === 'rate_limit') return 'rate_limited';
  if (status === 408 || status === 504 || kind === 'timeout') return 'timeout';
  if (status !== undefined && status >= 500) return 'server_error';
  if (status !== undefined && status >= 400) return 'client_error';
  if (code === 'upstream_connection_error') return 'connection';
  if (code === 'upstream_bad_response' || code === 'upstream_stream_error') return 'bad_response';
  return 'other';
}
