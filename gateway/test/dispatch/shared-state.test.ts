import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../src/config/types.js';
import { startFaultUpstream, type FaultUpstream } from '../support/fault-upstream.js';
import { redisAvailable, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { chat, resilientConfig } from './resilience-harness.js';

// Runs only with a real redis-server; redisAvailable() is always true under CI (a missing binary then fails), so
// this skips only on a developer machine without Redis, with a warning.
describe.runIf(redisAvailable())('two gateway instances on one Redis', () => {
  let redis: RedisServer;
  let a: FaultUpstream;
  let b: FaultUpstream;
  let one: TestGateway;
  let two: TestGateway;

  beforeAll(async () => {
    redis = await startRedisServer();
    [a, b] = await Promise.all([startFaultUpstream(), startFaultUpstream()]);
    const config = (): GatewayConfig => ({
      ...resilientConfig(
        [
          { name: 'pair', baseUrl: a.url },
          { name: 'pair', baseUrl: b.url },
          { name: 'counted', baseUrl: b.url },
        ],
        {
          resilience: { backoff_base_ms: 1, cooldown: { failures: 2, window_s: 60, cooldown_s: 30 } },
          limits: { per_key: { rpm: 20 } },
        },
      ),
      store: { kind: 'redis', url: redis.url, dataDir: '.data' },
    });
    [one, two] = await Promise.all([startTestGateway(config()), startTestGateway(config())]);
  });
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
  });

  it('shares a cooldown: a deployment that failed on one instance is skipped by the other', async () => {
    a.enqueue({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    expect((await chat(one.url, { model: 'pair' })).status).toBe(200);
    expect((await chat(one.url, { model: 'pair' })).status).toBe(200);
    expect(a.given).toEqual(['status', 'status']);
    for (let i = 0; i < 3; i++) expect((await chat(two.url, { model: 'pair' })).status).toBe(200);
    expect(a.given.length).toBe(2);
    expect(b.given.length).toBe(5);
  });

  it('enforces one requests-per-minute limit across both instances, under concurrency', async () => {
    // the cooldown test used 5 of the key's 20; 30 concurrent requests split over both instances race for 15
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => chat(i % 2 === 0 ? one.url : two.url, { model: 'counted' }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200).length).toBe(15);
    expect(statuses.filter((s) => s === 429).length).toBe(15);
  });
});
