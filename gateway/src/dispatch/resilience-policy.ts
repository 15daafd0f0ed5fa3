import type { BackoffPolicy } from './backoff.js';

/** Failure classes that may get their own retry count (LiteLLM's `retry_policy`). */
export type RetryClass = 'rate_limit' | 'timeout' | 'server' | 'connection';

export interface CooldownPolicy {
  /** Failures within `windowMs` that put a deployment in cooldown. */
  failures: number;
  windowMs: number;
  cooldownMs: number;
  /** A 429 asking to wait at least this long cools the deployment at once, for that long. */
  longRetryAfterMs: number;
  /** When every candidate is cooling down: wait for the first to come back if it is within this bound. */
  waitMs: number;
}

/** The compiled resilience settings of a config (native `resilience:` and LiteLLM router settings). */
export interface ResiliencePolicy extends BackoffPolicy {
  /**
   * Retries on the same deployment after its first attempt. The seed semantics ("on 429 or 5xx try the next
   * model, one retry with backoff each") are the default 0: each fallback step is that one retry, after a backoff.
   */
  retries: number;
  retriesByClass: Partial<Record<RetryClass, number>>;
  /** The whole request (all attempts and waits) must finish within this many ms. */
  deadlineMs: number;
  /** Model group → the model groups to try next, in order. */
  fallbacks: ReadonlyMap<string, readonly string[]>;
  /** Model group → groups with larger windows, used when the prompt does not fit. */
  contextWindowFallbacks: ReadonlyMap<string, readonly string[]>;
  /** A router's tier falls back to the next tier (config order) once its own models failed. */
  tierFallback: boolean;
  cooldown: CooldownPolicy;
}

export const DEFAULT_POLICY: ResiliencePolicy = Object.freeze({
  retries: 0,
  retriesByClass: {},
  baseDelayMs: 200,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 10_000,
  deadlineMs: 600_000,
  fallbacks: new Map(),
  contextWindowFallbacks: new Map(),
  tierFallback: false,
  cooldown: { failures: 3, windowMs: 60_000, cooldownMs: 30_000, longRetryAfterMs: 30_000, waitMs: 0 },
});

/** How many retries a failure gets on the same deployment. */
export function retriesFor(policy: ResiliencePolicy, cls: RetryClass | undefined): number {
  return (cls && policy.retriesByClass[cls]) ?? policy.retries;
}

/** The retry class of a failure's status (undefined status: a connection error or a timeout by code). */
export function retryClassOf(status: number | undefined, kind: string): RetryClass | undefined {
  if (status === 429) return 'rate_limit';
  if (status === 408 || kind === 'timeout') return 'timeout';
  if (status !== undefined && status >= 500) return 'server';
  if (status === undefined) return 'connection';
  return undefined;
}
