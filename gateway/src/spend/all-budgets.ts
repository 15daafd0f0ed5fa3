import { listVirtualKeys } from '../auth/virtual-keys.js';
import type { Runtime } from '../server/runtime.js';
import { budgetStatus, type BudgetStatus } from './budget-state.js';
import { chargeeOf, type Chargee } from './budget-scopes.js';
import { spendReport } from './spend-report.js';

/**
 * The current window of every budget in every scope: the global ones, each virtual key's (config and own
 * caps), and those of every team and user that has a key or spent this month. One row per counter.
 */
export async function allBudgetStatus(runtime: Runtime, now = Date.now()): Promise<BudgetStatus[]> {
  const who: Chargee[] = [{ keyId: '' }];
  for (const key of await listVirtualKeys(runtime)) {
    if (key.revokedAt) continue;
    who.push(chargeeOf({ keyId: key.id, alias: key.alias, team: key.team, user: key.user, budgetsUsd: key.budgets }, undefined, undefined));
  }
  const monthStart = new Date(now).toISOString().slice(0, 8) + '01';
  const today = new Date(now).toISOString().slice(0, 10);
  for (const by of ['team', 'user'] as const) {
    for (const row of (await spendReport(runtime, by, monthStart, today)).rows) who.push(by === 'team' ? { keyId: '', team: row.name } : { keyId: '', user: row.name });
  }
  const seen = new Map<string, BudgetStatus>();
  for (const chargee of who) {
    for (const status of await budgetStatus(runtime, chargee)) seen.set(`${status.name}|${status.subject}|${status.windowId}`, status);
  }
  return [...seen.values()];
}
