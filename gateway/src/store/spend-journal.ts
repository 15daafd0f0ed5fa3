import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CounterRef, SpendEntry } from './types.js';

/** One settled request as journaled: when, the counters it touched (key and expiry) and the amount. */
export interface JournalRecord extends SpendEntry {
  t: number;
  a: number;
  c: Array<[key: string, expireAtMs: number]>;
}

/**
 * Append-only JSON-lines journal of settled spend. Each line is written with a synchronous write before settle
 * returns, so a killed process (even `kill -9`) loses nothing already settled; the OS flushes the page cache.
 */
export class SpendJournal {
  private fd: number | undefined;

  constructor(readonly path: string) {}

  /** The journal file in a data directory. */
  static inDir(dataDir: string): SpendJournal {
    return new SpendJournal(join(dataDir, 'spend.jsonl'));
  }

  /** Every intact record in the file; a torn last line (crash mid-write) is skipped. */
  replay(): JournalRecord[] {
    if (!existsSync(this.path)) return [];
    const out: JournalRecord[] = [];
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as JournalRecord);
      } catch {
        // only the last line can be torn; anything unreadable is skipped rather than blocking start-up
      }
    }
    return out;
  }

  append(t: number, counters: readonly CounterRef[], amount: number, entry?: SpendEntry): void {
    if (this.fd === undefined) {
      mkdirSync(join(this.path, '..'), { recursive: true });
      this.fd = openSync(this.path, 'a');
    }
    const record: JournalRecord = { t, a: amount, c: counters.map((c) => [c.key, c.expireAtMs]), ...entry };
    if (record.a === 0 && record.c.length === 0 && !record.report) return;
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
