import type { Deployment, GatewayConfig } from '../config/types.js';
import { routersOf } from '../routing/compile-routers.js';
import type { Route } from '../routing/resolve-model.js';
import { resiliencePolicyOf } from './compile-resilience.js';
import type { ResiliencePolicy } from './resilience-policy.js';
import type { CooldownState } from './cooldowns.js';
import type { DeploymentGate, DispatchRoute } from './try-candidates.js';

/** The shared state dispatch consults: cooldowns and per-deployment limits. */
export interface ResilienceState {
  cooldowns: CooldownState;
  gate?: DeploymentGate;
}

/**
 * The route dispatch will walk: its candidates, then the configured fallback groups (and the next router tier
 * when `tier_fallback` is on), with the policy and shared state attached. A prompt estimated past a
 * candidate's window goes to the larger-window fallbacks first.
 */
export function planRoute(config: GatewayConfig, route: Route, state: ResilienceState, estimateInputTokens?: () => number): DispatchRoute {
  const policy = resiliencePolicyOf(config);
  const contextFallbacks = deploymentsOf(config, policy.contextWindowFallbacks.get(route.modelName));
  let candidates = withFallbacks(config, policy, route);
  if (contextFallbacks.length > 0 && estimateInputTokens) {
    const tokens = estimateInputTokens();
    const fits = (d: Deployment) => d.contextWindow === undefined || d.contextWindow >= tokens;
    if (!candidates.every(fits)) {
      const fitting = unique([...candidates.filter(fits), ...contextFallbacks.filter(fits)]);
      if (fitting.length > 0) candidates = fitting;
    }
  }
  return { ...route, candidates, resilience: { policy, cooldowns: state.cooldowns, ...(state.gate ? { gate: state.gate } : {}), contextFallbacks } };
}

function withFallbacks(config: GatewayConfig, policy: ResiliencePolicy, route: Route): readonly Deployment[] {
  const groups = policy.fallbacks.get(route.modelName);
  const nextTier = policy.tierFallback ? nextTierModels(config, route) : undefined;
  if (!groups && !nextTier) return route.candidates;
  return unique([...route.candidates, ...deploymentsOf(config, groups), ...deploymentsOf(config, nextTier)]);
}

/** The models of the tier after the route's (config order), for a routed request. */
function nextTierModels(config: GatewayConfig, route: Route): readonly string[] | undefined {
  if (!route.decision) return undefined;
  const router = routersOf(config.extensions)?.byName.get(route.decision.router);
  if (!router) return undefined;
  const names = [...router.tiers.keys()];
  const next = names[names.indexOf(route.decision.tier) + 1];
  return next === undefined ? undefined : router.tiers.get(next)!.models;
}

function deploymentsOf(config: GatewayConfig, names: readonly string[] | undefined): Deployment[] {
  if (!names) return [];
  return names.flatMap((name) => config.models.get(config.aliases.get(name) ?? name) ?? []);
}

function unique(list: readonly Deployment[]): Deployment[] {
  const seen = new Set<string>();
  return list.filter((d) => !seen.has(d.id) && seen.add(d.id));
}
