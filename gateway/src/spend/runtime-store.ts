import { recordStoreCall } from '../telemetry/metrics.js';
import type { Runtime } from '../server/runtime.js';
import { openStore } from '../store/open-store.js';
import type { StateStore } from '../store/types.js';

const stores = new WeakMap<Runtime, Promise<StateStore>>();

/** How the budget store has been doing, for `/health` and logs. */
export interface StoreHealth {
  /** `ok`, `unreachable` (the last call failed) or `unused` (no budget has needed it yet). */
  state: 'ok' | 'unreachable' | 'unused';
  /** Calls that failed since start (the failure policy was applied to each). */
  failures: number;
  lastError?: string;
}

const health = new WeakMap<Runtime, StoreHealth>();

/**
 * The runtime's state store, opened on first use (so a gateway without budgets never touches the data
 * directory). A store that failed to open is retried on the next call.
 */
export function storeOf(runtime: Runtime): Promise<StateStore> {
  let store = stores.get(runtime);
  if (!store) {
    store = openStore(runtime.config.store);
    stores.set(runtime, store);
    store.catch(() => stores.delete(runtime));
  }
  return store;
}

/** Records a store call's outcome for `storeHealth`. */
export function noteStoreCall(runtime: Runtime, error?: unknown): void {
  const h = health.get(runtime) ?? { state: 'unused', failures: 0 };
  recordStoreCall(runtime.config.store.kind, error !== undefined);
  if (error === undefined) {
    if (h.state !== 'ok') health.set(runtime, { state: 'ok', failures: h.failures, ...(h.lastError ? { lastError: h.lastError } : {}) });
    return;
  }
  health.set(runtime, { state: 'unreachable', failures: h.failures + 1, lastError: error instanceof Error ? error.message : String(error) });
}

/** The budget store's health as last observed. */
export function storeHealth(runtime: Runtime): StoreHealth {
  return health.get(runtime) ?? { state: 'unused', failures: 0 };
}

/** Closes the runtime's store if it was opened (gateway shutdown). */
export async function closeStoreOf(runtime: Runtime): Promise<void> {
  const store = stores.get(runtime);
  stores.delete(runtime);
  if (store) await store.then((s) => s.close(), () => {});
}
