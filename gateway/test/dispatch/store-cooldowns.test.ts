import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/dispatch/resilience-policy.js';
import { storeCooldowns } from '../../src/dispatch/store-cooldowns.js';
import { storeRateWindows } from '../../src/limits/store-rate-windows.js';
import { MemoryStore } from '../../src/store/memory-store.js';

const policy = { ...DEFAULT_POLICY.cooldown, failures: 2, cooldownMs: 50 };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('store-backed cooldowns (two instances, one store)', () => {
  it('cools on one instance, is seen by the other, and hands out a single half-open probe', async () => {
    const store = new MemoryStore();
    const errors: unknown[] = [];
    const one = storeCooldowns(async () => store, (e) => errors.push(e));
    const two = storeCooldowns(async () => store, (e) => errors.push(e));
    expect(await one.fail('d', Date.now(), policy)).toBeUndefined();
    expect(await one.fail('d', Date.now(), policy)).toBeGreaterThan(Date.now());
    expect((await two.check('d', Date.now())).state).toBe('cooling');
    await pause(70);
    const probes = [await one.check('d', Date.now()), await two.check('d', Date.now())].map((h) => h.state);
    expect(probes.sort()).toEqual(['cooling', 'probe']);
    // the probe succeeded: both instances use the deployment again
    await one.succeed('d');
    await two.succeed('d');
    expect((await one.check('d', Date.now())).state).toBe('ok');
    expect((await two.check('d', Date.now())).state).toBe('ok');
    expect(errors).toEqual([]);
  });

  it('fails open when the store is unreachable, and reports it', async () => {
    const errors: unknown[] = [];
    const down = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    const cooldowns = storeCooldowns(down, (e) => errors.push(e));
    const windows = storeRateWindows(down, (e) => errors.push(e));
    expect(await cooldowns.check('d', Date.now())).toEqual({ state: 'ok' });
    expect(await windows.hit('k', 1, 60_000, 5)).toMatchObject({ allowed: true });
    expect(await windows.acquire('c', 1)).toBe(true);
    expect(errors.length).toBe(3);
  });
});
