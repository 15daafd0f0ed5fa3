/**
 * Cost of the web console's settle-stage recording (recordForConsole: one entry in the request ring plus the
 * per-minute traffic aggregates) per request, for a routed request without and with a budget hold. Printed
 * next to the classifier (resolveRoute) for the same request and the Prometheus settle metrics, measured in
 * the same run, so the number reads against the gateway's other per-request work on this machine.
 */
import { loadConfig } from '../gateway/src/config/load-config.js';
import type { ChatRequest } from '../gateway/src/core/chat-schema.js';
import { recordForConsole } from '../gateway/src/console/record-request.js';
import { resolveRoute } from '../gateway/src/routing/resolve-route.js';
import type { Runtime } from '../gateway/src/server/runtime.js';
import { compileBudgets } from '../gateway/src/spend/budget-config.js';
import type { BudgetHold } from '../gateway/src/spend/admit-budget.js';
import { settledSpend } from '../gateway/src/spend/settled-spend.js';
import type { RequestContext } from '../gateway/src/surfaces/request-context.js';
import { recordSettledRequest } from '../gateway/src/telemetry/settle-metrics.js';

const loaded = loadConfig({ cwd: '/nonexistent-dir', env: {} });
if (!loaded.ok) throw new Error('demo config failed to load');
const budgets = compileBudgets({ global: { daily_usd: 5 } }).budgets!;
const config = { ...loaded.config, extensions: { ...loaded.config.extensions, budgets } };
const runtime = { config } as unknown as Runtime;

const request: ChatRequest = { model: 'auto', messages: [{ role: 'user', content: 'Refactor the billing module into services and explain the trade-offs' }] };
const header = (name: string) => (name === 'user-agent' ? 'opencode/1.0' : undefined);
const route = resolveRoute(config, request, header);
const deployment = route.candidates[0]!;

function context(i: number, withBudget: boolean): RequestContext {
  const record = {
    requestId: `req-${i}`,
    surface: 'openai.chat',
    startedAt: performance.now() - 120,
    modelAsked: 'auto',
    deployment: deployment.id,
    stream: true,
    status: i % 50 === 0 ? 502 : 200,
    ttftMs: 35.2,
    usage: { prompt_tokens: 1200 + (i % 100), completion_tokens: 300, total_tokens: 1500 + (i % 100) },
  };
  const budget: BudgetHold | undefined = withBudget
    ? { applied: [], counters: [], reserved: 5000, chargee: { keyId: 'key_x', keyAlias: 'ci' }, unpriced: 'allow', inputTokens: 1200, route } as unknown as BudgetHold
    : undefined;
  return { requestId: record.requestId, record, signal: new AbortController().signal, header, principal: { keyId: 'key_x', alias: 'ci' }, route, budget, streamedItems: 40 };
}

/** µs per call: the median over batches, after a warm-up; each batch reuses prepared contexts so only `fn` is timed. */
function measure(name: string, fn: (ctx: RequestContext) => void, withBudget: boolean, batches = 200, perBatch = 1000): number {
  const contexts = Array.from({ length: perBatch }, (_, i) => context(i, withBudget));
  for (let w = 0; w < 20; w++) for (const ctx of contexts) fn(ctx);
  const perCall: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (const ctx of contexts) fn(ctx);
    perCall.push(Number(process.hrtime.bigint() - t0) / 1000 / perBatch);
  }
  perCall.sort((a, b) => a - b);
  const median = perCall[Math.floor(perCall.length / 2)]!;
  const p90 = perCall[Math.floor(perCall.length * 0.9)]!;
  console.log(`${name.padEnd(44)} median ${median.toFixed(2).padStart(6)} µs/request   p90 of batches ${p90.toFixed(2).padStart(6)} µs`);
  return median;
}

// the settle stage prices a request once (settledSpend) for the console, the metrics and the budget
const consoleNoBudget = measure('console recording (routed, no budget)', (ctx) => recordForConsole(runtime, ctx, settledSpend(config, ctx)), false);
const consoleBudget = measure('console recording (routed, budget hold)', (ctx) => recordForConsole(runtime, ctx, settledSpend(config, ctx)), true);
const metrics = measure('Prometheus settle metrics (same request)', (ctx) => recordSettledRequest(config, ctx, settledSpend(config, ctx)), true);
const classify = measure('classifier: resolveRoute (same request)', () => resolveRoute(config, request, header), false, 50);
console.log(`console recording / classifier: ${(consoleBudget / classify).toFixed(2)}; / settle metrics: ${(consoleBudget / metrics).toFixed(2)} (no budget: ${(consoleNoBudget / classify).toFixed(2)} of the classifier)`);
