import { storeOf } from '../spend/runtime-store.js';
import type { Runtime } from './runtime.js';

const draining = new WeakSet<Runtime>();
/** A readiness probe must answer well inside a balancer's check timeout, even when Redis hangs. */
const PING_TIMEOUT_MS = 1000;

/** From now on the instance refuses readiness, so balancers stop sending it new work while it drains. */
export function markDraining(runtime: Runtime): void {
  draining.add(runtime);
}

export interface Readiness {
  ready: boolean;
  /** `ready`, `draining` (shutting down) or `store_unreachable`. */
  status: 'ready' | 'draining' | 'store_unreachable';
  store: Runtime['config']['store']['kind'];
  error?: string;
}

/**
 * Whether this instance should receive traffic: not while it drains for shutdown, and not while a Redis store
 * cannot be reached (another instance that can reach it enforces budgets and limits; this one could not).
 */
export async function checkReadiness(runtime: Runtime): Promise<Readiness> {
  const store = runtime.config.store.kind;
  if (draining.has(runtime)) return { ready: false, status: 'draining', store };
  if (store !== 'redis') return { ready: true, status: 'ready', store };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
  });
  try {
    await Promise.race([storeOf(runtime).then((s) => s.ping()), timeout]);
    return { ready: true, status: 'ready', store };
  } catch (err) {
    return { ready: false, status: 'store_unreachable', store, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}
