import { GatewayCallError } from './gateway-error.js';

const MAX_WAIT_MS = 30_000;

/** How long to wait before attempt `attempt + 1`: the gateway's `retry-after` (capped), else 0.5 s doubling. */
export function retryDelayMs(error: GatewayCallError, attempt: number): number {
  const after = error.details.retryAfterS;
  if (after !== undefined) return Math.min(after * 1000, MAX_WAIT_MS);
  return Math.min(500 * 2 ** attempt, MAX_WAIT_MS);
}

/**
 * Runs `attempt` again, up to `retries` times, only for failures the gateway marks retryable (its own retries and
 * fallbacks already ran); a budget refusal or any other error is thrown at once.
 */
export async function callWithRetries<T>(retries: number, attempt: () => Promise<T>, onRetry?: (error: GatewayCallError, waitMs: number) => void, signal?: AbortSignal): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof GatewayCallError) || !err.details.retryable || err.budgetExceeded || n >= retries || signal?.aborted) throw err;
      const wait = retryDelayMs(err, n);
      onRetry?.(err, wait);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
