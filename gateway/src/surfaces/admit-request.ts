import { planRoute } from '../dispatch/plan-route.js';
import { resilienceStateOf } from '../dispatch/resilience-state.js';
import { admitLimits } from '../limits/admit-limits.js';
import { assertModelAllowed } from '../auth/virtual-keys.js';
import { dropExcluded, excludedModels } from '../routing/exclude-models.js';
import type { Route } from '../routing/resolve-model.js';
import { admitBudget } from '../spend/admit-budget.js';
import { budgetsOf } from '../spend/budget-config.js';
import { chargeeOf } from '../spend/budget-scopes.js';
import type { Runtime } from '../server/runtime.js';
import type { RequestContext } from './request-context.js';

/** What admission needs to know about a request, whatever surface it came through. */
export interface AdmissionInput {
  /** `max_tokens` (or its surface's equivalent) when the client set one. */
  maxTokens?: number;
  /** Estimated input tokens; computed only if admission needs it. */
  estimateInputTokens: () => number;
  /** The request's own end-user id (chat `user`, Messages `metadata.user_id`), for per-user budgets. */
  user?: string;
}

/**
 * The admission stage every surface runs after routing and before anything is sent upstream: rate limits and
 * budget reservations decide here whether the request goes ahead (throwing a GatewayError refuses it) and
 * may narrow the route (a budget past its soft limit downgrades the tier). Returns the route to dispatch.
 * What it reserves is kept on `ctx` so that `settleRequest` can settle or release it.
 */
export async function admitRequest(runtime: Runtime, ctx: RequestContext, route: Route, input: AdmissionInput): Promise<Route> {
  ctx.route = route;
  input = { ...input, estimateInputTokens: once(input.estimateInputTokens) };
  // Issue 7: the key's rate limits refuse (429) before anything is reserved; settleRequest releases what they hold.
  await admitLimits(runtime, ctx, input);
  // Cross-review: models the caller excluded never answer, not even as a fallback (checked before and after planning).
  const excluded = excludedModels(runtime.config, ctx.header);
  route = dropExcluded(route, excluded);
  assertModelAllowed(ctx.principal, route.modelAsked);
  // Issue 7: fallbacks, retry policy and shared cooldowns ride on the route from here to dispatch. The budget
  // prices the same plan, so a route it leaves as it is is planned once.
  let planned: { route: Route; plan: Route } | undefined;
  const plan = (r: Route): Route => {
    if (planned?.route !== r) planned = { route: r, plan: dropExcluded(planRoute(runtime.config, r, resilienceStateOf(runtime), input.estimateInputTokens), excluded) };
    return planned.plan;
  };
  // Budgets first: a soft limit may move the route to a cheaper tier, which resilience then plans for.
  const budget = (budgetsOf(runtime.config.extensions) || ctx.principal?.budgetsUsd) && (await admitBudget(runtime, route, {
    chargee: chargeeOf(ctx.principal, input.user, ctx.header('x-switchyard-user')),
    holdId: ctx.requestId,
    maxTokens: input.maxTokens,
    estimateInputTokens: input.estimateInputTokens,
    candidatesOf: (r) => plan(r).candidates,
  }));
  if (budget) {
    ctx.budget = budget.hold;
    route = budget.route;
  }
  route = plan(route);
  if (budget) budget.hold.route = route;
  ctx.route = route;
  return route;
}

/** Key limits, the budget and context-window fallbacks all read the estimate: it is computed once, if at all. */
function once(estimate: () => number): () => number {
  let tokens: number | undefined;
  return () => (tokens ??= estimate());
}
