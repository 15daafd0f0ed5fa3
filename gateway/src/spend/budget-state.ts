import type { Runtime } from '../server/runtime.js';
import { budgetsOf } from './budget-config.js';
import { applicableLimits, type Chargee } from './budget-scopes.js';
import { storeOf } from './runtime-store.js';

/** One budget as it stands now, for `/admin/budgets` and tests. Amounts in micro-dollars. */
export interface BudgetStatus {
  name: string;
  scope: string;
  subject: string;
  window: string;
  windowId: string;
  spent: number;
  reserved: number;
  limit: number;
  soft: number;
  resetsAt: string;
}

/** The current window of every budget that applies to `who` (default: the global budgets only). */
export async function budgetStatus(runtime: Runtime, who?: Chargee): Promise<BudgetStatus[]> {
  const budgets = budgetsOf(runtime.config.extensions);
  if (!budgets) return [];
  const store = await storeOf(runtime);
  const applied = applicableLimits(budgets.limits, who ?? { keyId: '' }, store.now()).filter((a) => a.limit.scope !== 'key' || who?.keyId);
  const states = await store.read(applied.map((a) => a.counter.key));
  return applied.map((a, i) => ({
    name: a.limit.name,
    scope: a.limit.scope,
    subject: a.counter.key.split('|')[1]!,
    window: a.limit.window,
    windowId: a.window.id,
    spent: states[i]!.spent,
    reserved: states[i]!.reserved,
    limit: a.limit.maxMicros,
    soft: a.limit.softMicros,
    resetsAt: new Date(a.window.resetMs).toISOString(),
  }));
}
