import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitHeaders } from '../../src/limits/rate-limit-headers.js';
import { memoryRateWindows } from '../../src/limits/rate-windows.js';
import { FAULT_UPSTREAM_ANSWER, startFaultUpstream, type FaultUpstream } from '../support/fault-upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { chat, foldStream, resilientConfig } from '../dispatch/resilience-harness.js';

describe('rate windows', () => {
  it('counts within a fixed window, refuses past the limit and starts over when the window rolls', () => {
    let t = 60_000;
    const w = memoryRateWindows(() => t);
    expect(w.hit('k', 3, 60_000, 2)).toEqual({ allowed: true, count: 2, resetInMs: 60_000 });
    t += 10_000;
    expect(w.hit('k', 3, 60_000, 2)).toEqual({ allowed: false, count: 2, resetInMs: 50_000 });
    expect(w.hit('k', 3, 60_000, 1).allowed).toBe(true);
    expect(w.hit('k', 3, 60_000, -2).count).toBe(1); // a correction gives tokens back
    t += 50_000;
    expect(w.hit('k', 3, 60_000, 3)).toMatchObject({ allowed: true, count: 3 });
  });

  it('hands out at most `limit` concurrency slots', () => {
    const w = memoryRateWindows();
    expect([w.acquire('c', 2), w.acquire('c', 2), w.acquire('c', 2)]).toEqual([true, true, false]);
    w.release('c');
    expect(w.acquire('c', 2)).toBe(true);
  });

  it('renders retry-after and the x-ratelimit headers', () => {
    expect(rateLimitHeaders({ name: 'requests', limit: 20, used: 20, resetInMs: 12_300 })).toEqual({
      'retry-after': '13',
      'x-ratelimit-limit-requests': '20',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '13s',
    });
  });
});

let a: FaultUpstream;
let b: FaultUpstream;
let gw: TestGateway;

beforeAll(async () => {
  [a, b] = await Promise.all([startFaultUpstream(), startFaultUpstream()]);
  gw = await startTestGateway(
    resilientConfig(
      [
        { name: 'm', baseUrl: a.url },
      ],
      {
        limits: {
          per_key: { rpm: 1000 },
          keys: { anonymous: { rpm: 4, tpm: 2000, max_concurrent: 1 } },
        },
      },
    ),
  );
});
afterAll(async () => {
  await gw.close();
  await Promise.all([a.close(), b.close()]);
});
afterEach(() => {
  for (const u of [a, b]) {
    u.setPlan({});
    u.given.length = 0;
  }
});

describe('per-key and per-deployment limits through the gateway', () => {
  it('refuses a second concurrent request, reserves tokens, corrects them after, and caps requests per minute', async () => {
    // concurrency: one slow stream holds the only slot
    a.enqueue({ kind: 'slow-drip', chunkDelayMs: 15 });
    const slow = chat(gw.url, { model: 'm', stream: true });
    const first = await slow;
    const busy = await chat(gw.url, { model: 'm' });
    expect(busy.status).toBe(429);
    expect(busy.headers.get('x-ratelimit-limit-concurrent')).toBe('1');
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(foldStream(await first.text())).toMatchObject({ content: FAULT_UPSTREAM_ANSWER, done: true });

    // tokens: max_tokens 1900 is reserved up front and refused against 2000 once ~100 are already used
    const big = await chat(gw.url, { model: 'm', max_tokens: 1990 });
    expect(big.status).toBe(429);
    expect(big.headers.get('x-ratelimit-limit-tokens')).toBe('2000');
    expect(Number(big.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(2000);
    // a smaller reservation passes, and is corrected down to the real usage afterwards
    expect((await chat(gw.url, { model: 'm', max_tokens: 1500 })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const refused = await chat(gw.url, { model: 'm' });
    // rpm 4: the slow stream, the refused big one, the 1500 one and this: the fifth is refused
    expect(refused.status).toBe(200);
    const fifth = await chat(gw.url, { model: 'm' });
    expect(fifth.status).toBe(429);
    expect(fifth.headers.get('x-ratelimit-limit-requests')).toBe('4');
    expect(fifth.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await fifth.json()) as any).error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
  });
});
