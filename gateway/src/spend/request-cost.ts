import type { Deployment } from '../config/types.js';
import type { Usage } from '../core/chat-response.js';
import type { BudgetHold } from './admit-budget.js';
import { chargeablePrices, costFromUsage, microsToUsd, type Micros, type UnpricedPolicy } from './compute-cost.js';

const ALLOW: UnpricedPolicy = { kind: 'allow_unpriced' };

/** What a finished request cost, from its usage (upstream-reported cost first); undefined when nothing is known. */
export function requestCost(deployment: Deployment, usage: Usage | undefined, unpriced: UnpricedPolicy = ALLOW): Micros | undefined {
  if (!usage) return undefined;
  const prices = chargeablePrices(deployment, unpriced);
  return prices ? costFromUsage(usage, prices) : undefined;
}

/**
 * Adds the spend headers of a response: `x-switchyard-cost-usd` and `x-litellm-response-cost` when the usage is
 * known before the response is sent (non-streamed answers), and `x-switchyard-budget-downgrade` when a soft
 * budget limit moved the request to a cheaper tier.
 */
export function spendHeaders(ctx: { budget?: BudgetHold; record: { usage?: Usage } }, deployment: Deployment, headers: Record<string, string> = {}): Record<string, string> {
  if (ctx.budget?.downgraded) headers['x-switchyard-budget-downgrade'] = ctx.budget.downgraded;
  const cost = requestCost(deployment, ctx.record.usage, ctx.budget?.unpriced);
  if (cost !== undefined) {
    const usd = microsToUsd(cost);
    headers['x-switchyard-cost-usd'] = usd;
    headers['x-litellm-response-cost'] = usd;
  }
  return headers;
}
