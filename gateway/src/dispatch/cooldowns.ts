import type { CooldownPolicy } from './resilience-policy.js';

/** Where a deployment stands: usable, cooling down until a time, or cooled down and due a single probe. */
export type Health = { state: 'ok' } | { state: 'cooling'; untilMs: number } | { state: 'probe' };

/**
 * Shared cooldown state (issue 7: in the store so every instance skips a failing deployment). Methods are
 * async so a Redis implementation fits; the in-memory one answers at once.
 */
export interface CooldownState {
  /** The deployment's health now; `probe` is handed to one caller per cooldown end (half-open). */
  check(deploymentId: string, nowMs: number): Health | Promise<Health>;
  /** Records a failure; returns the cooldown end when this failure started a cooldown. */
  fail(deploymentId: string, nowMs: number, policy: CooldownPolicy, retryAfterMs?: number): number | undefined | Promise<number | undefined>;
  /** Records a success; a half-open probe's success clears the cooldown and the failure count. */
  succeed(deploymentId: string): void | Promise<void>;
  /** The deployment's health without claiming a probe (for the web console); `probe` means half-open. */
  peek?(deploymentId: string, nowMs: number): Health | Promise<Health>;
}

interface Entry {
  failures: number[];
  untilMs: number;
  /** When the half-open probe was handed out (0: none): a probe that never reports back expires. */
  probeAt: number;
}

/** How long a handed-out probe holds the other callers off. */
export const PROBE_LEASE_MS = 30_000;
const OK: Health = Object.freeze({ state: 'ok' });

/** The cooldown decision, pure: should this failure start a cooldown, and until when? */
export function cooldownAfterFailure(recentFailures: number, policy: CooldownPolicy, nowMs: number, retryAfterMs?: number): number | undefined {
  if (retryAfterMs !== undefined && retryAfterMs >= policy.longRetryAfterMs) return nowMs + retryAfterMs;
  if (recentFailures >= policy.failures) return nowMs + policy.cooldownMs;
  return undefined;
}

/** CooldownState answered synchronously (the in-process implementation). */
export interface MemoryCooldowns extends CooldownState {
  check(deploymentId: string, nowMs: number): Health;
  fail(deploymentId: string, nowMs: number, policy: CooldownPolicy, retryAfterMs?: number): number | undefined;
  succeed(deploymentId: string): void;
}

/** Cooldowns held in this process. */
export function memoryCooldowns(): MemoryCooldowns {
  const entries = new Map<string, Entry>();
  return {
    check(id, now) {
      const e = entries.get(id);
      if (!e || e.untilMs === 0) return OK;
      if (now < e.untilMs) return { state: 'cooling', untilMs: e.untilMs };
      if (e.probeAt !== 0 && now - e.probeAt < PROBE_LEASE_MS) return { state: 'cooling', untilMs: e.probeAt + PROBE_LEASE_MS };
      e.probeAt = now;
      return { state: 'probe' };
    },
    fail(id, now, policy, retryAfterMs) {
      let e = entries.get(id);
      if (!e) entries.set(id, (e = { failures: [], untilMs: 0, probeAt: 0 }));
      // A failed probe reopens the cooldown at once.
      const probeFailed = e.probeAt !== 0;
      e.failures = e.failures.filter((t) => t > now - policy.windowMs);
      e.failures.push(now);
      const until = probeFailed ? now + policy.cooldownMs : cooldownAfterFailure(e.failures.length, policy, now, retryAfterMs);
      if (until === undefined) return undefined;
      e.untilMs = until;
      e.probeAt = 0;
      e.failures = [];
      return until;
    },
    peek(id, now) {
      const e = entries.get(id);
      if (!e || e.untilMs === 0) return OK;
      return now < e.untilMs ? { state: 'cooling', untilMs: e.untilMs } : { state: 'probe' };
    },
    succeed(id) {
      // Only a probe's success ends the story: other successes leave the failure count to its window, so a
      // deployment failing often (not only in a row) still cools down, as with the store-backed state.
      if (entries.get(id)?.probeAt) entries.delete(id);
    },
  };
}
