import { noteAlertSent } from '../console/console-state.js';
import type { Runtime } from '../server/runtime.js';
import type { StateStore } from '../store/types.js';
import type { AlertTarget } from './budget-config.js';
import { budgetsOf } from './budget-config.js';
import type { AppliedLimit } from './budget-scopes.js';
import { microsToUsd } from './compute-cost.js';
import { deliverAlert, type BudgetAlert } from './deliver-webhook.js';

// Thresholds this process already saw fire (or saw another instance fire), so settled requests skip the store.
const fired = new Set<string>();

/** `SWITCHYARD_ALERT_RETRY_MS` shortens the backoff between delivery attempts (tests). */
const retryBaseMs = () => Number(process.env.SWITCHYARD_ALERT_RETRY_MS) || undefined;

/**
 * Fires each alert threshold a budget has reached, once per target, threshold and window across every
 * instance (the store's alert-once marker decides), and delivers in the background.
 */
export async function checkAlerts(runtime: Runtime, store: StateStore, applied: readonly AppliedLimit[], levels: readonly number[], shown: readonly number[] = levels): Promise<void> {
  const targets = budgetsOf(runtime.config.extensions)?.alerts;
  if (!targets?.length) return;
  for (const [i, a] of applied.entries()) {
    const ratio = levels[i]! / a.limit.maxMicros;
    for (const [t, target] of targets.entries()) {
      for (const threshold of target.thresholds) {
        if (ratio < threshold) break;
        const marker = `alert|${t}|${threshold}|${a.counter.key}`;
        if (fired.has(marker)) continue;
        if (fired.size > 10_000) fired.clear();
        fired.add(marker);
        if (await store.once(marker, a.counter.expireAtMs)) send(runtime, target, alertFor(a, threshold, shown[i]!));
      }
    }
  }
}

function send(runtime: Runtime, target: AlertTarget, alert: BudgetAlert): void {
  noteAlertSent(runtime, target.url, target.format, alert, deliverAlert(target, alert, runtime.logger, { baseDelayMs: retryBaseMs() }));
}

function alertFor(a: AppliedLimit, threshold: number, spent: number): BudgetAlert {
  const { limit, window } = a;
  return {
    type: 'budget.threshold',
    level: threshold >= 1 ? 'hard' : spent >= limit.softMicros ? 'soft' : 'info',
    budget: limit.name,
    scope: limit.scope,
    subject: a.counter.key.split('|')[1]!,
    window: limit.window,
    window_id: window.id,
    threshold,
    spent_usd: microsToUsd(spent),
    limit_usd: microsToUsd(limit.maxMicros),
    resets_at: new Date(window.resetMs).toISOString(),
    at: new Date().toISOString(),
  };
}
