import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load-config.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { SpendJournal } from '../../src/store/spend-journal.js';
import type { CounterRef } from '../../src/store/types.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10, 12);
const day = (i: number): CounterRef => ({ key: `global:daily:2026-01-${10 + i}`, limit: null, expireAtMs: Date.UTC(2026, 0, 11 + i) });
const month: CounterRef = { key: 'global:monthly:2026-01', limit: null, expireAtMs: Date.UTC(2026, 1, 1) };
const report = (i: number, amount: number) => ({ day: `2026-01-${10 + i}`, fields: { cost: amount, requests: 1 }, expireAtMs: Date.UTC(2026, 0, 11 + i) + 30 * DAY });

const tempDir = (tag: string) => mkdtempSync(join(tmpdir(), `sy-compact-${tag}-`));
const open = (dir: string, clock = () => T0, compactBytes = 1e9) => new MemoryStore(SpendJournal.inDir(dir, compactBytes), clock);
/** Bytes of journal generations in a data directory (the snapshot excluded). */
const journalBytes = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.jsonl')).reduce((n, f) => n + statSync(join(dir, f)).size, 0);

async function settleMany(store: MemoryStore, amounts: number[], dayIndex = 0): Promise<void> {
  for (const a of amounts) {
    await store.reserve([day(dayIndex), month], a);
    await store.settle([day(dayIndex), month], a, a, { model: 'm', report: report(dayIndex, a) });
  }
}

async function totals(store: MemoryStore, dayIndex = 0) {
  const [d, m] = await store.read([day(dayIndex).key, month.key]);
  return { day: d!.spent, month: m!.spent, report: await store.readReport(`2026-01-${10 + dayIndex}`) };
}

