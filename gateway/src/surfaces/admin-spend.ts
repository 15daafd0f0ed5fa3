import type { Context } from 'hono';
import { GatewayError, openaiErrorBody, toGatewayError } from '../core/errors.js';
import { adminPrincipal } from '../server/admin-guard.js';
import type { Runtime } from '../server/runtime.js';
import { budgetsOf } from '../spend/budget-config.js';
import { REPORT_DIMENSIONS, spendReport, type ReportDimension } from '../spend/spend-report.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `GET /admin/spend?by=key|team|user|model|day&from=YYYY-MM-DD&to=YYYY-MM-DD` (UTC days, default the last 30):
 * cost, tokens, requests and savings against the premium baseline. Recorded when the config has a budgets section.
 */
export function spendHandler(runtime: Runtime) {
  return async (c: Context): Promise<Response> => {
    try {
      await adminPrincipal(c, runtime);
      const by = (c.req.query('by') ?? 'model') as ReportDimension;
      if (!REPORT_DIMENSIONS.includes(by)) throw new GatewayError('invalid_request', `by must be one of ${REPORT_DIMENSIONS.join(', ')}`, { param: 'by' });
      const to = c.req.query('to') ?? new Date().toISOString().slice(0, 10);
      const from = c.req.query('from') ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
      if (!DAY.test(from) || !DAY.test(to)) throw new GatewayError('invalid_request', 'from and to are UTC days: YYYY-MM-DD', { param: DAY.test(from) ? 'to' : 'from' });
      if (!budgetsOf(runtime.config.extensions)) {
        return c.json({ by, from, to, rows: [], note: 'spend is recorded when the config has a budgets section (budgets: {} is enough)' });
      }
      return c.json({ by, from, to, ...(await spendReport(runtime, by, from, to)) });
    } catch (err) {
      const error = toGatewayError(err);
      if (error.kind === 'internal') runtime.logger.error({ err: error.cause ?? error }, 'spend report failed');
      return c.json(openaiErrorBody(error), error.status as 400);
    }
  };
}
