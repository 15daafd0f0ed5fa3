import type { Context } from 'hono';
import { openaiErrorBody, toGatewayError } from '../core/errors.js';
import { adminPrincipal } from '../server/admin-guard.js';
import type { Runtime } from '../server/runtime.js';
import { budgetStatus } from '../spend/budget-state.js';
import { allBudgetStatus } from '../spend/all-budgets.js';
import { microsToUsd } from '../spend/compute-cost.js';

/**
 * `GET /admin/budgets[?team=&key=&user=]`: the current window of every global budget, plus the team, key and
 * user budgets of the given subjects; `?all=true`: every scope's budgets (see all-budgets.ts). Amounts in micro-dollars and USD.
 */
export function budgetsHandler(runtime: Runtime) {
  return async (c: Context): Promise<Response> => {
    try {
      await adminPrincipal(c, runtime);
      const team = c.req.query('team');
      const key = c.req.query('key');
      const user = c.req.query('user');
      const who = team || key || user ? { keyId: key ?? '', keyAlias: key, team, user } : undefined;
      const budgets = c.req.query('all') === 'true' ? await allBudgetStatus(runtime) : await budgetStatus(runtime, who);
      return c.json({
        budgets: budgets.map((b) => ({ ...b, spent_usd: microsToUsd(b.spent), reserved_usd: microsToUsd(b.reserved), limit_usd: microsToUsd(b.limit) })),
      });
    } catch (err) {
      const error = toGatewayError(err);
      return c.json(openaiErrorBody(error), error.status as 401);
    }
  };
}
