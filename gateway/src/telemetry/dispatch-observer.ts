import type { Deployment } from '../config/types.js';
import type { Failure } from '../dispatch/classify-failure.js';
import { upstreamErrorClass } from './error-class.js';
import { recordAttempt, recordCooling, recordFallback, recordRetry, recordSkip } from './metrics.js';
import { traceHooks } from './trace-hooks.js';

/**
 * The dispatcher's telemetry in one place: metrics for attempts, retries, fallbacks, skips and cooldowns, and
 * (when tracing is on) a client span per attempt. try-candidates.ts calls these and nothing else.
 */

/** Runs one attempt, inside a span when tracing is on. */
export function runAttempt<T>(deployment: Deployment, retry: number, run: () => Promise<T>): Promise<T> {
  const hooks = traceHooks();
  return hooks ? hooks.attempt(deployment, retry, run) : run();
}

export function attemptSucceeded(deployment: Deployment): void {
  recordAttempt(deployment.modelName, deployment.id, 'ok');
}

/** Records a failed attempt; returns its class for the retry / fallback that may follow. */
export function attemptFailed(deployment: Deployment, failure: Failure): string {
  const cls = upstreamErrorClass(failure);
  recordAttempt(deployment.modelName, deployment.id, cls);
  return cls;
}

export function retrying(deployment: Deployment, cls: string): void {
  recordRetry(deployment.id, cls);
}

export function fellBack(deployment: Deployment, cls: string): void {
  recordFallback(deployment.id, cls);
}

export function skipped(deployment: Deployment, reason: 'cooling' | 'rate_limited', coolingUntilMs?: number): void {
  recordSkip(deployment.id, reason);
  if (coolingUntilMs !== undefined) recordCooling(deployment.modelName, deployment.id, coolingUntilMs, false);
  traceHooks()?.skipped(deployment, reason);
}

export function cooldownStarted(deployment: Deployment, untilMs: number): void {
  recordCooling(deployment.modelName, deployment.id, untilMs, true);
}
