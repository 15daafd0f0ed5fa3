import type { Deployment, ModelPrices } from '../config/types.js';
import { GatewayError } from '../core/errors.js';
import type { Route } from '../routing/resolve-model.js';
import type { Runtime } from '../server/runtime.js';
import type { CounterRef } from '../store/types.js';
import { checkAlerts } from './budget-alerts.js';
import { budgetsOf, NO_BUDGETS } from './budget-config.js';
import { applicableLimits, type AppliedLimit, type Chargee } from './budget-scopes.js';
import { chargeablePrices, microsToUsd, worstCaseCost, type Micros, type UnpricedPolicy } from './compute-cost.js';
import { downgradeRoute } from './downgrade-route.js';
import { noteStoreCall, storeOf } from './runtime-store.js';
import { recordBudgetRefusal } from '../telemetry/metrics.js';

/** What a request holds against its budgets between admission and settlement. */
export interface BudgetHold {
  applied: AppliedLimit[];
  counters: CounterRef[];
  reserved: Micros;
  chargee: Chargee;
  unpriced: UnpricedPolicy;
  inputTokens: number;
  /** The route dispatched (after any downgrade), to price the deployment that actually answered. */
  route: Route;
  /** `premium->standard` when a soft limit downgraded the tier. */
  downgraded?: string;
}

export interface BudgetRequest {
  chargee: Chargee;
  /** Names the reservation (the request id, which settles it): a shared store leases it. */
  holdId?: string;
  maxTokens?: number;
  estimateInputTokens: () => number;
  /** Every deployment dispatch may try for a route, fallbacks included (default: the route's own candidates). */
  candidatesOf?: (route: Route) => readonly Deployment[];
}

// Without max_tokens and a known model maximum, the output allowance reserved up front.
const DEFAULT_OUTPUT_ALLOWANCE = 4096;
/**
 * The reservation is an upper bound on the bill, not a guess at it: token estimates (tokenx) undercount code,
 * numbers and non-Latin text by up to about a fifth, so the input side is reserved with a margin, at the
 * dearer of the input and cache-write prices (a prompt written to the cache bills at the latter).
 */
const ESTIMATE_MARGIN = 1.25;

/** The most a request can cost: margined input at its dearest price plus every allowed output token. */
export function reservationCost(inputTokens: number, maxOutputTokens: number, prices: ModelPrices): Micros {
  const input = Math.max(prices.input ?? 0, prices.cacheWrite ?? 0);
  return worstCaseCost(Math.ceil(inputTokens * ESTIMATE_MARGIN), maxOutputTokens, { ...prices, input });
}

/**
 * The most the request can cost on any deployment that may answer it: a fallback dearer than the first choice
 * bills at its own prices. Deployments without a chargeable price are left out (the first one is checked).
 */
function worstOverCandidates(candidates: readonly Deployment[], inputTokens: number, maxTokens: number | undefined, unpriced: UnpricedPolicy): Micros {
  let worst = 0;
  for (const d of candidates) {
    const prices = chargeablePrices(d, unpriced);
    if (prices) worst = Math.max(worst, reservationCost(inputTokens, maxTokens ?? d.maxOutputTokens ?? DEFAULT_OUTPUT_ALLOWANCE, prices));
  }
  return worst;
}

/**
 * Reserves the request's worst-case cost against every budget that applies, atomically, before dispatch.
 * Throws a 429 budget_exceeded (nothing sent upstream) at a hard limit; past a soft limit returns a route one
 * tier cheaper. With a budgets section every request gets a hold (maybe against no limit) so its spend is
 * reported; returns undefined without one, or when the store is down, no limit applies and the policy allows it.
 */
