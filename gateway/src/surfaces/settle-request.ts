import { recordForConsole } from '../console/record-request.js';
import { settleLimits } from '../limits/admit-limits.js';
import { observeRequest } from '../routing/latency-estimates.js';
import type { Runtime } from '../server/runtime.js';
import { settleBudget } from '../spend/settle-budget.js';
import { recordSettledRequest } from '../telemetry/settle-metrics.js';
import { logRequest } from '../telemetry/request-log.js';
import type { RequestContext } from './request-context.js';

/**
 * The settle stage every surface runs once a request has ended, whatever its outcome: feeds the routing
 * latency estimates, settles rate limits and spend, records metrics, writes the request's log line and feeds the web console.
 */
export function settleRequest(runtime: Runtime, ctx: RequestContext): void {
  observeRequest(ctx.record);
  void settleLimits(runtime, ctx);
  if (ctx.budget) void settleBudget(runtime, ctx.budget, ctx.record, ctx.streamedItems);
  recordSettledRequest(runtime.config, ctx);
  logRequest(runtime.logger, ctx.record);
  recordForConsole(runtime, ctx);
}
