import { describe, expect, it } from 'vitest';
import { windowAt } from '../../src/spend/budget-window.js';

describe('budget windows', () => {
  it('cuts days, ISO weeks and months in UTC', () => {
    const t = Date.UTC(2026, 10, 25, 13, 30); // Wednesday 25 Nov 2026
    expect(windowAt('daily', 'UTC', t)).toEqual({ id: '2026-11-25', startMs: Date.UTC(2026, 10, 25), resetMs: Date.UTC(2026, 10, 26) });
    expect(windowAt('weekly', 'UTC', t)).toEqual({ id: '2026-11-23', startMs: Date.UTC(2026, 10, 23), resetMs: Date.UTC(2026, 10, 30) });
    expect(windowAt('monthly', 'UTC', t)).toEqual({ id: '2026-11', startMs: Date.UTC(2026, 10, 1), resetMs: Date.UTC(2026, 11, 1) });
    expect(windowAt('monthly', 'UTC', Date.UTC(2026, 11, 31, 23)).resetMs).toBe(Date.UTC(2027, 0, 1));
  });

  it('follows the configured time zone, across a DST change', () => {
    // 23:30 UTC on 24 Oct is already 25 Oct in Berlin (UTC+2), the day clocks go back
    const t = Date.UTC(2026, 9, 24, 23, 30);
    const day = windowAt('daily', 'Europe/Berlin', t);
    expect(day.id).toBe('2026-10-25');
    expect(day.startMs).toBe(Date.UTC(2026, 9, 24, 22));
    expect(day.resetMs).toBe(Date.UTC(2026, 9, 25, 23)); // a 25-hour day
    expect(windowAt('daily', 'UTC', t).id).toBe('2026-10-24');
  });

  it('rolls over exactly at the boundary', () => {
    const reset = windowAt('daily', 'America/New_York', Date.UTC(2026, 0, 15, 12)).resetMs;
    expect(windowAt('daily', 'America/New_York', reset - 1).id).toBe('2026-01-15');
    expect(windowAt('daily', 'America/New_York', reset).id).toBe('2026-01-16');
  });
});
