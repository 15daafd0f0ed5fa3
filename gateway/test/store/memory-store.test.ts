import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory-store.js';
import { SpendJournal } from '../../src/store/spend-journal.js';
import { storeContract } from './store-contract.js';

storeContract('memory', async () => new MemoryStore());

describe('memory store journal', () => {
  it('persists documents to the data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-docs-'));
    await new MemoryStore(undefined, Date.now, dir).putDoc('keys', 'k1', '{"alias":"ci"}');
    expect(await new MemoryStore(undefined, Date.now, dir).getDoc('keys', 'k1')).toBe('{"alias":"ci"}');
  });

  it('replays settled spend after a restart, for windows not yet over, and skips a torn last line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-journal-'));
    let now = Date.UTC(2026, 0, 1, 12);
    const clock = () => now;
    const first = new MemoryStore(SpendJournal.inDir(dir), clock);
    const day = { key: 'global:daily:2026-01-01', limit: 1000, expireAtMs: Date.UTC(2026, 0, 2) };
    const month = { key: 'global:monthly:2026-01', limit: 5000, expireAtMs: Date.UTC(2026, 1, 1) };
    await first.reserve([day, month], 500);
    await first.settle([day, month], 500, 300, { model: 'm', keyId: 'k' });
    await first.reserve([day, month], 500); // reserved, never settled: lost with the process, as it should be
    await first.close();
    const journal = join(dir, readdirSync(dir).find((f) => f.endsWith('.jsonl'))!);
    appendFileSync(journal, '{"t":1,"a":77,"c":[["glo');
    expect(readFileSync(journal, 'utf8')).toContain('"model":"m"');

    const second = new MemoryStore(SpendJournal.inDir(dir), clock);
    expect(await second.read([day.key, month.key])).toEqual([{ key: day.key, spent: 300, reserved: 0 }, { key: month.key, spent: 300, reserved: 0 }]);
    expect((await second.reserve([day], 701)).ok).toBe(false);

    now = Date.UTC(2026, 0, 2, 0, 0, 1); // the next day: the daily window rolled over, the monthly did not
    const third = new MemoryStore(SpendJournal.inDir(dir), clock);
    expect(await third.read([day.key, month.key])).toEqual([{ key: day.key, spent: 0, reserved: 0 }, { key: month.key, spent: 300, reserved: 0 }]);
  });

  it('group-commits: the settles of one turn are written together, and each resolves only once its line is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-group-'));
    const store = new MemoryStore(SpendJournal.inDir(dir));
    const day = { key: 'global:daily:x', limit: null, expireAtMs: Date.now() + 86_400_000 };
    const lines = () => (existsSync(join(dir, 'spend-1.jsonl')) ? readFileSync(join(dir, 'spend-1.jsonl'), 'utf8').split('\n').filter(Boolean) : []);
    const settles = [1, 2, 3, 4, 5].map((n) => store.settle([day], 0, n, { settleId: `r${n}` }));
    // applied at once (a reserve now sees the spend), not yet on disk: nothing is answered yet either
    expect(await store.read([day.key])).toEqual([{ key: day.key, spent: 15, reserved: 0 }]);
    expect(lines()).toEqual([]);
    await settles[0];
    // the first settle to resolve finds all five lines written: one write for the turn
    expect(lines().map((l) => JSON.parse(l).settleId)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    await Promise.all(settles);
    await store.settle([day], 0, 6, { settleId: 'r6' });
    expect(lines()).toHaveLength(6);
  });

  it('writes queued lines on close, and rejects every settle of a turn whose write fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-group-close-'));
    const store = new MemoryStore(SpendJournal.inDir(dir));
    const day = { key: 'global:daily:x', limit: null, expireAtMs: Date.now() + 86_400_000 };
    const queued = store.settle([day], 0, 7, { settleId: 'last' });
    await store.close();
    expect(readFileSync(join(dir, 'spend-1.jsonl'), 'utf8')).toContain('"settleId":"last"');
    await queued;

    const file = join(mkdtempSync(join(tmpdir(), 'sy-group-fail-')), 'not-a-dir');
    const broken = new MemoryStore(SpendJournal.inDir(file));
    writeFileSync(file, ''); // the data directory became a file: the journal cannot be opened
    const failing = [broken.settle([day], 0, 1), broken.settle([day], 0, 2)];
    for (const settle of failing) await expect(settle).rejects.toThrow(/ENOTDIR|EEXIST/);
  });
});
