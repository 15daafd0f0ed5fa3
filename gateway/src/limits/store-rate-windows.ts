import type { StateStore } from '../store/types.js';
import type { RateWindows, WindowHit } from './rate-windows.js';

/** The store operation rate windows use. */
export type WindowStore = Pick<StateStore, 'hitWindow'>;

/** A concurrency slot counter outlives no request by more than this, should an instance die holding slots. */
const SLOT_TTL_MS = 10 * 60_000;
const MANY = Number.MAX_SAFE_INTEGER;

/**
 * Rate windows in the shared store (a Lua fixed window in Redis), so every instance counts against one limit.
 * When the store cannot be reached the request is let through (fail open) and the error reported.
 */
export function storeRateWindows(getStore: () => Promise<WindowStore>, onError: (err: unknown) => void): RateWindows {
  const open = (windowMs: number): WindowHit => ({ allowed: true, count: 0, resetInMs: windowMs });
  return {
    async hit(key, limit, windowMs, cost) {
      try {
        return await (await getStore()).hitWindow(`rl:${key}`, limit, windowMs, cost);
      } catch (err) {
        onError(err);
        return open(windowMs);
      }
    },
    async acquire(key, limit) {
      try {
        return (await (await getStore()).hitWindow(`slot:${key}`, limit, SLOT_TTL_MS, 1)).allowed;
      } catch (err) {
        onError(err);
        return true;
      }
    },
    async release(key) {
      try {
        await (await getStore()).hitWindow(`slot:${key}`, MANY, SLOT_TTL_MS, -1);
      } catch (err) {
        onError(err);
      }
    },
  };
}
