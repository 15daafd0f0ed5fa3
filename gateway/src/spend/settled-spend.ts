import { deploymentById } from '../config/deployment-by-id.js';
import type { GatewayConfig } from '../config/types.js';
import type { Usage } from '../core/chat-response.js';
import type { RequestRecord } from '../telemetry/request-log.js';
import type { BudgetHold } from './admit-budget.js';
import { costFromUsage, type Micros } from './compute-cost.js';
import { requestCost } from './request-cost.js';
import { consumedCost } from './settle-budget.js';
import { baselineOf } from './spend-report.js';

/**
 * What a finished request cost, priced once by the settle stage for the budget, the spend report, the metrics
 * and the web console, so that they can never disagree.
 */
export interface SettledSpend {
  /** What it cost (see consumedCost with a budget hold); undefined when neither usage nor a price is known. */
  cost?: Micros;
  /** The same token counts at the savings baseline's prices; undefined without usage or a baseline. */
  baselineCost?: Micros;
}

/** Prices a finished request: with a budget hold as the budget charges it, else at the answering deployment's prices. */
export function settledSpend(config: GatewayConfig, req: { record: RequestRecord; budget?: BudgetHold; streamedItems: number }): SettledSpend {
  const { record, budget } = req;
  const deployment = budget ? undefined : deploymentById(config, record.deployment);
  const cost = budget ? consumedCost(budget, record, req.streamedItems) : deployment && requestCost(deployment, record.usage);
  const baseline = record.usage && baselineOf(config);
  return {
    ...(cost !== undefined ? { cost } : {}),
    // an upstream-reported cost is the served model's, so the baseline is priced from the tokens alone
    ...(baseline ? { baselineCost: costFromUsage(tokensOnly(record.usage!), baseline.prices) } : {}),
  };
}

/** What the baseline would have cost beyond the actual cost, never below zero; 0 when either is unknown. */
export function savingsOf(spend: SettledSpend): Micros {
  return spend.baselineCost === undefined ? 0 : Math.max(0, spend.baselineCost - (spend.cost ?? 0));
}

function tokensOnly(usage: Usage): Usage {
  if (usage.cost === undefined) return usage;
  const { cost: _reported, ...tokens } = usage;
  return tokens as Usage;
}
