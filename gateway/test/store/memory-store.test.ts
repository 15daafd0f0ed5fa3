import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
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
});
