import { describe, expect, it } from 'vitest';
import { compileBudgets } from '../../src/spend/budget-config.js';
import { applicableLimits, chargeeOf } from '../../src/spend/budget-scopes.js';

const { limits } = compileBudgets({
  global: { daily_usd: 10 },
  teams: { core: { monthly_usd: 100 } },
  keys: { ci: { daily_usd: 1 } },
  each_user: { weekly_usd: 5 },
}).budgets!;

describe('budget scopes', () => {
  it('applies global, the matching team and key alias, and each user on their own', () => {
    const now = Date.UTC(2026, 10, 23, 12);
    const who = chargeeOf({ keyId: 'key_1', alias: 'ci', team: 'core' }, 'ann', 'ignored-header-user');
    expect(who.user).toBe('ann');
    expect(applicableLimits(limits, who, now).map((a) => a.counter.key)).toEqual([
      'global:daily|all|2026-11-23',
      'team:core:monthly|core|2026-11',
      'key:ci:daily|key_1|2026-11-23',
      'user:weekly|ann|2026-11-23',
    ]);
    const other = applicableLimits(limits, chargeeOf({ keyId: 'key_2', team: 'ops' }, undefined, 'bob'), now);
    expect(other.map((a) => a.limit.name)).toEqual(['global:daily', 'user:weekly']);
    expect(other[1]!.counter.key).toBe('user:weekly|bob|2026-11-23');
  });

  it('moves to a fresh counter when the window rolls over', () => {
    const before = applicableLimits(limits, { keyId: 'k' }, Date.UTC(2026, 10, 23, 23, 59, 59, 999))[0]!;
    const after = applicableLimits(limits, { keyId: 'k' }, Date.UTC(2026, 10, 24))[0]!;
    expect(before.counter.key).toBe('global:daily|all|2026-11-23');
    expect(after.counter.key).toBe('global:daily|all|2026-11-24');
    expect(before.counter.expireAtMs).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 24));
    expect(after.window.resetMs).toBe(Date.UTC(2026, 10, 25));
  });
});
