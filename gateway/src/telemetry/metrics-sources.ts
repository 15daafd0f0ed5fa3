import type { Runtime } from '../server/runtime.js';
import { budgetsOf, type BudgetLimit } from '../spend/budget-config.js';
import { applicableLimits, type Chargee } from '../spend/budget-scopes.js';
import { storeOf } from '../spend/runtime-store.js';
import { liveRequests } from './live-requests.js';
import type { ScrapeSources } from './metrics.js';

/**
 * What the scrape-time gauges read from a running gateway: its configured deployments (cooling state), the
 * current window of each configured budget (from the shared store, so every instance reports the same figure)
 * and its live requests.
 */
export function scrapeSourcesOf(runtime: Runtime): ScrapeSources {
  return {
    *deployments() {
      for (const [model, deployments] of runtime.config.models) for (const d of deployments) yield { model, id: d.id };
    },
    budgets: () => budgetGauges(runtime),
    live: liveRequests,
  };
}

/** Global budgets and those naming one team or user; a per-key or `each_*` budget has no one figure to show. */
async function budgetGauges(runtime: Runtime) {
  const budgets = budgetsOf(runtime.config.extensions);
  if (!budgets || budgets.limits.length === 0) return [];
  const store = await storeOf(runtime);
  const now = store.now();
  const applied = budgets.limits.flatMap((limit) => {
    const who = chargeeFor(limit);
    return who ? applicableLimits([limit], who, now) : [];
  });
  const states = await store.read(applied.map((a) => a.counter.key));
  return applied.map((a, i) => ({
    budget: a.limit.name,
    scope: a.limit.scope,
    window: a.limit.window,
    spentUsd: states[i]!.spent / 1e6,
    limitUsd: a.limit.maxMicros / 1e6,
    resetsInS: Math.max(0, (a.window.resetMs - now) / 1000),
  }));
}

function chargeeFor(limit: BudgetLimit): Chargee | undefined {
  if (limit.scope === 'global') return { keyId: '' };
  if (limit.match === undefined) return undefined;
  if (limit.scope === 'team') return { keyId: '', team: limit.match };
  if (limit.scope === 'user') return { keyId: '', user: limit.match };
  return undefined;
}
