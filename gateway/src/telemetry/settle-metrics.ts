import { deploymentById } from '../config/deployment-by-id.js';
import type { GatewayConfig } from '../config/types.js';
import { routersOf } from '../routing/compile-routers.js';
import type { Route } from '../routing/resolve-model.js';
import type { BudgetHold } from '../spend/admit-budget.js';
import { savingsOf, type SettledSpend } from '../spend/settled-spend.js';
import type { Principal } from '../auth/authenticate.js';
import { bounded, modelOf, recordRequestMetrics, type SettledLabels } from './metrics.js';
import type { RequestRecord } from './request-log.js';
import { traceHooks } from './trace-hooks.js';

/** What the settle stage hands to metrics: the request's record and what routing, auth and budgets decided. */
export interface SettledRequest {
  record: RequestRecord;
  principal?: Principal;
  route?: Route;
  budget?: BudgetHold;
  streamedItems: number;
}

/** Records a finished request's metrics: traffic, latency, spend and savings, routing decision, downgrade. */
export function recordSettledRequest(config: GatewayConfig, req: SettledRequest, spend: SettledSpend): void {
  const labels = settledLabels(config, req, spend);
  recordRequestMetrics(req.record, labels);
  const { span } = req.record;
  if (span) {
    const deployment = deploymentById(config, req.record.deployment);
    traceHooks()?.endRequest(span, {
      record: req.record,
      ...(deployment ? { deployment } : {}),
      ...(req.route?.decision ? { route: req.route.decision } : {}),
      ...(labels.costUsd !== undefined ? { costUsd: labels.costUsd } : {}),
      ...(req.budget?.downgraded ? { downgrade: req.budget.downgraded } : {}),
    });
  }
}

/** The bounded label values and amounts of a finished request (pure apart from the label bounds). */
export function settledLabels(config: GatewayConfig, req: SettledRequest, spend: SettledSpend): SettledLabels {
  const { record, principal, route, budget } = req;
  const deployment = deploymentById(config, record.deployment);
  const decision = route?.decision;
  const tier = decision?.tier ?? deployment?.tier ?? 'none';
  const labels: SettledLabels = {
    model: deployment?.modelName ?? modelOf(record.deployment),
    tier,
    team: principal?.team ? bounded('team', principal.team) : 'none',
    key: keyLabel(principal),
  };
  if (deployment && (record.usage || record.aborted) && spend.cost !== undefined) {
    labels.costUsd = spend.cost / 1e6;
    if (spend.baselineCost !== undefined) labels.savingsUsd = savingsOf(spend) / 1e6;
  }
  if (decision) {
    const order = routersOf(config.extensions)?.byName.get(decision.router)?.tiers.get(decision.tier)?.order;
    labels.decision = { router: decision.router, rule: bounded('rule', decision.ruleId), tier, yolo: order === 'fastest', client: decision.client ?? 'unknown' };
    const moved = budget?.downgraded?.split('->');
    if (moved?.length === 2) labels.downgrade = { router: decision.router, from: moved[0]!, to: moved[1]! };
  }
  return labels;
}

/** A key's alias (operator-chosen), `master` / `anonymous`, or `unnamed` for a virtual key without one. */
function keyLabel(principal: Principal | undefined): string {
  if (!principal) return 'anonymous';
  if (principal.alias) return bounded('key', principal.alias);
  return principal.keyId === 'master' || principal.keyId === 'anonymous' ? principal.keyId : 'unnamed';
}

