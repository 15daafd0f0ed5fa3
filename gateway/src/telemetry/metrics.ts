import { Gauge, Registry } from 'prom-client';
import { FastCounter, FastHistogram } from './fast-metrics.js';
import type { RequestRecord } from './request-log.js';

/**
 * The gateway's Prometheus metrics: one typed table of families, every name prefixed `switchyard_`. Labels
 * are bounded: `surface` is one of the gateway's APIs, `model` / `deployment` / `router` / `rule` / `tier` /
 * `budget` come from the config, `team` and `key` from keys an operator created (never what a client typed),
 * and every label folds into `other` past a fixed number of distinct values (see `bounded`).
 *
 * Recording goes through the small functions below, which cache label children so the request path pays a
 * map lookup and an addition (fast-metrics.ts); prom-client's registry renders them at scrape.
 */
export const registry = new Registry();

const SECONDS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

const counter = (name: string, help: string, labelNames: readonly string[]) => new FastCounter(name, help, labelNames, registry);
const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], collect?: (this: Gauge<L>) => void | Promise<void>) =>
  new Gauge<L>({ name, help, labelNames, registers: [registry], ...(collect ? { collect } : {}) });
const histogram = (name: string, help: string, labelNames: readonly string[], buckets: number[]) => new FastHistogram(name, help, labelNames, buckets, registry);

