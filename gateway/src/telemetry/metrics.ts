import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestRecord } from './request-log.js';

/**
 * The gateway's Prometheus metrics, one typed table with bounded labels: `surface` is one of the gateway's
 * APIs, `model` a model name from the config (never what a client typed), `status` an HTTP status.
 */
export const registry = new Registry();

const requests = new Counter({
  name: 'switchyard_requests_total',
  help: 'Requests by surface, model served and HTTP status',
  labelNames: ['surface', 'model', 'status'] as const,
  registers: [registry],
});
const duration = new Histogram({
  name: 'switchyard_request_duration_seconds',
  help: 'Time from request start to the end of the answer',
  labelNames: ['surface', 'model'] as const,
  buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  registers: [registry],
});
const ttft = new Histogram({
  name: 'switchyard_time_to_first_token_seconds',
  help: 'Time to the first streamed chunk',
  labelNames: ['surface', 'model'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  registers: [registry],
});
const tokens = new Counter({
  name: 'switchyard_tokens_total',
  help: 'Tokens by model and direction (prompt, completion), as the upstream reported them',
  labelNames: ['model', 'direction'] as const,
  registers: [registry],
});
const storeFailures = new Counter({
  name: 'switchyard_store_failures_total',
  help: 'Failed calls to the state store; the fail_open / fail_closed policy decided what happened next',
  labelNames: ['store'] as const,
  registers: [registry],
});
const storeUp = new Gauge({
  name: 'switchyard_store_up',
  help: '1 when the last call to the state store succeeded, 0 when it failed (absent until the store is used)',
  labelNames: ['store'] as const,
  registers: [registry],
});

/** Records a finished request (called once, from the settle stage). */
export function recordRequestMetrics(record: RequestRecord): void {
  const model = modelOf(record.deployment);
  requests.inc({ surface: record.surface, model, status: String(record.status ?? 0) });
  duration.observe({ surface: record.surface, model }, (performance.now() - record.startedAt) / 1000);
  if (record.ttftMs !== undefined) ttft.observe({ surface: record.surface, model }, record.ttftMs / 1000);
  const usage = record.usage;
  if (usage) {
    if (usage.prompt_tokens) tokens.inc({ model, direction: 'prompt' }, usage.prompt_tokens);
    if (usage.completion_tokens) tokens.inc({ model, direction: 'completion' }, usage.completion_tokens);
  }
}

/** Records the outcome of a call to the shared store. */
export function recordStoreCall(store: string, failed: boolean): void {
  if (failed) storeFailures.inc({ store });
  storeUp.set({ store }, failed ? 0 : 1);
}

/** A deployment id (`name#index`) → its model name; `none` when no deployment served. */
function modelOf(deployment: string | undefined): string {
  if (!deployment) return 'none';
  const hash = deployment.lastIndexOf('#');
  return hash < 0 ? deployment : deployment.slice(0, hash);
}
