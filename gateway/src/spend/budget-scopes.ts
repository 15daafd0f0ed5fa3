import type { KeyBudgets, Principal } from '../auth/authenticate.js';
import type { CounterRef } from '../store/types.js';
import type { BudgetLimit } from './budget-config.js';
import { windowAt, type BudgetWindow } from './budget-window.js';
import { usdToMicros } from './compute-cost.js';

/** Who a request is charged to, for picking its budgets. */
export interface Chargee {
  keyId: string;
  /** A virtual key's own caps (scope key, matched to this key). */
  ownLimits?: readonly BudgetLimit[];
  keyAlias?: string;
  team?: string;
  user?: string;
}

/** A limit that applies to a request, with its store counter for the current window. */
export interface AppliedLimit {
  limit: BudgetLimit;
  counter: CounterRef & { limit: number };
  window: BudgetWindow;
}

// Keys outlive their window a little so an instance whose clock lags still finds the counter it writes to.
const EXPIRY_GRACE_MS = 60_000;
const windowCache = new Map<string, BudgetWindow>();

function cachedWindow(limit: BudgetLimit, now: number): BudgetWindow {
  const cacheKey = `${limit.window}|${limit.timeZone}`;
  const cached = windowCache.get(cacheKey);
  if (cached && now >= cached.startMs && now < cached.resetMs) return cached;
  const fresh = windowAt(limit.window, limit.timeZone, now);
  windowCache.set(cacheKey, fresh);
  return fresh;
}

/** The entity a limit is about for this request, or undefined when the limit does not apply to it. */
function subjectOf(limit: BudgetLimit, who: Chargee): string | undefined {
  switch (limit.scope) {
    case 'global':
      return 'all';
    case 'team':
      return who.team !== undefined && (limit.match === undefined || limit.match === who.team) ? who.team : undefined;
    case 'key':
      if (limit.match === undefined) return who.keyId;
      return limit.match === who.keyAlias || limit.match === who.keyId ? who.keyId : undefined;
    case 'user':
      return who.user !== undefined && (limit.match === undefined || limit.match === who.user) ? who.user : undefined;
  }
}

/** Every limit that applies to the chargee, with its counter in the window that contains `now`. */
export function applicableLimits(limits: readonly BudgetLimit[], who: Chargee, now: number): AppliedLimit[] {
  const out: AppliedLimit[] = [];
  for (const limit of who.ownLimits ? [...limits, ...who.ownLimits] : limits) {
    const subject = subjectOf(limit, who);
    if (subject === undefined) continue;
    const window = cachedWindow(limit, now);
    out.push({
      limit,
      window,
      counter: { key: `${limit.name}|${subject}|${window.id}`, limit: limit.maxMicros, expireAtMs: window.resetMs + EXPIRY_GRACE_MS },
    });
  }
  return out;
}

/** The chargee of a request: the principal, with the user from the key, else the request's `user` or header. */
export function chargeeOf(principal: Principal | undefined, requestUser: string | undefined, headerUser: string | undefined): Chargee {
  const user = principal?.user ?? requestUser ?? headerUser;
  const own = principal?.budgetsUsd && keyLimits(principal.keyId, principal.budgetsUsd);
  return {
    keyId: principal?.keyId ?? 'anonymous',
    ...(own?.length ? { ownLimits: own } : {}),
    ...(principal?.alias ? { keyAlias: principal.alias } : {}),
    ...(principal?.team ? { team: principal.team } : {}),
    ...(user ? { user } : {}),
  };
}

const ownLimitsCache = new WeakMap<KeyBudgets, BudgetLimit[]>();

/** A virtual key's own caps as limits (UTC windows, soft at 80 %), built once per looked-up key. */
function keyLimits(keyId: string, caps: KeyBudgets): BudgetLimit[] {
  let limits = ownLimitsCache.get(caps);
  if (!limits) {
    limits = (['daily', 'weekly', 'monthly'] as const).flatMap((window) => {
      const usd = caps[`${window}_usd`];
      if (!usd) return [];
      const maxMicros = usdToMicros(usd);
      return [{ name: `key:${keyId}:${window}`, scope: 'key' as const, match: keyId, window, maxMicros, softMicros: Math.floor(maxMicros * 0.8), timeZone: 'UTC' }];
    });
    ownLimitsCache.set(caps, limits);
  }
  return limits;
}
