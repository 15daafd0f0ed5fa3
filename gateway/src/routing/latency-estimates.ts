/**
 * Per-deployment moving estimates of time to first token and output speed, fed from live traffic, read by
 * `order: fastest` (yolo mode). One instance per process; estimates are in memory only.
 */

/** Weight of the newest observation in the moving averages. */
const ALPHA = 0.2;
/** Output tokens assumed when ranking by expected time to a typical answer. */
const TYPICAL_OUTPUT_TOKENS = 300;
/** Before any observation a deployment ranks as if moderately fast, so it gets tried early and measured. */
const UNMEASURED_MS = 1000;

interface Estimate {
  ttftMs: number;
  tokensPerSecond: number;
  samples: number;
}

export class LatencyEstimates {
  private readonly estimates = new Map<string, Estimate>();

  /** Records one finished request: time to first token and output tokens over the generation time. */
  observe(deploymentId: string, ttftMs: number, outputTokens: number, totalMs: number): void {
    const genSeconds = Math.max(0.001, (totalMs - ttftMs) / 1000);
    const tps = outputTokens > 0 ? outputTokens / genSeconds : undefined;
    const e = this.estimates.get(deploymentId);
    if (!e) {
      this.estimates.set(deploymentId, { ttftMs, tokensPerSecond: tps ?? 0, samples: 1 });
      return;
    }
    e.ttftMs += ALPHA * (ttftMs - e.ttftMs);
    if (tps !== undefined) e.tokensPerSecond = e.tokensPerSecond === 0 ? tps : e.tokensPerSecond + ALPHA * (tps - e.tokensPerSecond);
    e.samples++;
  }

  /** Expected milliseconds to a typical answer. */
  expectedMs(deploymentId: string): number {
    const e = this.estimates.get(deploymentId);
    if (!e) return UNMEASURED_MS;
    const gen = e.tokensPerSecond > 0 ? (TYPICAL_OUTPUT_TOKENS / e.tokensPerSecond) * 1000 : 0;
    return e.ttftMs + gen;
  }

  /** The current estimates, for explain and metrics. */
  snapshot(): Record<string, { ttft_ms: number; tokens_per_second: number; samples: number }> {
    const out: Record<string, { ttft_ms: number; tokens_per_second: number; samples: number }> = {};
    for (const [id, e] of this.estimates) out[id] = { ttft_ms: Math.round(e.ttftMs), tokens_per_second: Math.round(e.tokensPerSecond), samples: e.samples };
    return out;
  }
}

/** The process-wide estimates the request path reads and feeds. */
export const latencyEstimates = new LatencyEstimates();

/** Feeds a finished request's timings into the estimates (successful requests only). */
export function observeRequest(record: { deployment?: string; status?: number; startedAt: number; ttftMs?: number; usage?: { completion_tokens?: number }; aborted?: boolean }): void {
  if (record.status !== 200 || !record.deployment || record.aborted) return;
  const totalMs = performance.now() - record.startedAt;
  // A non-streamed answer has no first-token time: its total counts as the wait, with no speed measured.
  if (record.ttftMs === undefined) latencyEstimates.observe(record.deployment, totalMs, 0, totalMs);
  else latencyEstimates.observe(record.deployment, record.ttftMs, record.usage?.completion_tokens ?? 0, totalMs);
}
