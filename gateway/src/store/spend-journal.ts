import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CounterRef, SpendEntry } from './types.js';
import { readSnapshot, removeTornSnapshot, writeSnapshot, type SpendState } from './spend-snapshot.js';

/** One settled request as journaled: when, the counters it touched (key and expiry) and the amount. */
export interface JournalRecord extends SpendEntry {
  t: number;
  a: number;
  c: Array<[key: string, expireAtMs: number]>;
}

/** What a data directory held at start: the last snapshot and the records journaled after it, oldest first. */
export interface RecoveredSpend {
  snapshot?: SpendState;
  records: JournalRecord[];
}

/** A journal generation past this size is folded into the snapshot. */
export const DEFAULT_COMPACT_BYTES = 16 * 1024 * 1024;

const SNAPSHOT = 'spend-snapshot.json';
/** The single journal file written before compaction existed: generation 0. */
const LEGACY = 'spend.jsonl';
const GENERATION = /^spend-(\d+)\.jsonl$/;

/**
 * Settled spend as JSON lines in numbered generations (`spend-<n>.jsonl`) beside a snapshot that covers every
 * generation up to a number. Each line is written with a synchronous write before settle returns, so a killed
 * process (even `kill -9`) loses nothing already settled; the OS flushes the page cache.
 *
 * Compaction starts a new generation, writes the state as of the end of the old ones to a new snapshot
 * (atomically, see writeSnapshot), then deletes the generations it covers. A crash before the rename leaves the
 * old snapshot and every generation; after it, the covered generations are skipped (and deleted) on recovery:
 * no point loses settled spend or counts it twice. Every start writes to a fresh generation, so a line torn by a
 * crash is always the last of its file and never has a new record appended to it.
 */
export class SpendJournal {
  private fd: number | undefined;
  /** The generation appends go to (opened on first append). */
  private generation = 1;
  private bytes = 0;

  constructor(
    readonly dir: string,
    readonly compactBytes = DEFAULT_COMPACT_BYTES,
  ) {}

  /** The journal in a data directory. */
  static inDir(dataDir: string, compactBytes?: number): SpendJournal {
    return new SpendJournal(dataDir, compactBytes);
  }

  private get snapshotPath(): string {
    return join(this.dir, SNAPSHOT);
  }

  /** Generation files on disk, oldest first. */
  private generations(): Array<{ n: number; path: string }> {
    if (!existsSync(this.dir)) return [];
    const out: Array<{ n: number; path: string }> = [];
    for (const name of readdirSync(this.dir)) {
      const m = GENERATION.exec(name);
      if (m) out.push({ n: Number(m[1]), path: join(this.dir, name) });
      else if (name === LEGACY) out.push({ n: 0, path: join(this.dir, name) });
    }
    return out.sort((x, y) => x.n - y.n);
  }

  /**
   * Reads the snapshot and the records of every generation it does not cover, and clears what a crash left
   * behind (a half-written snapshot, generations already folded into the snapshot). Call once, before appending.
   */
  recover(): RecoveredSpend {
    removeTornSnapshot(this.snapshotPath);
    const snapshot = readSnapshot(this.snapshotPath);
    const covers = snapshot?.covers ?? -1;
    const records: JournalRecord[] = [];
    let last = covers;
    for (const { n, path } of this.generations()) {
      last = Math.max(last, n);
      if (n <= covers) rmSync(path, { force: true });
      else readRecords(path, records);
    }
    this.generation = Math.max(1, last + 1);
    return { ...(snapshot ? { snapshot: { counters: snapshot.counters, reports: snapshot.reports } } : {}), records };
  }

  /** Journals one settled request; true once the current generation has reached the compaction size. */
  append(t: number, counters: readonly CounterRef[], amount: number, entry?: SpendEntry): boolean {
    const record: JournalRecord = { t, a: amount, c: counters.map((c) => [c.key, c.expireAtMs]), ...entry };
    if (record.a === 0 && record.c.length === 0 && !record.report) return false;
    if (this.fd === undefined) {
      mkdirSync(this.dir, { recursive: true });
      this.fd = openSync(join(this.dir, `spend-${this.generation}.jsonl`), 'a');
    }
    const line = `${JSON.stringify(record)}\n`;
    writeSync(this.fd, line);
    this.bytes += Buffer.byteLength(line);
    return this.bytes >= this.compactBytes;
  }

  /**
   * Replaces every generation written so far by a snapshot of `state`, which must be the settled state after the
   * last record appended (the caller holds no await between the two). Later appends go to a new generation.
   */
  compact(state: SpendState): void {
    this.close();
    const covers = this.generation;
    this.generation += 1;
    this.bytes = 0;
    mkdirSync(this.dir, { recursive: true });
    writeSnapshot(this.snapshotPath, { v: 1, covers, ...state });
    for (const { n, path } of this.generations()) if (n <= covers) rmSync(path, { force: true });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Appends a generation's intact records to `out`; a torn last line (crash mid-write) is skipped. */
function readRecords(path: string, out: JournalRecord[]): void {
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as JournalRecord);
    } catch {
      // only a generation's last line can be torn; anything unreadable is skipped rather than blocking start-up
    }
  }
}
