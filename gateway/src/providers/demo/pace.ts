import type { AbortSignalLike } from '../../core/request-signal.js';
import { sleep } from '../../dispatch/backoff.js';
import { connectionError } from '../http-client.js';
import type { DemoModelSpec } from './catalog.js';

/** Longest a non-streamed demo answer waits, however slow the model's profile. */
export const NON_STREAM_CAP_MS = 3_000;

/**
 * Delay multiplier from `SWITCHYARD_DEMO_SPEED`: 1 (default) plays the latency profiles as written, 0.5 halves
 * every wait, 0 removes them (tests). Anything unparsable or negative counts as 1.
 */
export function delayScaleFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SWITCHYARD_DEMO_SPEED;
  if (raw === undefined || raw.trim() === '') return 1;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : 1;
}

/** How long a non-streamed answer of `tokens` output tokens takes: time to first token plus generation, capped. */
export function completionDelayMs(spec: DemoModelSpec, tokens: number): number {
  return Math.min(spec.ttftMs + (tokens / spec.tokensPerSecond) * 1000, NON_STREAM_CAP_MS);
}

/** How long generating `tokens` tokens takes at the model's speed. */
export function generationDelayMs(spec: DemoModelSpec, tokens: number): number {
  return (tokens / spec.tokensPerSecond) * 1000;
}

/** Waits `ms`, rejecting with a GatewayError as soon as the signal aborts; no timer outlives the wait. */
export async function waitFor(ms: number, signal: AbortSignalLike): Promise<void> {
  if (signal.aborted) throw connectionError(signal.reason, signal);
  if (ms <= 0) return;
  try {
    await sleep(ms, signal);
  } catch (err) {
    throw connectionError(err, signal);
  }
}
