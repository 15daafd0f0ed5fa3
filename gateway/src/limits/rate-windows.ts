/** The outcome of counting against a window. */
export interface WindowHit {
  allowed: boolean;
  /** The window's count after this hit (before it, when refused). */
  count: number;
  resetInMs: number;
}

/**
 * Fixed-window counters for rate limits (issue 7: in the store, so instances share them). Async-capable so
 * a Redis implementation fits; the in-memory one answers at once.
 */
export interface RateWindows {
  /** Adds `cost` to the current window of `key` unless that would pass `limit`. */
  hit(key: string, limit: number, windowMs: number, cost: number): WindowHit | Promise<WindowHit>;
  /** Concurrency: takes a slot of `key` unless `limit` are taken. */
  acquire(key: string, limit: number): boolean | Promise<boolean>;
  release(key: string): void | Promise<void>;
}

interface Window {
  startMs: number;
  count: number;
}

/** RateWindows answered synchronously (the in-process implementation). */
export interface MemoryRateWindows extends RateWindows {
  hit(key: string, limit: number, windowMs: number, cost: number): WindowHit;
  acquire(key: string, limit: number): boolean;
  release(key: string): void;
}

/** Rate windows held in this process. */
export function memoryRateWindows(now: () => number = Date.now): MemoryRateWindows {
  const windows = new Map<string, Window>();
  const slots = new Map<string, number>();
  return {
    hit(key, limit, windowMs, cost) {
      const t = now();
      let w = windows.get(key);
      // A window opens at its first hit and lasts windowMs (as a Redis key with a TTL does).
      if (!w || t >= w.startMs + windowMs) {
        if (windows.size > 10_000) sweep(windows, t - windowMs);
        windows.set(key, (w = { startMs: t, count: 0 }));
      }
      const resetInMs = w.startMs + windowMs - t;
      if (cost > 0 && w.count + cost > limit) return { allowed: false, count: w.count, resetInMs };
      w.count = Math.max(0, w.count + cost);
      return { allowed: true, count: w.count, resetInMs };
    },
    acquire(key, limit) {
      const n = slots.get(key) ?? 0;
      if (n >= limit) return false;
      slots.set(key, n + 1);
      return true;
    },
    release(key) {
      const n = (slots.get(key) ?? 1) - 1;
      if (n <= 0) slots.delete(key);
      else slots.set(key, n);
    },
  };
}

// Windows of keys that went quiet are dropped so the map stays bounded.
function sweep(windows: Map<string, Window>, before: number): void {
  for (const [key, w] of windows) if (w.startMs <= before) windows.delete(key);
}
