import type { Runtime } from '../server/runtime.js';
import type { BudgetAlert } from '../spend/deliver-webhook.js';
import { RequestRing } from './request-ring.js';
import { TrafficStats } from './traffic-stats.js';

/** Requests the console keeps (`SWITCHYARD_CONSOLE_REQUESTS` overrides). */
const DEFAULT_RING = 1000;
const ALERTS_KEPT = 100;

export interface SentAlert {
  alert: BudgetAlert;
  /** The webhook's host only: its path or query may carry a token. */
  target: string;
  format: string;
  delivered?: boolean;
}

/** What the web console reads about live traffic, kept in this process only (lost on restart). */
export interface ConsoleState {
  requests: RequestRing;
  stats: TrafficStats;
  alerts: SentAlert[];
}

const states = new WeakMap<Runtime, ConsoleState>();

/** The runtime's console state, created on first use; it outlives config reloads. */
export function consoleStateOf(runtime: Runtime): ConsoleState {
  let state = states.get(runtime);
  if (!state) {
    const size = Number(process.env.SWITCHYARD_CONSOLE_REQUESTS);
    state = { requests: new RequestRing(Number.isInteger(size) && size > 0 ? size : DEFAULT_RING), stats: new TrafficStats(), alerts: [] };
    states.set(runtime, state);
  }
  return state;
}

/** Notes an alert webhook sent (newest first, bounded); the delivery outcome fills in when known. */
export function noteAlertSent(runtime: Runtime, url: string, format: string, alert: BudgetAlert, delivery: Promise<boolean>): void {
  const alerts = consoleStateOf(runtime).alerts;
  let target = 'webhook';
  try {
    target = new URL(url).host;
  } catch {
    // an unparsable URL is rejected at config load; keep the placeholder
  }
  const sent: SentAlert = { alert, target, format };
  alerts.unshift(sent);
  if (alerts.length > ALERTS_KEPT) alerts.length = ALERTS_KEPT;
  void delivery.then((ok) => {
    sent.delivered = ok;
  });
}
