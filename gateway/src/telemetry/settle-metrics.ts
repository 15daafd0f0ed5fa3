import type { Deployment, GatewayConfig } from '../config/types.js';
import type { Usage } from '../core/chat-response.js';
import { routersOf } from '../routing/compile-routers.js';
import type { Route } from '../routing/resolve-model.js';
import type { BudgetHold } from '../spend/admit-budget.js';
import { costFromUsage } from '../spend/compute-cost.js';
import { requestCost } from '../spend/request-cost.js';
import { consumedCost } from '../spend/settle-budget.js';
import { baselineOf } from '../spend/spend-report.js';
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
export function recordSettledRequest(config: GatewayConfig, req: SettledRequest): void {
  const labels = settledLabels(config, req);
  recordRequestMetrics(req.record, labels);
  const { span } = req.record;
  if (span) {
    const deployment = req.record.deployment === undefined ? undefined : deploymentById(config, req.record.deployment);
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
export function settledLabels(config: GatewayConfig, req: SettledRequest): SettledLabels {
  const { record, principal, route, budget } = req;
  const deployment = record.deployment === undefined ? undefined : deploymentById(config, record.deployment);
  const decision = route?.decision;
  const tier = decision?.tier ?? deployment?.tier ?? 'none';
  const labels: SettledLabels = {
    model: deployment?.modelName ?? modelOf(record.deployment),
    tier,
    team: principal?.team ? bounded('team', principal.team) : 'none',
    key: keyLabel(principal),
  };
  if (deployment && (record.usage || record.aborted)) {
    const micros = budget ? consumedCost(budget, record, req.streamedItems) : requestCost(deployment, record.usage);
    if (micros !== undefined) {
      labels.costUsd = micros / 1e6;
      const baseline = record.usage && baselineOf(config);
      if (baseline) labels.savingsUsd = Math.max(0, costFromUsage(withoutReportedCost(record.usage!), baseline.prices) - micros) / 1e6;
    }
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

/** The baseline is priced from tokens: an upstream-reported cost belongs to the model that served. */
function withoutReportedCost(usage: Usage): Usage {
  if (usage.cost === undefined) return usage;
  const { cost: _reported, ...tokens } = usage;
  return tokens as Usage;
}

export function deploymentById(config: GatewayConfig, id: string): Deployment | undefined {
  return config.models.get(modelOf(id))?.find((d) => d.id === id);
}
