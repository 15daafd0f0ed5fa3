import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_UPSTREAM_ANSWER, startFaultUpstream, type FaultUpstream } from '../support/fault-upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { chat, resilientConfig } from './resilience-harness.js';

let a: FaultUpstream;
let b: FaultUpstream;
let gw: TestGateway;

beforeAll(async () => {
  [a, b] = await Promise.all([startFaultUpstream(), startFaultUpstream()]);
  gw = await startTestGateway(
    resilientConfig(
      [
        { name: 'retried', baseUrl: a.url },
        { name: 'retried', baseUrl: b.url },
        { name: 'retried2', baseUrl: a.url },
        { name: 'retried2', baseUrl: b.url },
        { name: 'cooled', baseUrl: a.url },
        { name: 'cooled', baseUrl: b.url },
        { name: 'long', baseUrl: a.url },
        { name: 'long', baseUrl: b.url },
      ],
      {
        resilience: {
          retries: 1,
          backoff_base_ms: 5,
          max_retry_after_s: 1,
          cooldown: { failures: 2, window_s: 60, cooldown_s: 0.3, long_retry_after_s: 5 },
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

async function served(model: string): Promise<Response> {
  const res = await chat(gw.url, { model });
  if (res.status === 200) expect(((await res.clone().json()) as any).choices[0].message.content).toBe(FAULT_UPSTREAM_ANSWER);
  return res;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('retries', () => {
  it('retries the same deployment once, honouring retry-after-ms', async () => {
    a.enqueue({ kind: 'status', status: 429, headers: { 'retry-after-ms': '30' } });
    expect((await served('retried')).status).toBe(200);
    expect(a.given).toEqual(['status', 'ok']);
    expect(b.given).toEqual([]);
  });

  it('moves on without waiting when retry-after is past the cap, and after the retry also failed', async () => {
    a.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '3' } });
    expect((await served('retried')).status).toBe(200);
    expect(a.given).toEqual(['status']);
    // another group: two failures of `retried#0` would now cool it (failures: 2)
    a.enqueue({ kind: 'status', status: 502 }, { kind: 'status', status: 503 });
    expect((await served('retried2')).status).toBe(200);
    expect(a.given).toEqual(['status', 'status', 'status']);
    expect(b.given).toEqual(['ok', 'ok']);
  });
});

describe('cooldowns', () => {
  it('skips a deployment that keeps failing, then lets one probe through after the cooldown', async () => {
    // two failures (first attempt + retry) put `cooled#0` in cooldown
    a.enqueue({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    expect((await served('cooled')).status).toBe(200);
    expect((await served('cooled')).status).toBe(200);
    expect(a.given).toEqual(['status', 'status']);
    expect(b.given).toEqual(['ok', 'ok']);
    await pause(350);
    expect((await served('cooled')).status).toBe(200);
    expect(a.given).toEqual(['status', 'status', 'ok']);
    expect((await served('cooled')).status).toBe(200);
    expect(a.given.length).toBe(4);
  });

  it('cools at once on a 429 with a long retry-after, and answers 503 with retry-after when all are cooling', async () => {
    a.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '20' } });
    b.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '40' } });
    const first = await served('long');
    expect(first.status).toBe(429);
    expect(a.given).toEqual(['status']);
    expect(b.given).toEqual(['status']);
    const second = await chat(gw.url, { model: 'long' });
    expect(second.status).toBe(503);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(19);
    expect(((await second.json()) as any).error.code).toBe('all_deployments_cooling');
    expect(a.given.length + b.given.length).toBe(2);
  });
});
