import { describe, expect, it } from 'vitest';
import type { CounterRef, StateStore } from '../../src/store/types.js';

/** The behaviour every StateStore must have; run against memory and a real Redis. */
export function storeContract(name: string, open: () => Promise<StateStore>): void {
  describe(`${name} store contract`, () => {
    const ref = (key: string, limit: number | null, store: StateStore, ttlMs = 60_000): CounterRef => ({ key, limit, expireAtMs: store.now() + ttlMs });
    const uniq = () => `t${Math.random().toString(36).slice(2)}`;

    it('reserves against every counter or none, then settles to the actual cost', async () => {
      const store = await open();
      try {
        const k = uniq();
        const a = ref(`${k}:a`, 1000, store);
        const b = ref(`${k}:b`, 500, store);
        expect(await store.reserve([a, b], 400)).toEqual({ ok: true, levels: [0, 0] });
        const refused = await store.reserve([a, b], 200);
        expect(refused).toEqual({ ok: false, key: `${k}:b`, spent: 0, reserved: 400, limit: 500 });
        // nothing was reserved on `a` by the refused call
        expect(await store.read([a.key, b.key])).toEqual([{ key: a.key, spent: 0, reserved: 400 }, { key: b.key, spent: 0, reserved: 400 }]);
        await store.settle([a, b], 400, 123, { settleId: uniq() });
        expect(await store.read([a.key, b.key])).toEqual([{ key: a.key, spent: 123, reserved: 0 }, { key: b.key, spent: 123, reserved: 0 }]);
        expect(await store.reserve([a, b], 377)).toEqual({ ok: true, levels: [123, 123] });
        expect((await store.reserve([a, b], 1)).ok).toBe(false);
      } finally {
        await store.close();
      }
    });

    it('adds settled requests to the day report', async () => {
      const store = await open();
      try {
        const day = uniq();
        const c = ref(`${day}:r`, null, store);
        const report = (n: number) => ({ day, fields: { 'model=a|cost': n, 'total|requests': 1 }, expireAtMs: store.now() + 60_000 });
        await store.settle([c], 0, 10, { settleId: uniq(), report: report(10) });
        await store.settle([], 0, 0, { settleId: uniq(), report: report(0) });
        expect(await store.readReport(day)).toEqual({ 'model=a|cost': 10, 'total|requests': 2 });
        expect(await store.readReport(uniq())).toEqual({});
      } finally {
        await store.close();
      }
    });

    it('releases a reservation (settle with zero) and counts unlimited counters', async () => {
      const store = await open();
      try {
        const k = uniq();
        const limited = ref(`${k}:l`, 100, store);
        const tally = ref(`${k}:t`, null, store);
        expect((await store.reserve([limited, tally], 100)).ok).toBe(true);
        await store.settle([limited, tally], 100, 0, { settleId: uniq() });
        expect(await store.read([limited.key, tally.key])).toEqual([{ key: limited.key, spent: 0, reserved: 0 }, { key: tally.key, spent: 0, reserved: 0 }]);
        expect((await store.reserve([tally], 10 ** 12)).ok).toBe(true);
      } finally {
        await store.close();
      }
    });

    it('keeps concurrent reservations within the limit', async () => {
      const store = await open();
      try {
        const c = ref(`${uniq()}:c`, 10_000, store);
        const results = await Promise.all(Array.from({ length: 100 }, () => store.reserve([c], 300)));
        expect(results.filter((r) => r.ok)).toHaveLength(33);
        const [state] = await store.read([c.key]);
        expect(state!.reserved).toBe(9900);
      } finally {
        await store.close();
      }
    });

    it('forgets counters after their window expires', async () => {
      const store = await open();
      try {
        const c = ref(`${uniq()}:e`, 1000, store, 150);
        await store.reserve([c], 10);
        await store.settle([c], 10, 999, { settleId: uniq() });
        expect((await store.reserve([c], 10)).ok).toBe(false);
        for (let i = 0; i < 100 && (await store.read([c.key]))[0]!.spent !== 0; i++) await new Promise((r) => setTimeout(r, 20));
        expect((await store.read([c.key]))[0]).toEqual({ key: c.key, spent: 0, reserved: 0 });
      } finally {
        await store.close();
      }
    });

    it('counts fixed windows with a limit and expires them', async () => {
      const store = await open();
      try {
        const k = uniq();
        const hits = [];
        for (let i = 0; i < 4; i++) hits.push(await store.hitWindow(k, 3, 150));
        expect(hits.map((h) => h.allowed)).toEqual([true, true, true, false]);
        expect(hits[3]!.count).toBe(3);
        expect(hits[0]!.resetInMs).toBeGreaterThan(0);
        let again = await store.hitWindow(k, 3, 150);
        for (let i = 0; i < 100 && !again.allowed; i++) {
          await new Promise((r) => setTimeout(r, 20));
          again = await store.hitWindow(k, 3, 150);
        }
        expect(again).toMatchObject({ allowed: true, count: 1 });
      } finally {
        await store.close();
      }
    });

    it('stores, finds and lists documents', async () => {
      const store = await open();
      try {
        const c = uniq();
        expect(await store.getDoc(c, 'a')).toBeUndefined();
        await store.putDoc(c, 'a', '{"n":1}');
        await store.putDoc(c, 'b', '{"n":2}');
        await store.putDoc(c, 'a', '{"n":3}');
        expect(await store.getDoc(c, 'a')).toBe('{"n":3}');
        expect((await store.listDocs(c)).sort()).toEqual(['{"n":2}', '{"n":3}']);
      } finally {
        await store.close();
      }
    });

    it('keeps flags for their TTL and fires once per window', async () => {
      const store = await open();
      try {
        const k = uniq();
        expect(await store.flagTtl(k)).toBe(0);
        await store.setFlag(k, 10_000);
        expect(await store.flagTtl(k)).toBeGreaterThan(9000);
        const at = store.now() + 150;
        const fired = await Promise.all([store.once(`${k}:o`, at), store.once(`${k}:o`, at), store.once(`${k}:o`, at)]);
        expect(fired.filter(Boolean)).toHaveLength(1);
        let later = false;
        for (let i = 0; i < 100 && !later; i++) {
          await new Promise((r) => setTimeout(r, 20));
          later = await store.once(`${k}:o`, store.now() + 10_000);
        }
        expect(later).toBe(true);
      } finally {
        await store.close();
      }
    });
  });
}
