import { describe, expect, it } from 'vitest';
import { compileBudgets } from '../../src/spend/budget-config.js';

describe('budgets config', () => {
  it('compiles the short and the long form into limits in micro-dollars', () => {
    const { budgets, diagnostics } = compileBudgets({
      time_zone: 'Europe/Berlin',
      global: { daily_usd: 20, monthly_usd: 300 },
      teams: { core: { weekly_usd: 50, soft_threshold: 0.5 } },
      each_user: { daily_usd: 2 },
      limits: [{ name: 'ci-key', scope: 'key', match: 'ci', window: 'monthly', max_usd: 10, time_zone: 'UTC' }],
    });
    expect(diagnostics).toEqual([]);
    expect(budgets!.limits).toEqual([
      { name: 'global:daily', scope: 'global', window: 'daily', maxMicros: 20_000_000, softMicros: 16_000_000, timeZone: 'Europe/Berlin' },
      { name: 'global:monthly', scope: 'global', window: 'monthly', maxMicros: 300_000_000, softMicros: 240_000_000, timeZone: 'Europe/Berlin' },
      { name: 'team:core:weekly', scope: 'team', match: 'core', window: 'weekly', maxMicros: 50_000_000, softMicros: 25_000_000, timeZone: 'Europe/Berlin' },
      { name: 'user:daily', scope: 'user', window: 'daily', maxMicros: 2_000_000, softMicros: 1_600_000, timeZone: 'Europe/Berlin' },
      { name: 'ci-key', scope: 'key', match: 'ci', window: 'monthly', maxMicros: 10_000_000, softMicros: 8_000_000, timeZone: 'UTC' },
    ]);
    expect(budgets).toMatchObject({ unpriced: { kind: 'block' }, exemptFree: true, failOpen: false });
  });

  it('names the path of every mistake', () => {
    const { budgets, diagnostics } = compileBudgets({ global: { dayly_usd: 1 }, time_zone: 'Mars/Olympus', limits: [{ scope: 'org', window: 'daily', max_usd: -1 }] });
    expect(budgets).toBeUndefined();
    const at = Object.fromEntries(diagnostics.map((d) => [d.path, d.message]));
    expect(at['budgets.global.dayly_usd']).toMatch(/did you mean "daily_usd"/);
    expect(at['budgets.time_zone']).toMatch(/unknown time zone/);
    expect(at['budgets.limits[0].scope']).toMatch(/"global", "team", "key", "user"/);
    expect(at['budgets.limits[0].max_usd']).toBeDefined();
    expect(compileBudgets({ unpriced: 'default_price' }).diagnostics[0]).toMatchObject({ path: 'budgets.default_price' });
  });

  it("maps LiteLLM's max_budget and budget_duration onto a global budget", () => {
    expect(compileBudgets(undefined, { max_budget: 25, budget_duration: '30d' }).budgets!.limits).toEqual([
      { name: 'litellm:max_budget', scope: 'global', window: 'monthly', maxMicros: 25_000_000, softMicros: 20_000_000, timeZone: 'UTC' },
    ]);
    const odd = compileBudgets(undefined, { max_budget: 5, budget_duration: '12h' });
    expect(odd.budgets!.limits[0]!.window).toBe('daily');
    expect(odd.diagnostics[0]).toMatchObject({ severity: 'warning', path: 'litellm_settings.budget_duration' });
    expect(compileBudgets(undefined, {}).budgets).toBeUndefined();
  });
});
