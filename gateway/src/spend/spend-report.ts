import type { GatewayConfig, ModelPrices } from '../config/types.js';
import type { Usage } from '../core/chat-response.js';
import type { Runtime } from '../server/runtime.js';
import type { SpendReportDelta } from '../store/types.js';
import type { Chargee } from './budget-scopes.js';
import { budgetsOf } from './budget-config.js';
import { microsToUsd, pricesOf } from './compute-cost.js';
import type { SettledSpend } from './settled-spend.js';
import { storeOf } from './runtime-store.js';

export const REPORT_DIMENSIONS = ['key', 'team', 'user', 'model', 'day'] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];
const METRICS = ['cost', 'baseline', 'prompt', 'completion', 'requests'] as const;
// Day reports are kept a little over a year.
const REPORT_TTL_MS = 400 * 86_400_000;

const baselines = new WeakMap<GatewayConfig, { model: string; prices: ModelPrices } | null>();

/**
 * The premium baseline savings are measured against: `budgets.savings_baseline` when set, else the served
 * model with the highest output price.
 */
export function baselineOf(config: GatewayConfig): { model: string; prices: ModelPrices } | undefined {
  let found = baselines.get(config);
  if (found === undefined) {
    const named = budgetsOf(config.extensions)?.savingsBaseline;
    found = null;
    for (const [model, deployments] of config.models) {
      const prices = deployments[0] && pricesOf(deployments[0]);
      if (!prices) continue;
      if (named ? model === named : !found || (prices.output ?? 0) > (found.prices.output ?? 0)) found = { model, prices };
    }
    baselines.set(config, found);
  }
  return found ?? undefined;
}

const DAY_MS = 86_400_000;
/** The last UTC day labelled: every settle asks for today's, and `toISOString` showed in the profile. */
let lastDay = { startMs: 0, endMs: 0, label: '' };

function utcDay(ms: number): string {
  if (ms < lastDay.startMs || ms >= lastDay.endMs) {
    const startMs = Math.floor(ms / DAY_MS) * DAY_MS;
    lastDay = { startMs, endMs: startMs + DAY_MS, label: new Date(startMs).toISOString().slice(0, 10) };
  }
  return lastDay.label;
}

/** What one settled request adds to its day's report, per key, team, user and model. */
export function reportDelta(who: Chargee, model: string | undefined, usage: Usage | undefined, spend: SettledSpend, now: number): SpendReportDelta {
  const cost = spend.cost ?? 0;
  // in METRICS order
  const amounts = [
    cost,
    spend.baselineCost ?? cost,
    usage?.prompt_tokens ?? 0,
    usage?.completion_tokens ?? 0,
    1,
  ];
  const fields: Record<string, number> = {};
  addFields(fields, 'total', '', amounts);
  addFields(fields, 'key', who.keyAlias ?? who.keyId, amounts);
  if (who.team !== undefined) addFields(fields, 'team', who.team, amounts);
  if (who.user !== undefined) addFields(fields, 'user', who.user, amounts);
  if (model !== undefined) addFields(fields, 'model', model, amounts);
  return { day: utcDay(now), fields, expireAtMs: now + REPORT_TTL_MS };
}

function addFields(fields: Record<string, number>, dim: string, value: string, amounts: readonly number[]): void {
  const names = fieldNames(dim, value);
  for (let i = 0; i < names.length; i++) if (amounts[i]) fields[names[i]!] = amounts[i]!;
}

/**
 * The field names of one dimension's value (`key=alice|cost` …), kept so that a settle builds no strings. User
 * ids come from clients, so the cache is dropped whole once it holds FIELD_NAMES_KEPT values.
 */
const fieldNameCache = new Map<string, Map<string, readonly string[]>>();
const FIELD_NAMES_KEPT = 10_000;
let fieldNamesKept = 0;

function fieldNames(dim: string, value: string): readonly string[] {
  let byValue = fieldNameCache.get(dim);
  let names = byValue?.get(value);
  if (names) return names;
  if (fieldNamesKept >= FIELD_NAMES_KEPT) {
    fieldNameCache.clear();
    fieldNamesKept = 0;
    byValue = undefined;
  }
  if (!byValue) fieldNameCache.set(dim, (byValue = new Map()));
  names = METRICS.map((metric) => `${dim}=${value}|${metric}`);
  byValue.set(value, names);
  fieldNamesKept++;
  return names;
}

export interface SpendRow {
  name: string;
  cost_usd: string;
  savings_usd: string;
  prompt_tokens: number;
  completion_tokens: number;
  requests: number;
}

/** Spend between two UTC days (inclusive, at most 366), grouped by key, team, user, model or day. */
export async function spendReport(runtime: Runtime, by: ReportDimension, from: string, to: string): Promise<{ baseline?: string; rows: SpendRow[]; total: SpendRow }> {
  const store = await storeOf(runtime);
  const groups = new Map<string, Record<string, number>>();
  const add = (name: string, metric: string, amount: number) => {
    const g = groups.get(name) ?? {};
    g[metric] = (g[metric] ?? 0) + amount;
    groups.set(name, g);
  };
  let day = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let i = 0; i <= 366 && day <= end; i++, day += DAY_MS) {
    const label = utcDay(day);
    for (const [field, amount] of Object.entries(await store.readReport(label))) {
      const eq = field.indexOf('=');
      const bar = field.lastIndexOf('|');
      const dim = field.slice(0, eq);
      const metric = field.slice(bar + 1);
      if (dim === 'total') add('\u0000total', metric, amount);
      if (by === 'day' ? dim === 'total' : dim === by) add(by === 'day' ? label : field.slice(eq + 1, bar), metric, amount);
    }
  }
  const row = (name: string, g: Record<string, number> = {}): SpendRow => ({
    name,
    cost_usd: microsToUsd(g.cost ?? 0),
    savings_usd: microsToUsd((g.baseline ?? 0) - (g.cost ?? 0)),
    prompt_tokens: g.prompt ?? 0,
    completion_tokens: g.completion ?? 0,
    requests: g.requests ?? 0,
  });
  const total = row('total', groups.get('\u0000total'));
  groups.delete('\u0000total');
  const rows = [...groups].map(([name, g]) => row(name, g)).sort((a, b) => Number(b.cost_usd) - Number(a.cost_usd) || a.name.localeCompare(b.name));
  const baseline = baselineOf(runtime.config)?.model;
  return { ...(baseline ? { baseline } : {}), rows, total };
}