/** Every family the gateway exports (the README's metric table and the dashboards are checked against these). */
export const families = {
  requests: counter('switchyard_requests_total', 'Requests by surface, model served and HTTP status', ['surface', 'model', 'status']),
  requestErrors: counter('switchyard_request_errors_total', 'Failed requests by surface and error class (the gateway error code)', ['surface', 'class']),
  duration: histogram('switchyard_request_duration_seconds', 'Time from request start to the end of the answer', ['surface', 'model'], SECONDS),
  ttft: histogram('switchyard_time_to_first_token_seconds', 'Time to the first streamed chunk', ['surface', 'model'], [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30]),
  overhead: histogram(
    'switchyard_gateway_overhead_seconds',
    "The gateway's own time in a dispatched request: time to the response start minus the time spent on upstream attempts and backoff",
    ['surface'],
    [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
  ),
  tokens: counter('switchyard_tokens_total', 'Tokens by model and direction (prompt, completion), as the upstream reported them', ['model', 'direction']),
  inFlight: gauge('switchyard_requests_in_flight', 'Requests being served (until the response is closed)', ['surface'], function collect() {
    countLive(this, () => true);
  }),
  openStreams: gauge('switchyard_open_streams', 'Streamed responses currently being relayed', ['surface'], function collect() {
    countLive(this, (r) => r.streaming);
  }),

  spend: counter('switchyard_spend_usd_total', 'What requests cost in USD, by model, tier, team and key alias', ['model', 'tier', 'team', 'key']),
  savings: counter('switchyard_savings_usd_total', 'What the savings baseline model would have cost minus what requests did cost, in USD', ['model', 'tier', 'team', 'key']),
  costPerRequest: histogram('switchyard_cost_per_request_usd', 'Cost of one request in USD', ['model'], [0.00001, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]),

  routingDecisions: counter('switchyard_routing_decisions_total', 'Requests a router classified, by router, rule and tier', ['router', 'rule', 'tier']),
  downgrades: counter('switchyard_budget_downgrades_total', 'Routed requests moved to a cheaper tier because a budget passed its soft limit', ['router', 'from_tier', 'to_tier']),
  yoloPicks: counter('switchyard_yolo_picks_total', 'Models picked by a fastest-first (yolo) tier', ['router', 'model']),
  client: counter('switchyard_requests_by_client_total', 'Requests by detected client (OpenCode, Roo Code, Claude Code …) and tier', ['client', 'tier']),

  // Registered in this order on purpose: collecting budget_spent_usd also sets the two gauges after it.
  budgetSpent: gauge('switchyard_budget_spent_usd', 'Spend in the current window of each configured budget, read from the shared store at scrape', ['budget', 'scope', 'window'], collectBudgets),
  budgetLimit: gauge('switchyard_budget_limit_usd', 'The hard limit of each configured budget', ['budget', 'scope', 'window']),
  budgetResetsIn: gauge('switchyard_budget_window_remaining_seconds', 'Seconds until the current window of each configured budget resets', ['budget', 'scope', 'window']),
  budgetRefusals: counter('switchyard_budget_refusals_total', 'Requests refused (429 budget_exceeded) by budget scope and name', ['scope', 'budget']),

  attempts: counter('switchyard_upstream_attempts_total', 'Upstream attempts by deployment and outcome (ok or the error class)', ['model', 'deployment', 'outcome']),
  retries: counter('switchyard_retries_total', 'Attempts repeated on the same deployment, by reason', ['deployment', 'reason']),
  fallbacks: counter('switchyard_fallbacks_total', 'Requests moved on from a deployment to the next candidate, by the reason it was left', ['deployment', 'reason']),
  upstreamErrors: counter('switchyard_upstream_errors_total', 'Failed upstream attempts by deployment and error class', ['deployment', 'class']),
  cooling: gauge('switchyard_deployment_cooling', '1 while a deployment is in cooldown (as this instance last saw it), else 0', ['model', 'deployment'], collectCooling),
  cooldowns: counter('switchyard_cooldowns_total', 'Cooldowns started, by deployment', ['model', 'deployment']),
  skips: counter('switchyard_deployment_skips_total', 'Candidates skipped without an attempt, by reason (cooling, rate_limited)', ['deployment', 'reason']),
  rateLimitRefusals: counter('switchyard_rate_limit_refusals_total', 'Requests refused by a rate limit, by scope and limit (requests, tokens, concurrent)', ['scope', 'limit']),

  alertDeliveries: counter('switchyard_alert_deliveries_total', 'Budget alert webhook deliveries by result (delivered, failed)', ['result']),
  storeFailures: counter('switchyard_store_failures_total', 'Failed calls to the state store; the fail_open / fail_closed policy decided what happened next', ['store']),
  storeUp: gauge('switchyard_store_up', '1 when the last call to the state store succeeded, 0 when it failed (absent until the store is used)', ['store']),
} as const;

/** Most distinct values one label keeps before the rest fold into `other`: a guard against unbounded series. */
export const MAX_LABEL_VALUES = 200;
const seen = new Map<string, Set<string>>();

/** `value` when the label has room (or already has it), else `other`. */
export function bounded(label: string, value: string): string {
  let values = seen.get(label);
  if (!values) seen.set(label, (values = new Set()));
  if (values.has(value)) return value;
  if (values.size >= MAX_LABEL_VALUES) return 'other';
  values.add(value);
  return value;
}

/** A family's child lookup, bound once: a call passes its label values straight through. */
const bind = <T>(metric: { labels(...values: string[]): T }): ((...values: string[]) => T) => metric.labels.bind(metric);

const f = families;
const requestsOf = bind(f.requests);
const errorsOf = bind(f.requestErrors);
const durationOf = bind(f.duration);
const ttftOf = bind(f.ttft);
const overheadOf = bind(f.overhead);
const tokensOf = bind(f.tokens);
const spendOf = bind(f.spend);
const savingsOf = bind(f.savings);
const costOf = bind(f.costPerRequest);
const decisionsOf = bind(f.routingDecisions);
const downgradesOf = bind(f.downgrades);
const yoloOf = bind(f.yoloPicks);
const clientOf = bind(f.client);
const refusalsOf = bind(f.budgetRefusals);
const attemptsOf = bind(f.attempts);
const retriesOf = bind(f.retries);
const fallbacksOf = bind(f.fallbacks);
const upstreamErrorsOf = bind(f.upstreamErrors);
const cooldownsOf = bind(f.cooldowns);
const skipsOf = bind(f.skips);
const rateLimitsOf = bind(f.rateLimitRefusals);
const deliveriesOf = bind(f.alertDeliveries);

/** What settle knows about a finished request beyond its record, already reduced to bounded label values. */
export interface SettledLabels {
  model: string;
  tier: string;
  team: string;
  key: string;
  costUsd?: number;
  savingsUsd?: number;
  decision?: { router: string; rule: string; tier: string; yolo: boolean; client: string };
  downgrade?: { router: string; from: string; to: string };
}

/** Records a finished request (called once, from the settle stage). */
export function recordRequestMetrics(record: RequestRecord, labels?: SettledLabels): void {
  const model = labels?.model ?? modelOf(record.deployment);
  const surface = record.surface;
  const now = performance.now();
  requestsOf(surface, model, statusLabel(record.status)).inc();
  if (record.errorCode !== undefined) errorsOf(surface, bounded('class', record.errorCode)).inc();
  durationOf(surface, model).observe((now - record.startedAt) / 1000);
  if (record.ttftMs !== undefined) ttftOf(surface, model).observe(record.ttftMs / 1000);
  if (record.dispatchMs !== undefined) {
    const responseStart = record.ttftMs ?? now - record.startedAt;
    overheadOf(surface).observe(Math.max(0, responseStart - record.dispatchMs) / 1000);
  }
  const usage = record.usage;
  if (usage) {
    if (usage.prompt_tokens) tokensOf(model, 'prompt').inc(usage.prompt_tokens);
    if (usage.completion_tokens) tokensOf(model, 'completion').inc(usage.completion_tokens);
  }
  if (!labels) return;
  if (labels.costUsd !== undefined) {
    spendOf(model, labels.tier, labels.team, labels.key).inc(labels.costUsd);
    costOf(model).observe(labels.costUsd);
  }
  if (labels.savingsUsd !== undefined) savingsOf(model, labels.tier, labels.team, labels.key).inc(labels.savingsUsd);
  const d = labels.decision;
  if (d) {
    decisionsOf(d.router, d.rule, d.tier).inc();
    clientOf(d.client, d.tier).inc();
    if (d.yolo) yoloOf(d.router, model).inc();
  }
  if (labels.downgrade) downgradesOf(labels.downgrade.router, labels.downgrade.from, labels.downgrade.to).inc();
}

const STATUS_LABELS = new Map<number, string>();
function statusLabel(status: number | undefined): string {
  const s = status ?? 0;
  let label = STATUS_LABELS.get(s);
  if (label === undefined) STATUS_LABELS.set(s, (label = String(s)));
  return label;
}

/** Records the outcome of a call to the shared store. */
export function recordStoreCall(store: string, failed: boolean): void {
  if (failed) f.storeFailures.labels(store).inc();
  f.storeUp.set({ store }, failed ? 0 : 1);
}

/** One upstream attempt ended: `outcome` is `ok` or the failure's error class. */
export function recordAttempt(model: string, deployment: string, outcome: string): void {
  attemptsOf(model, deployment, outcome).inc();
  if (outcome !== 'ok') upstreamErrorsOf(deployment, outcome).inc();
}

export const recordRetry = (deployment: string, reason: string): void => retriesOf(deployment, reason).inc();
export const recordFallback = (deployment: string, reason: string): void => fallbacksOf(deployment, reason).inc();
export const recordSkip = (deployment: string, reason: 'cooling' | 'rate_limited'): void => skipsOf(deployment, reason).inc();
export const recordBudgetRefusal = (scope: string, budget: string): void => refusalsOf(scope, bounded('budget', budget)).inc();
export const recordRateLimitRefusal = (scope: string, limit: string): void => rateLimitsOf(scope, limit).inc();
export const recordAlertDelivery = (delivered: boolean): void => deliveriesOf(delivered ? 'delivered' : 'failed').inc();

/** When each deployment's cooldown ends, as this instance last learned it (from its own failures or a check). */
const coolingUntil = new Map<string, number>();

/** A deployment started a cooldown (this instance's failure) or was found cooling (shared state). */
export function recordCooling(model: string, deployment: string, untilMs: number, started: boolean): void {
  if (started) cooldownsOf(model, deployment).inc();
  if ((coolingUntil.get(deployment) ?? 0) < untilMs) coolingUntil.set(deployment, untilMs);
}

/** Scrape-time sources the gateway registers once it runs (see metrics-sources.ts). */
export interface ScrapeSources {
  /** Configured deployments by model, so every one reports a cooling state (0 or 1). */
  deployments(): Iterable<{ model: string; id: string }>;
  /** The current window of each configured budget, read from the store. */
  budgets(): Promise<Array<{ budget: string; scope: string; window: string; spentUsd: number; limitUsd: number; resetsInS: number }>>;
  /** Live requests: surface, and whether a stream is being relayed. */
  live(): Iterable<{ surface: string; streaming: boolean }>;
}

let sources: ScrapeSources | undefined;

/** Installs what the scrape-time gauges read; the latest started gateway wins (one per process in production). */
export function setScrapeSources(next: ScrapeSources | undefined): void {
  sources = next;
}

function collectCooling(this: Gauge<'model' | 'deployment'>): void {
  if (!sources) return;
  this.reset();
  const now = Date.now();
  for (const d of sources.deployments()) this.labels(d.model, d.id).set((coolingUntil.get(d.id) ?? 0) > now ? 1 : 0);
}

async function collectBudgets(this: Gauge<'budget' | 'scope' | 'window'>): Promise<void> {
  if (!sources) return;
  let rows;
  try {
    rows = await sources.budgets();
  } catch {
    return; // the store is down: switchyard_store_up says so; the gauges keep their last values
  }
  for (const r of rows) {
    this.labels(r.budget, r.scope, r.window).set(r.spentUsd);
    families.budgetLimit.labels(r.budget, r.scope, r.window).set(r.limitUsd);
    families.budgetResetsIn.labels(r.budget, r.scope, r.window).set(r.resetsInS);
  }
}

/** Sets a per-surface gauge to the number of live requests that pass `keep` (0 for surfaces with none). */
function countLive(metric: Gauge<'surface'>, keep: (r: { streaming: boolean }) => boolean): void {
  if (!sources) return;
  const counts = new Map<string, number>(SURFACES.map((s) => [s, 0]));
  for (const r of sources.live()) if (keep(r)) counts.set(r.surface, (counts.get(r.surface) ?? 0) + 1);
  for (const [surface, n] of counts) metric.labels(surface).set(n);
}

/** The surfaces, so in-flight gauges report 0 rather than nothing. */
const SURFACES = ['openai.chat', 'openai.responses', 'anthropic.messages', 'anthropic.count_tokens'];

/** A deployment id (`name#index`) → its model name; `none` when no deployment served. */
export function modelOf(deployment: string | undefined): string {
  if (!deployment) return 'none';
  const hash = deployment.lastIndexOf('#');
  return hash < 0 ? deployment : deployment.slice(0, hash);
}
