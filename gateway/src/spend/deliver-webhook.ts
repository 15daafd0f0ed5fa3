import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import type { AlertTarget } from './budget-config.js';
import { recordAlertDelivery } from '../telemetry/metrics.js';

/** What an alert says, whatever the payload format. */
export interface BudgetAlert {
  type: 'budget.threshold';
  /** `hard` at 100 % (requests are being refused), `soft` past the soft threshold, else `info`. */
  level: 'info' | 'soft' | 'hard';
  budget: string;
  scope: string;
  subject: string;
  window: string;
  window_id: string;
  threshold: number;
  spent_usd: string;
  limit_usd: string;
  resets_at: string;
  at: string;
}

export interface DeliveryOptions {
  attempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
}

let failures = 0;

/** Webhook deliveries that failed every attempt since start. */
export function alertDeliveryFailures(): number {
  return failures;
}

/** The request body for a target's format: generic JSON, Slack (`text`) or Discord (`content`). */
export function alertBody(alert: BudgetAlert, format: AlertTarget['format']): string {
  if (format === 'json') return JSON.stringify(alert);
  const text =
    `Switchyard budget ${alert.level === 'hard' ? 'LIMIT REACHED' : 'alert'}: '${alert.budget}' (${alert.subject}) is at ` +
    `${Math.round(alert.threshold * 100)} %: $${alert.spent_usd} of $${alert.limit_usd} in the ${alert.window} window ${alert.window_id}; resets ${alert.resets_at}.`;
  return JSON.stringify(format === 'slack' ? { text } : { content: text });
}

/** `sha256=<hex>`: HMAC-SHA256 of the exact body with the shared secret. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/**
 * Posts an alert with retries and exponential backoff (2xx is success). Runs detached from any request; a
 * delivery that fails every attempt is logged and counted, never thrown.
 */
export async function deliverAlert(target: AlertTarget, alert: BudgetAlert, logger: Logger, opts: DeliveryOptions = {}): Promise<boolean> {
  const attempts = opts.attempts ?? 5;
  const base = opts.baseDelayMs ?? 500;
  const body = alertBody(alert, target.format);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'switchyard-alerts' };
  if (target.secret) headers['x-switchyard-signature'] = signBody(body, target.secret);
  let last = '';
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await sleep(base * 2 ** (i - 1) * (0.75 + Math.random() * 0.5));
    try {
      const res = await fetch(target.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
      await res.body?.cancel();
      if (res.ok) {
        recordAlertDelivery(true);
        return true;
      }
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
  }
  failures++;
  recordAlertDelivery(false);
  logger.error({ url: target.url, budget: alert.budget, threshold: alert.threshold, error: last, attempts }, 'budget alert delivery failed');
  return false;
}
