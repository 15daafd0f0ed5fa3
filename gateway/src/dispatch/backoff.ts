import type { AbortSignalLike } from '../core/request-signal.js';

/** How long to wait between attempts. */
export interface BackoffPolicy {
  /** First backoff ceiling in ms; doubles per retry. */
  baseDelayMs: number;
  /** Ceiling for the exponential backoff. */
  maxDelayMs: number;
  /** The longest `retry-after` honoured by waiting; longer asks move on to another deployment instead. */
  maxRetryAfterMs: number;
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base·2^retry)). `retry` counts from 0. */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * The wait before retrying the same deployment, or undefined when it should not be retried: the upstream asked
 * for longer than the cap, or the wait would pass the request's deadline.
 */
export function retryDelay(retry: number, retryAfterMs: number | undefined, policy: BackoffPolicy, msLeft: number, random: () => number = Math.random): number | undefined {
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) return undefined;
  const delay = retryAfterMs ?? backoffDelay(retry, policy, random);
  return delay < msLeft ? delay : undefined;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: AbortSignalLike): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
