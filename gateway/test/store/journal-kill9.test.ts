import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory-store.js';
import { SpendJournal } from '../../src/store/spend-journal.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';

// Each answer: 5 input + 50 output tokens, reported cost 105 micro-dollars.
const USAGE = { prompt_tokens: 5, completion_tokens: 50, total_tokens: 55, cost: 0.000105 };
const COST = 105;
const USERS = 5;
const WORKERS = 8;
// A tiny compaction size (a generation of ~25 records) and a large snapshot (SEEDED counters), so that
// compactions are frequent and take long enough for a kill to land inside one.
const COMPACT_MB = 0.008;
const SEEDED = 10_000;
const DAY = 86_400_000;

const journalBytes = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.jsonl')).reduce((n, f) => n + statSync(join(dir, f)).size, 0);

/** Where a kill left the data directory, read from the files: which step of a compaction it interrupted. */
function crashPoint(dir: string): string {
  const files = readdirSync(dir);
  if (files.includes('spend-snapshot.json.tmp')) return 'writing the snapshot';
  const covers = JSON.parse(readFileSync(join(dir, 'spend-snapshot.json'), 'utf8')).covers as number;
  const generations = files.map((f) => /^spend-(\d+)\.jsonl$/.exec(f)).filter((m) => m !== null).map((m) => Number(m[1]));
  if (generations.some((n) => n <= covers)) return 'deleting covered generations';
  return 'between compactions';
}

describe('memory journal under kill -9 during compaction', () => {
  let upstream: MockOpenAI;
  let gw: GatewayProcess | undefined;
  beforeAll(async () => {
    upstream = await startMockOpenAI();
    upstream.setDefault({ kind: 'text', text: 'fifty tokens or so', usage: USAGE });
  });
  afterEach(async () => {
    await gw?.kill9();
    gw = undefined;
  });
  afterAll(() => upstream?.close());

  it('loses no settled spend and counts none twice, and the journal stays bounded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-kill9-'));
    const data = join(dir, 'data');
    const config = join(dir, 'switchyard.yaml');
    writeFileSync(config, `
providers:
  up: { kind: openai-compatible, base_url: "${upstream.url}" }
models:
  - { name: m, provider: up, model: mock-model, prices: { input: 1, output: 2 } }
store: { kind: memory, data_dir: "${data}", journal_compact_mb: ${COMPACT_MB} }
budgets:
  global: { daily_usd: 1000 }
  each_user: { daily_usd: 1000 }
`);
    // Spend settled by an earlier run: many live windows, and some that ended yesterday.
    const now = Date.now();
    const seeded = new MemoryStore(SpendJournal.inDir(data), () => now - 2 * DAY);
    let seededSum = 0;
    for (let i = 0; i < SEEDED; i++) {
      const ref = { key: `seed:${i}`, limit: null, expireAtMs: now + 7 * DAY };
      await seeded.settle([ref], 0, 1 + (i % 50));
      seededSum += 1 + (i % 50);
    }
    for (let i = 0; i < 100; i++) await seeded.settle([{ key: `over:${i}`, limit: null, expireAtMs: now - DAY }], 0, 1);
    await seeded.close();

    const post = (url: string, i: number) =>
      fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-switchyard-user': `u${i % USERS}` },
        body: JSON.stringify({ model: 'm', max_tokens: 50, messages: [{ role: 'user', content: 'hello there' }] }),
      });
    const globalSpent = async (url: string) => {
      const body = (await (await fetch(`${url}/admin/budgets`)).json()) as { budgets: Array<{ scope: string; spent: number; reserved: number }> };
      return body.budgets.find((b) => b.scope === 'global')!;
    };

    /** Load until `kill` says so, then kill -9; what the clients saw answered and what was cut off. */
    async function runUntilKilled(victim: GatewayProcess, cycle: number): Promise<{ billed: number; cut: number; point: string }> {
      let billed = 0;
      let answered = 0;
      let cut = 0;
      let killed = false;
      const minAnswers = 40 + 13 * cycle;
      // Odd cycles kill as a snapshot's temporary file appears (mid-write), even ones as the snapshot is renamed
      // into place (before the covered generations are deleted); a watch event lags, so points vary.
      const trigger = cycle % 2 === 1 ? 'spend-snapshot.json.tmp' : 'spend-snapshot.json';
      const kill = () => {
        if (killed) return;
        killed = true;
        victim.child.kill('SIGKILL');
      };
      const watcher = watch(data, (_event, file) => {
        if (answered >= minAnswers && file === trigger) kill();
      });
      const fallback = setTimeout(kill, 60_000);
      let next = 0;
      const worker = async () => {
        while (!killed) {
          const i = next++;
          try {
            const res = await post(victim.url, i);
            const cost = Number(res.headers.get('x-switchyard-cost-usd'));
            await res.text();
            if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
            billed += Math.round(cost * 1e6);
            answered++;
          } catch {
            cut++; // the connection died with the process: billed or not, the client cannot tell
          }
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, worker));
      await victim.exited;
      watcher.close();
      clearTimeout(fallback);
      return { billed, cut, point: crashPoint(data) };
    }

    let stored = 0;
    const points: string[] = [];
    gw = await startGatewayProcess(config, dir);
    for (let cycle = 0; cycle < 6; cycle++) {
      const { billed, cut, point } = await runUntilKilled(gw, cycle);
      points.push(point);
      // The restarted process is checked, then carries the next cycle's load.
      gw = await startGatewayProcess(config, dir);
      const after = await globalSpent(gw.url);
      expect(after.reserved).toBe(0);
      // Every answered request is there once; a request cut off may have been settled before the kill.
      expect(after.spent % COST).toBe(0);
      expect(after.spent).toBeGreaterThanOrEqual(stored + billed);
      expect(after.spent).toBeLessThanOrEqual(stored + billed + cut * COST);
      stored = after.spent;
    }
    console.log(`journal kill -9: crash points ${JSON.stringify(points)}; ${stored / COST} requests settled`);

    // Then a run without kills: the journal never holds much more than the compaction size.
    const limit = COMPACT_MB * 1024 * 1024;
    let largest = 0;
    const url = gw.url;
    for (let round = 0; round < 10; round++) {
      const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => post(url, i).then((r) => r.status)));
      expect(statuses.every((s) => s === 200)).toBe(true);
      largest = Math.max(largest, journalBytes(data));
    }
    expect(largest).toBeLessThan(limit + 1024);
    expect((await globalSpent(gw.url)).spent).toBe(stored + 400 * COST);
    await gw.kill9();
    gw = undefined;

    // The earlier run's windows: the live ones intact, the ones that ended gone from the snapshot.
    const snapshot = JSON.parse(readFileSync(join(data, 'spend-snapshot.json'), 'utf8')) as { counters: Array<[string, number, number]> };
    expect(snapshot.counters.some(([key]) => key.startsWith('over:'))).toBe(false);
    expect(existsSync(join(data, 'spend-snapshot.json.tmp'))).toBe(false);
    const reopened = new MemoryStore(SpendJournal.inDir(data));
    const seeds = await reopened.read(Array.from({ length: SEEDED }, (_, i) => `seed:${i}`));
    expect(seeds.reduce((n, s) => n + s.spent, 0)).toBe(seededSum);
    await reopened.close();
  }, 300_000);
});
