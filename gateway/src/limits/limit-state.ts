import type { Runtime } from '../server/runtime.js';
import { noteStoreCall, storeOf } from '../spend/runtime-store.js';
import { memoryRateWindows, type RateWindows } from './rate-windows.js';
import { storeRateWindows } from './store-rate-windows.js';

const states = new WeakMap<Runtime, RateWindows>();

/**
 * The runtime's rate windows, created on first use: in the Redis store when the config has one (so every
 * instance counts against one limit), else in this process.
 */
export function rateWindowsOf(runtime: Runtime): RateWindows {
  let windows = states.get(runtime);
  if (!windows) {
    windows = runtime.config.store.kind === 'redis'
      ? storeRateWindows(() => storeOf(runtime), throttledWarn(runtime, 'rate-limit store unreachable; limits not enforced (fail open)'))
      : memoryRateWindows();
    states.set(runtime, windows);
  }
  return windows;
}

/** Installs the rate windows a runtime uses. */
export function setRateWindows(runtime: Runtime, windows: RateWindows): void {
  states.set(runtime, windows);
}

/** Reports a store failure to /health, and logs it at most every 10 s so an outage does not flood the log. */
export function throttledWarn(runtime: Runtime, message: string): (err: unknown) => void {
  let last = 0;
  return (err) => {
    noteStoreCall(runtime, err);
    const now = Date.now();
    if (now - last < 10_000) return;
    last = now;
    runtime.logger.warn({ err }, message);
  };
}