describe('memory journal compaction', () => {
  it('keeps the journal under its size limit over many settles, and a restart sees every micro-dollar', async () => {
    const dir = tempDir('bound');
    const limit = 4096;
    const store = open(dir, () => T0, limit);
    const amounts = Array.from({ length: 2000 }, (_, i) => 1 + (i % 97));
    let largest = 0;
    for (let i = 0; i < amounts.length; i += 50) {
      await settleMany(store, amounts.slice(i, i + 50));
      largest = Math.max(largest, journalBytes(dir));
    }
    await store.close();
    const sum = amounts.reduce((x, y) => x + y, 0);
    // One record past the limit at most: a generation is compacted as soon as it reaches the limit.
    expect(largest).toBeLessThan(limit + 512);
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl')).length).toBeLessThanOrEqual(1);
    const reopened = open(dir);
    expect(await totals(reopened)).toEqual({ day: sum, month: sum, report: { cost: sum, requests: amounts.length } });
    await reopened.close();
  });

  it('drops windows that are over from the snapshot', async () => {
    const dir = tempDir('expired');
    let now = T0;
    const first = open(dir, () => now);
    await settleMany(first, [100, 200], 0);
    await first.close();
    now = T0 + 2 * DAY; // day 0 is over, the month and day 0's report (kept 30 days) are not
    const second = open(dir, () => now);
    await settleMany(second, [5], 2);
    await second.close();
    const third = open(dir, () => now); // start-up compaction folds day 2 in
    await third.close();
    const snapshot = JSON.parse(readFileSync(join(dir, 'spend-snapshot.json'), 'utf8'));
    expect(snapshot.counters.map((c: [string]) => c[0]).sort()).toEqual([day(2).key, month.key]);
    expect(snapshot.counters.find((c: [string]) => c[0] === month.key)[1]).toBe(305);
    expect(snapshot.reports.map((r: [string]) => r[0]).sort()).toEqual(['2026-01-10', '2026-01-12']);
    now = T0 + 40 * DAY; // everything is over
    const later = open(dir, () => now);
    await settleMany(later, [1], 0); // any settle; start-up had nothing to fold
    await later.close();
    const folded = open(dir, () => now);
    await folded.close();
    const last = JSON.parse(readFileSync(join(dir, 'spend-snapshot.json'), 'utf8'));
    expect(last).toMatchObject({ counters: [], reports: [] });
  });

  it('recovers the same spend from every point a crash can stop compaction at', async () => {
    // State A: a snapshot covering r1..r5 and a generation holding r6..r8, as a running store leaves them.
    const a = tempDir('a');
    const s1 = open(a);
    await settleMany(s1, [1, 2, 3, 4, 5]);
    await s1.close();
    const s2 = open(a); // folds r1..r5 into the snapshot at start
    await settleMany(s2, [10, 20, 30]);
    await s2.close();
    const filesA = readdirSync(a).sort();
    expect(filesA).toEqual(['spend-3.jsonl', 'spend-snapshot.json']);
    const stateA = tempDir('state-a');
    cpSync(a, stateA, { recursive: true });
    // State B: the compaction of A completed (new snapshot, A's generation deleted).
    const s3 = open(a);
    await s3.close();
    expect(readdirSync(a).sort()).toEqual(['spend-snapshot.json']);
    const snapshotB = readFileSync(join(a, 'spend-snapshot.json'), 'utf8');
    const expected = { day: 75, month: 75, report: { cost: 75, requests: 8 } };

    const crashes: Record<string, (dir: string) => void> = {
      // killed while writing the new snapshot: A's files and a torn temporary file
      'mid snapshot write': (dir) => writeFileSync(join(dir, 'spend-snapshot.json.tmp'), snapshotB.slice(0, snapshotB.length / 2)),
      // killed after the write, before the rename: a whole temporary file that never took effect
      'before the rename': (dir) => writeFileSync(join(dir, 'spend-snapshot.json.tmp'), snapshotB),
      // killed after the rename, before the covered generation was deleted
      'after the rename': (dir) => writeFileSync(join(dir, 'spend-snapshot.json'), snapshotB),
    };
    for (const [point, crash] of Object.entries(crashes)) {
      const dir = tempDir('crash');
      cpSync(stateA, dir, { recursive: true });
      crash(dir);
      const recovered = open(dir);
      expect({ point, ...(await totals(recovered)) }).toEqual({ point, ...expected });
      await settleMany(recovered, [1000]);
      await recovered.close();
      expect(existsSync(join(dir, 'spend-snapshot.json.tmp'))).toBe(false);
      expect(existsSync(join(dir, 'spend-3.jsonl'))).toBe(false);
      const again = open(dir);
      expect({ point, ...(await totals(again)) }).toEqual({ point, day: 1075, month: 1075, report: { cost: 1075, requests: 9 } });
      await again.close();
    }
  });

  it('never appends after a torn line: every start writes a new generation', async () => {
    const dir = tempDir('torn');
    const first = open(dir);
    await settleMany(first, [7]);
    await first.close();
    const generation = readdirSync(dir).find((f) => f.endsWith('.jsonl'))!;
    appendFileSync(join(dir, generation), '{"t":1,"a":77,"c":[["glo'); // killed mid-write
    const second = open(dir);
    await settleMany(second, [8]);
    await second.close();
    const third = open(dir);
    expect((await totals(third)).day).toBe(15);
    await third.close();
  });

  it('reads and folds in the journal of a version before compaction (spend.jsonl)', async () => {
    const dir = tempDir('legacy');
    const record = (a: number) => JSON.stringify({ t: T0, a, c: [[day(0).key, day(0).expireAtMs], [month.key, month.expireAtMs]], report: report(0, a) });
    writeFileSync(join(dir, 'spend.jsonl'), `${record(40)}\n${record(2)}\n`);
    const store = open(dir);
    expect(await totals(store)).toEqual({ day: 42, month: 42, report: { cost: 42, requests: 2 } });
    await store.close();
    expect(readdirSync(dir)).toEqual(['spend-snapshot.json']);
  });

  it('takes its size from store.journal_compact_mb, in native and LiteLLM files', () => {
    const native = loadConfigText('providers: { up: { kind: demo } }\nmodels: [{ name: m, provider: up }]\nstore: { data_dir: ./d, journal_compact_mb: 0.5 }\n', 'native', {});
    const litellm = loadConfigText('model_list: [{ model_name: m, litellm_params: { model: openai/m, api_base: "http://127.0.0.1:1/v1", api_key: k } }]\nstore: { journal_compact_mb: 2 }\n', 'litellm', {});
    expect(native.ok && native.config.store).toEqual({ kind: 'memory', dataDir: './d', journalCompactBytes: 524_288 });
    expect(litellm.ok && litellm.config.store.journalCompactBytes).toBe(2_097_152);
    const refused = loadConfigText('providers: { up: { kind: demo } }\nmodels: [{ name: m, provider: up }]\nstore: { journal_compact_mb: 0 }\n', 'bad', {});
    expect(refused.ok).toBe(false);
  });
});
