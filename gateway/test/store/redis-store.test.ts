import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis-store.js';
import { redisAvailable, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { storeContract } from './store-contract.js';

const available = redisAvailable();

// Runs only with a real redis-server; redisAvailable() is always true under CI (a missing binary then fails), so
// this skips only on a developer machine without Redis, with a warning.
describe.runIf(available)('redis store', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  storeContract('redis', () => RedisStore.connect({ url: server.url }));

  it('applies a settle once even when it is sent twice', async () => {
    const store = await RedisStore.connect({ url: server.url });
    try {
      const c = { key: 'twice', limit: 1000, expireAtMs: store.now() + 60_000 };
      await store.reserve([c], 100);
      await store.settle([c], 100, 40, { settleId: 'req-1' });
      await store.settle([c], 100, 40, { settleId: 'req-1' });
      expect(await store.read([c.key])).toEqual([{ key: c.key, spent: 40, reserved: 0 }]);
    } finally {
      await store.close();
    }
  });

  it('fails fast when Redis is unreachable', async () => {
    await expect(RedisStore.connect({ url: 'redis://127.0.0.1:1', timeoutMs: 300 })).rejects.toThrow();
  });
});
