import { deploymentById } from '../config/deployment-by-id.js';
import type { Usage } from '../core/chat-response.js';
import type { Runtime } from '../server/runtime.js';
import { countDeploymentTokens } from './deployment-gate.js';
import { admitKeyLimits, settleKeyLimits, type HeldLimits } from './key-limits.js';
import { rateWindowsOf } from './limit-state.js';

/** The parts of a request context the limits read. */
export interface LimitedRequest {
  principal?: { keyId: string };
  record: { usage?: Usage; deployment?: string };
  /** What admission took from the key's windows, for settleLimits to release. */
  limits?: HeldLimits;
}

/** Rate-limit admission of one request (see key-limits.ts); what it holds is released by settleLimits. */
export async function admitLimits(runtime: Runtime, ctx: LimitedRequest, input: { maxTokens?: number; estimateInputTokens: () => number }): Promise<void> {
  const taken = await admitKeyLimits(runtime.config, rateWindowsOf(runtime), ctx.principal?.keyId ?? 'anonymous', input);
  if (taken) ctx.limits = taken;
}

/** Releases the request's concurrency slot and corrects token counts to its usage; never throws. */
export async function settleLimits(runtime: Runtime, ctx: LimitedRequest): Promise<void> {
  const windows = rateWindowsOf(runtime);
  const taken = ctx.limits;
  try {
    if (taken) {
      ctx.limits = undefined;
      await settleKeyLimits(windows, taken, ctx.record.usage);
    }
    const served = deploymentById(runtime.config, ctx.record.deployment);
    if (served?.tpm && ctx.record.usage) await countDeploymentTokens(windows, served, ctx.record.usage.total_tokens);
  } catch (err) {
    runtime.logger.warn({ err }, 'rate-limit settle failed');
  }
}
