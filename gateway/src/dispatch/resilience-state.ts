import type { Runtime } from '../server/runtime.js';
import { deploymentGate } from '../limits/deployment-gate.js';
import { rateWindowsOf, throttledWarn } from '../limits/limit-state.js';
import { storeOf } from '../spend/runtime-store.js';
import { memoryCooldowns } from './cooldowns.js';
import { storeCooldowns } from './store-cooldowns.js';
import type { ResilienceState } from './plan-route.js';

const states = new WeakMap<Runtime, ResilienceState>();

/**
 * The runtime's resilience state, created on first use: cooldowns in the Redis store when the config has one
 * (so every instance skips a failing deployment), else in this process. It outlives config reloads.
 */
export function resilienceStateOf(runtime: Runtime): ResilienceState {
  let state = states.get(runtime);
  if (!state) {
    const cooldowns = runtime.config.store.kind === 'redis'
      ? storeCooldowns(() => storeOf(runtime), throttledWarn(runtime, 'cooldown store unreachable; deployments not skipped (fail open)'))
      : memoryCooldowns();
    state = { cooldowns, gate: deploymentGate(rateWindowsOf(runtime)) };
    states.set(runtime, state);
  }
  return state;
}

/** Replaces parts of the runtime's state (e.g. store-backed cooldowns, deployment limits). */
export function setResilienceState(runtime: Runtime, patch: Partial<ResilienceState>): void {
  states.set(runtime, { ...resilienceStateOf(runtime), ...patch });
}
