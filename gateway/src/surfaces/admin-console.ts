import { consoleStateOf } from '../console/console-state.js';
import type { RequestEntry } from '../console/request-ring.js';
import { resilienceStateOf } from '../dispatch/resilience-state.js';
import { routersOf } from '../routing/compile-routers.js';
import { latencyEstimates } from '../routing/latency-estimates.js';
import type { Runtime } from '../server/runtime.js';
import { budgetsOf } from '../spend/budget-config.js';
import { budgetStatus, type BudgetStatus } from '../spend/budget-state.js';
import { microsToUsd } from '../spend/compute-cost.js';
import { baselineOf, spendReport, type SpendRow } from '../spend/spend-report.js';
import { adminGet } from './admin-handler.js';
import { alertsResponse, emptyQuery, modelsResponse, overviewQuery, overviewResponse, requestsQuery, requestsResponse, routingResponse } from './admin-schemas.js';
import type { z } from 'zod';

/** The read-only admin endpoints behind the web console: live aggregates this process computes itself. */

const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const withUsd = (b: BudgetStatus) => ({ ...b, spent_usd: microsToUsd(b.spent), reserved_usd: microsToUsd(b.reserved), limit_usd: microsToUsd(b.limit) });

/** `GET /admin/requests`: the most recent requests from the in-memory ring, filtered. */
export function requestsHandler(runtime: Runtime) {
  return adminGet(runtime, 'admin requests', requestsQuery, (q): z.input<typeof requestsResponse> => {
    const ring = consoleStateOf(runtime).requests;
    const keep = (e: RequestEntry) =>
      (!q.tier || e.tier === q.tier) &&
      (!q.model || e.modelAsked === q.model || e.model === q.model) &&
      (!q.key || e.key === q.key) &&
      (!q.client || e.client === q.client) &&
      (!q.rule || e.rule === q.rule) &&
      (!q.status || (q.status === 'ok') === (e.status >= 200 && e.status < 300)) &&
      (!q.routed || (q.routed === 'true') === (e.tier !== undefined));
    return { capacity: ring.capacity, recorded: ring.total, requests: ring.recent(q.limit, keep) };
  });
}

/** `GET /admin/overview`: spend today / this week / this month, budgets, request and error rates, latency. */
export function overviewHandler(runtime: Runtime) {
  return adminGet(runtime, 'admin overview', overviewQuery, async (q): Promise<z.input<typeof overviewResponse>> => {
    const now = Date.now();
    const { stats } = consoleStateOf(runtime);
    const window = stats.series(now, q.minutes);
    const requests = window.reduce((n, p) => n + p.requests, 0);
    const serverErrors = window.reduce((n, p) => n + p.server_errors, 0);
    const clientErrors = window.reduce((n, p) => n + p.client_errors, 0);
    const [p50, p95] = stats.latencyPercentiles(now, q.minutes, [0.5, 0.95]);
    const t = stats.totals;
    return {
      generated_at: new Date(now).toISOString(),
      spend: await spendSummary(runtime, now),
      budgets: (await budgetStatus(runtime)).map(withUsd),
      traffic: {
        minutes: q.minutes,
        requests,
        requests_per_minute: Math.round((requests / q.minutes) * 100) / 100,
        error_rate: requests ? serverErrors / requests : 0,
        client_error_rate: requests ? clientErrors / requests : 0,
        p50_ms: p50 ?? null,
        p95_ms: p95 ?? null,
      },
      since_start: {
        started_at: new Date(runtime.startedAt).toISOString(),
        requests: t.requests,
        cost_usd: microsToUsd(t.costMicros),
        savings_usd: microsToUsd(t.savingsMicros),
        server_errors: t.serverErrors,
        client_errors: t.clientErrors,
      },
      series: stats.series(now),
    };
  });
}

type Total = { cost_usd: string; savings_usd: string; requests: number; prompt_tokens: number; completion_tokens: number };

/** Spend from the store's day reports when budgets record it, else this process's own totals. */
async function spendSummary(runtime: Runtime, now: number): Promise<z.input<typeof overviewResponse>['spend']> {
  const baseline = baselineOf(runtime.config)?.model;
  if (!budgetsOf(runtime.config.extensions)) {
    const t = consoleStateOf(runtime).stats.totals;
    const all: Total = { cost_usd: microsToUsd(t.costMicros), savings_usd: microsToUsd(t.savingsMicros), requests: t.requests, prompt_tokens: 0, completion_tokens: 0 };
    return { source: 'process', ...(baseline ? { baseline } : {}), today: all, week: all, month: all };
  }
  const today = utcDay(now);
  const weekStart = utcDay(now - ((new Date(now).getUTCDay() + 6) % 7) * DAY_MS);
  const monthStart = today.slice(0, 8) + '01';
  const from = weekStart < monthStart ? weekStart : monthStart;
  const { rows } = await spendReport(runtime, 'day', from, today);
  const sum = (since: string): Total => {
    let cost = 0, savings = 0, requests = 0, prompt = 0, completion = 0;
    for (const r of rows as SpendRow[]) {
      if (r.name < since) continue;
      cost += Number(r.cost_usd);
      savings += Number(r.savings_usd);
      requests += r.requests;
      prompt += r.prompt_tokens;
      completion += r.completion_tokens;
    }
    return { cost_usd: cost.toFixed(6), savings_usd: savings.toFixed(6), requests, prompt_tokens: prompt, completion_tokens: completion };
  };
  return { source: 'store', ...(baseline ? { baseline } : {}), today: sum(today), week: sum(weekStart), month: sum(monthStart) };
}

