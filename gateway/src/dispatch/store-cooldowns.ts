import type { StateStore } from '../store/types.js';
import { cooldownAfterFailure, PROBE_LEASE_MS, type CooldownState, type Health } from './cooldowns.js';

/** The store operations cooldowns use. */
export type CooldownStore = Pick<StateStore, 'now' | 'hitWindow' | 'setFlag' | 'flagTtl' | 'once'>;

const OK: Health = Object.freeze({ state: 'ok' });
const MANY = Number.MAX_SAFE_INTEGER;
/** The store has no delete: a flag is cleared by giving it a TTL this short, and read as absent. */
const CLEARED_MS = 5;

/**
 * Cooldowns in the shared store, so every instance skips a failing deployment. A cooldown is a flag with a
 * TTL; a second, longer flag marks the half-open period after it, whose single probe is claimed with `once`.
 * A store that cannot be reached leaves every deployment usable (fail open) rather than failing requests.
 */
export function storeCooldowns(getStore: () => Promise<CooldownStore>, onError: (err: unknown) => void): CooldownState {
  // Probes this instance holds: only their outcome is written back, so healthy traffic costs no writes.
  const probing = new Set<string>();
  const guard = async <T>(fallback: T, fn: (store: CooldownStore) => Promise<T>): Promise<T> => {
    try {
      return await fn(await getStore());
    } catch (err) {
      onError(err);
      return fallback;
    }
  };
  const cool = async (store: CooldownStore, id: string, ms: number) => {
    await store.setFlag(`cool:${id}`, ms);
    await store.setFlag(`half:${id}`, ms + PROBE_LEASE_MS);
  };
  return {
    check: (id, now) =>
      guard<Health>(OK, async (store) => {
        const cooling = await store.flagTtl(`cool:${id}`);
        if (cooling > 0) return { state: 'cooling', untilMs: now + cooling };
        const halfOpen = await store.flagTtl(`half:${id}`);
        if (halfOpen <= CLEARED_MS) return OK;
        // Instances agree on the half-open period's end (store clock), so they race for the same probe key.
        const period = Math.round((store.now() + halfOpen) / 1000);
        if (!(await store.once(`probe:${id}:${period}`, store.now() + halfOpen))) return { state: 'cooling', untilMs: now + halfOpen };
        probing.add(id);
        return { state: 'probe' };
      }),
    fail: (id, now, policy, retryAfterMs) =>
      guard<number | undefined>(undefined, async (store) => {
        if (probing.delete(id)) {
          await cool(store, id, policy.cooldownMs);
          return now + policy.cooldownMs;
        }
        const hit = await store.hitWindow(`fails:${id}`, MANY, policy.windowMs, 1);
        const until = cooldownAfterFailure(hit.count, policy, now, retryAfterMs);
        if (until === undefined) return undefined;
        await cool(store, id, until - now);
        await store.hitWindow(`fails:${id}`, MANY, policy.windowMs, -hit.count);
        return until;
      }),
    peek: (id, now) =>
      guard<Health>(OK, async (store) => {
        const cooling = await store.flagTtl(`cool:${id}`);
        if (cooling > 0) return { state: 'cooling', untilMs: now + cooling };
        return (await store.flagTtl(`half:${id}`)) > CLEARED_MS ? { state: 'probe' } : OK;
      }),
    succeed: (id) => {
      if (!probing.delete(id)) return;
      return guard(undefined, async (store) => {
        await store.setFlag(`half:${id}`, CLEARED_MS);
      });
    },
  };
}