export async function admitBudget(runtime: Runtime, route: Route, req: BudgetRequest): Promise<{ route: Route; hold: BudgetHold } | undefined> {
  const budgets = budgetsOf(runtime.config.extensions) ?? (req.chargee.ownLimits ? NO_BUDGETS : undefined);
  if (!budgets) return undefined;
  const first = route.candidates[0];
  if (!first) return undefined;
  const prices = chargeablePrices(first, budgets.unpriced);
  if (!prices) {
    throw new GatewayError('invalid_request', `Model '${first.modelName}' has no known price and budgets block unpriced models: set its prices in the config, or budgets.unpriced to allow_unpriced or default_price`, {
      code: 'unpriced_model',
      param: 'model',
    });
  }
  const exempt = budgets.exemptFree && isFree(prices);

  let store;
  let now;
  try {
    store = await storeOf(runtime);
    now = store.now();
  } catch (err) {
    const limited = !exempt && applicableLimits(budgets.limits, req.chargee, Date.now()).length > 0;
    return limited ? storeFailure(runtime, budgets.failOpen, err) : undefined;
  }
  const applied = exempt ? [] : applicableLimits(budgets.limits, req.chargee, now);
  const inputTokens = req.estimateInputTokens();
  if (applied.length === 0) {
    return { route, hold: { applied, counters: [], reserved: 0, chargee: req.chargee, unpriced: budgets.unpriced, inputTokens, route } };
  }
  const candidatesOf = req.candidatesOf ?? ((r: Route) => r.candidates);
  const amount = worstOverCandidates(candidatesOf(route), inputTokens, req.maxTokens, budgets.unpriced);
  const counters = applied.map((a) => a.counter);
  let result;
  try {
    result = await store.reserve(counters, amount, req.holdId);
  } catch (err) {
    return storeFailure(runtime, budgets.failOpen, err);
  }
  noteStoreCall(runtime);
  if (!result.ok) {
    const refused = applied.find((a) => a.counter.key === result.key)!;
    recordBudgetRefusal(refused.limit.scope, refused.limit.name);
    // a refusal is the hard limit: its 100 % alert fires now, even if settled spend never reaches the limit
    if (budgets.alerts.length > 0) void checkAlerts(runtime, store, [refused], [refused.limit.maxMicros], [result.spent]).catch(() => {});
    throw budgetExceeded(refused, result.spent + result.reserved, amount, now);
  }

  const soft = applied.some((a, i) => result.levels[i]! + amount > a.limit.softMicros);
  let lower = soft ? downgradeRoute(runtime.config, route, inputTokens) : undefined;
  // a downgrade saves money: one whose fallbacks could bill past what was reserved is not taken
  if (lower && worstOverCandidates(candidatesOf(lower), inputTokens, req.maxTokens, budgets.unpriced) > amount) lower = undefined;
  const dispatched = lower ?? route;
  const hold: BudgetHold = { applied, counters, reserved: amount, chargee: req.chargee, unpriced: budgets.unpriced, inputTokens, route: dispatched };
  if (lower) hold.downgraded = `${route.decision!.tier}->${lower.decision!.tier}`;
  return { route: dispatched, hold };
}

const isFree = (p: ModelPrices) => !p.input && !p.output;

function storeFailure(runtime: Runtime, failOpen: boolean, err: unknown): undefined {
  noteStoreCall(runtime, err);
  runtime.logger.error({ err, policy: failOpen ? 'fail_open' : 'fail_closed' }, 'budget store unreachable');
  if (failOpen) return undefined;
  throw new GatewayError('unavailable', 'Budgets cannot be checked right now (the store is unreachable), so requests are refused (on_store_failure: fail_closed)', {
    code: 'budget_store_unavailable',
  });
}

function budgetExceeded(applied: AppliedLimit, committed: Micros, amount: Micros, now: number): GatewayError {
  const { limit, window } = applied;
  const retryAfter = Math.max(1, Math.ceil((window.resetMs - now) / 1000));
  const message =
    `Budget '${limit.name}' exceeded: $${microsToUsd(committed)} of $${microsToUsd(limit.maxMicros)} spent or reserved in the ${limit.window} window ` +
    `${window.id} (${limit.timeZone}); this request could cost up to $${microsToUsd(amount)}. It resets at ${new Date(window.resetMs).toISOString()}.`;
  return new GatewayError('budget_exceeded', message, {
    code: 'budget_exceeded',
    headers: { 'x-should-retry': 'false', 'retry-after': String(retryAfter), 'x-switchyard-budget': limit.name },
  });
}