/** `GET /admin/routing`: each router's tiers and rule hits, the tier mix per minute and the latest routed decisions. */
export function routingHandler(runtime: Runtime) {
  return adminGet(runtime, 'admin routing', emptyQuery, (): z.input<typeof routingResponse> => {
    const { stats, requests } = consoleStateOf(runtime);
    const routers = [...(routersOf(runtime.config.extensions)?.byName.values() ?? [])].map((r) => ({
      name: r.name,
      tiers: [...r.tiers.values()].map((t) => ({ name: t.name, models: [...t.models] })),
      rules: [
        ...r.ruleSet.rules.map((rule) => ({ id: rule.id, tier: rule.tier, hits: stats.ruleHits.get(`${r.name}/${rule.id}`) ?? 0 })),
        // what no rule matched: the rule set's default (or the trained score), whichever tier it picked
        ...[...stats.ruleHits].filter(([k]) => k.startsWith(`${r.name}/`) && !r.ruleSet.rules.some((rule) => k === `${r.name}/${rule.id}`)).map(([k, hits]) => {
          const id = k.slice(r.name.length + 1);
          return { id, tier: id === 'default' ? r.ruleSet.default.tier : '(score)', hits };
        }),
      ],
    }));
    return {
      routers,
      series: stats.series(Date.now()).map((p) => ({ t: p.t, tiers: p.tiers })),
      decisions: requests.recent(50, (e) => e.tier !== undefined),
    };
  });
}

/** `GET /admin/models`: every deployment with its prices, cooldown, traffic health and latency estimates. */
export function modelsHandler(runtime: Runtime) {
  return adminGet(runtime, 'admin models', emptyQuery, async (): Promise<z.input<typeof modelsResponse>> => {
    const { config } = runtime;
    const now = Date.now();
    const { cooldowns } = resilienceStateOf(runtime);
    const traffic = consoleStateOf(runtime).stats.deployments;
    const estimates = latencyEstimates.snapshot();
    const deployments = [];
    for (const group of config.models.values()) {
      for (const d of group) {
        const health = (await cooldowns.peek?.(d.id, now)) ?? { state: 'ok' as const };
        const seen = traffic.get(d.id);
        const estimate = estimates[d.id];
        deployments.push({
          id: d.id,
          model: d.modelName,
          provider: d.provider.name,
          provider_kind: d.provider.kind,
          upstream_model: d.upstreamModel,
          input_price: d.prices.input,
          output_price: d.prices.output,
          context_window: d.contextWindow,
          max_output_tokens: d.maxOutputTokens,
          capabilities: { ...d.capabilities },
          health: health.state === 'probe' ? ('half_open' as const) : health.state,
          ...(health.state === 'cooling' ? { cooldown_until: new Date(health.untilMs).toISOString() } : {}),
          traffic: {
            requests: seen?.requests ?? 0,
            errors: seen?.errors ?? 0,
            last_status: seen?.lastStatus ?? 0,
            ...(seen?.lastAt ? { last_at: new Date(seen.lastAt).toISOString() } : {}),
            ...(seen?.lastError ? { last_error: seen.lastError } : {}),
          },
          ...(estimate ? { latency: { ...estimate, expected_ms: Math.round(latencyEstimates.expectedMs(d.id)) } } : {}),
        });
      }
    }
    return { deployments, aliases: Object.fromEntries(config.aliases), routers: [...(routersOf(config.extensions)?.byName.keys() ?? [])] };
  });
}

/** `GET /admin/alerts`: the alert targets (host only) and the alerts this process sent, newest first. */
export function alertsHandler(runtime: Runtime) {
  return adminGet(runtime, 'admin alerts', emptyQuery, (): z.input<typeof alertsResponse> => {
    const targets = (budgetsOf(runtime.config.extensions)?.alerts ?? []).map((t) => ({ target: hostOf(t.url), format: t.format, thresholds: t.thresholds }));
    const sent = consoleStateOf(runtime).alerts.map((s) => ({ target: s.target, format: s.format, delivered: s.delivered, alert: { ...s.alert } }));
    return { targets, sent };
  });
}


function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'webhook';
  }
}
