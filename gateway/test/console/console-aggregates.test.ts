import { describe, expect, it } from 'vitest';
import { RequestRing, type RequestEntry } from '../../src/console/request-ring.js';
import { TrafficStats } from '../../src/console/traffic-stats.js';
import { memoryCooldowns } from '../../src/dispatch/cooldowns.js';

const entry = (i: number, tier?: string): RequestEntry => ({ id: `r${i}`, at: i, surface: 'openai.chat', tier, costMicros: i, savingsMicros: 0, latencyMs: 1, status: 200, fallbacks: 0 });

describe('request ring', () => {
  it('keeps the newest entries, newest first, in a fixed number of slots', () => {
    const ring = new RequestRing(3);
    expect(ring.recent(10)).toEqual([]);
    for (let i = 1; i <= 5; i++) ring.push(entry(i, i % 2 ? 'cheap' : 'premium'));
    expect(ring.recent(10).map((e) => e.id)).toEqual(['r5', 'r4', 'r3']);
    expect(ring.recent(2).map((e) => e.id)).toEqual(['r5', 'r4']);
    expect(ring.recent(10, (e) => e.tier === 'cheap').map((e) => e.id)).toEqual(['r5', 'r3']);
    expect(ring.total).toBe(5);
  });
});

describe('traffic stats', () => {
  const MIN = 60_000;
  const at = 1_000 * MIN;

  it('counts requests, errors and tiers per minute and keeps an hour', () => {
    const stats = new TrafficStats();
    stats.record({ at, status: 200, latencyMs: 10, costMicros: 5, savingsMicros: 7, tier: 'cheap', ruleKey: 'auto/simple', deployment: 'a#0' });
    stats.record({ at: at + 1000, status: 502, latencyMs: 20, costMicros: 0, savingsMicros: 0, deployment: 'a#0', error: 'upstream_error' });
    stats.record({ at: at + MIN, status: 429, latencyMs: 1, costMicros: 0, savingsMicros: 0, tier: 'premium', ruleKey: 'auto/simple' });
    const series = stats.series(at + MIN, 2);
    expect(series).toEqual([
      { t: at, requests: 2, client_errors: 0, server_errors: 1, cost_micros: 5, savings_micros: 7, tiers: { cheap: 1 } },
      { t: at + MIN, requests: 1, client_errors: 1, server_errors: 0, cost_micros: 0, savings_micros: 0, tiers: { premium: 1 } },
    ]);
    expect(stats.ruleHits.get('auto/simple')).toBe(2);
    expect(stats.deployments.get('a#0')).toMatchObject({ requests: 2, errors: 1, lastStatus: 502, lastError: 'upstream_error' });
    // an hour later the minute's bucket is reused, not summed into
    stats.record({ at: at + 60 * MIN, status: 200, latencyMs: 1, costMicros: 1, savingsMicros: 0 });
    expect(stats.series(at + 60 * MIN, 60)[0]!.requests).toBe(1);
    expect(stats.series(at + 60 * MIN, 60).at(-1)!.requests).toBe(1);
  });

  it('estimates latency percentiles to within a histogram bin', () => {
    const stats = new TrafficStats();
    for (let ms = 1; ms <= 100; ms++) stats.record({ at, status: 200, latencyMs: ms, costMicros: 0, savingsMicros: 0 });
    const [p50, p95] = stats.latencyPercentiles(at, 15, [0.5, 0.95]);
    expect(p50).toBeGreaterThanOrEqual(50);
    expect(p50).toBeLessThanOrEqual(50 * 1.1);
    expect(p95).toBeGreaterThanOrEqual(95);
    expect(p95).toBeLessThanOrEqual(95 * 1.1);
    expect(stats.latencyPercentiles(at + 30 * MIN, 15, [0.5])).toEqual([undefined]);
  });
});

describe('cooldown peek', () => {
  it('reports a cooldown without handing out the half-open probe', () => {
    const cooldowns = memoryCooldowns();
    const policy = { failures: 1, windowMs: 60_000, cooldownMs: 5_000, longRetryAfterMs: 60_000, waitMs: 0 };
    cooldowns.fail('d#0', 0, policy);
    expect(cooldowns.peek!('d#0', 1_000)).toEqual({ state: 'cooling', untilMs: 5_000 });
    expect(cooldowns.peek!('d#0', 6_000)).toEqual({ state: 'probe' });
    expect(cooldowns.peek!('d#0', 6_000)).toEqual({ state: 'probe' });
    // the probe is still there for the request path to claim, once
    expect(cooldowns.check('d#0', 6_000)).toEqual({ state: 'probe' });
    expect(cooldowns.check('d#0', 6_000).state).toBe('cooling');
    expect(cooldowns.peek!('d#1', 0)).toEqual({ state: 'ok' });
  });
});
