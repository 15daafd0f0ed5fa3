import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis-store.js';
import { redisAvailable, startRedisServer, type RedisServer } from '../support/redis-server.js';

const STORE = resolve(__dirname, '../../src/store/redis-store.ts');
const TSX = import.meta.resolve('tsx');
const LEASE_MS = 400;

/** Polls `check` every 50 ms for at most `ms`; the last result. */
async function within(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Runs only with a real redis-server; redisAvailable() is always true under CI (a missing binary then fails), so
// this skips only on a developer machine without Redis, with a warning.
describe.runIf(redisAvailable())('redis reservation leases', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reclaims a reservation whose holder was killed (kill -9) after its lease', async () => {
    const expireAtMs = Date.now() + 3_600_000;
    const counter = { key: 'crash', limit: 1000, expireAtMs };
    // another process reserves 900 and dies without settling
    const script = `import { RedisStore } from ${JSON.stringify(STORE)};
const store = await RedisStore.connect({ url: ${JSON.stringify(server.url)}, leaseMs: ${LEASE_MS} });
const r = await store.reserve([${JSON.stringify(counter)}], 900, 'held-by-the-dead');
console.log(r.ok ? 'reserved' : 'refused');
setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', TSX, '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      expect(await within(60_000, async () => out.includes('reserved') || child.exitCode !== null)).toBe(true);
      expect(out).toContain('reserved');
      const store = await RedisStore.connect({ url: server.url, leaseMs: LEASE_MS });
      try {
        // alive, the holder renews its lease: the reservation stays for several lease lengths
        await new Promise((r) => setTimeout(r, LEASE_MS * 3));
        expect((await store.reserve([counter], 500)).ok).toBe(false);
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
        // dead, its lease runs out and the next reservation reclaims what it held
        expect(await within(20 * LEASE_MS, async () => (await store.reserve([counter], 500, 'next')).ok)).toBe(true);
        expect(await store.read([counter.key])).toEqual([{ key: counter.key, spent: 0, reserved: 500 }]);
        await store.settle([counter], 500, 300, { settleId: 'next' });
        expect(await store.read([counter.key])).toEqual([{ key: counter.key, spent: 300, reserved: 0 }]);
      } finally {
        await store.close();
      }
    } finally {
      child.kill('SIGKILL');
    }
  }, 90_000);

  it('a settle that arrives after its lease was reclaimed adds the spend without taking the reservation off twice', async () => {
    const holder = await RedisStore.connect({ url: server.url, leaseMs: LEASE_MS });
    const other = await RedisStore.connect({ url: server.url, leaseMs: LEASE_MS });
    const counter = { key: 'late', limit: 1000, expireAtMs: Date.now() + 3_600_000 };
    try {
      expect((await holder.reserve([counter], 600, 'slow')).ok).toBe(true);
      // the holder stops renewing (as if stalled past its lease); another reservation reclaims it
      await holder.close();
      expect(await within(20 * LEASE_MS, async () => (await other.reserve([counter], 700, 'fresh')).ok)).toBe(true);
      const revived = await RedisStore.connect({ url: server.url, leaseMs: LEASE_MS });
      try {
        // the stalled request settles late: its spend counts, the other request's reservation stays whole
        await (revived as unknown as { held: Set<string> }).held.add('slow');
        await revived.settle([counter], 600, 250, { settleId: 'slow' });
        expect(await other.read([counter.key])).toEqual([{ key: counter.key, spent: 250, reserved: 700 }]);
      } finally {
        await revived.close();
      }
    } finally {
      await other.close();
    }
  });
});
