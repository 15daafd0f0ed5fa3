import type { GatewayConfig } from '../config/types.js';
import { routersOf } from '../routing/compile-routers.js';
import type { Route } from '../routing/resolve-model.js';
import { selectDeployments } from '../routing/select-deployments.js';

/**
 * The route one tier cheaper (tiers are listed cheapest first, so premium → standard → cheap), for a budget
 * past its soft threshold. Only routes a router chose can move; the lower tier must fit the request on its own
 * (its deployments are checked for context size and, when the routed model had them, tools and vision).
 * Returns undefined when there is nothing cheaper.
 */
export function downgradeRoute(config: GatewayConfig, route: Route, inputTokens: number): Route | undefined {
  const decision = route.decision;
  if (!decision) return undefined;
  const router = routersOf(config.extensions)?.byName.get(decision.router);
  if (!router) return undefined;
  const names = [...router.tiers.keys()];
  const current = route.candidates[0];
  const needs = { contextTokens: inputTokens, tools: current?.capabilities.tools ?? false, vision: false };
  for (let i = names.indexOf(decision.tier) - 1; i >= 0; i--) {
    const tier = names[i]!;
    const selection = selectDeployments(config, router, tier, needs);
    if (selection.tier !== tier || selection.candidates.length === 0) continue;
    return {
      ...route,
      modelName: selection.candidates[0]!.modelName,
      candidates: selection.candidates,
      decision: { ...decision, tier, reason: `${decision.reason}; budget past its soft limit: ${decision.tier} → ${tier}` },
    };
  }
  return undefined;
}
