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
 * generation up to a number. Each append's promise resolves once its line is written by a synchronous write;
 * settle waits for it and an answer waits for its settle, so a killed process (even `kill -9`) loses no answered
 * spend (the OS flushes the page cache). While other requests are in flight (`busy`), lines are group-committed:
 * those appended in one turn of the event loop share one write at the turn's end, like PostgreSQL's
 * `commit_delay` with `commit_siblings`. A lone request's line is written at once and costs its answer no wait.
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
  /** Lines appended since the last write, and the promise their appends returned. */
  private batch?: { lines: string; written: Promise<void>; resolve(): void; reject(err: unknown): void };
  /** The settled state to compact into once a write reaches the compaction size (set by the store). */
  private stateForCompaction?: () => SpendState;

  /** `busy`: whether other requests are in flight, so that waiting for their lines is worth it. */
  constructor(
    readonly dir: string,
    readonly compactBytes = DEFAULT_COMPACT_BYTES,
    private readonly busy: () => boolean = () => true,
  ) {}

  /** The journal in a data directory. */
  static inDir(dataDir: string, compactBytes?: number, busy?: () => boolean): SpendJournal {
    return new SpendJournal(dataDir, compactBytes, busy);
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

  /**
   * Compacts with `state()`, the settled state after the last record appended, whenever a write takes the current
   * generation to the compaction size. Every appended record must already be applied to that state.
   */
  compactWith(state: () => SpendState): void {
    this.stateForCompaction = state;
  }

  /** Queues one settled request's line; resolves once it is written (see the class comment). */
  append(t: number, counters: readonly CounterRef[], amount: number, entry?: SpendEntry): Promise<void> {
    const record: JournalRecord = { t, a: amount, c: counters.map((c) => [c.key, c.expireAtMs]), ...entry };
    if (record.a === 0 && record.c.length === 0 && !record.report) return Promise.resolve();
    const line = `${JSON.stringify(record)}\n`;
    if (this.batch) {
      this.batch.lines += line;
      return this.batch.written;
    }
    const { promise, resolve, reject } = withResolvers();
    this.batch = { lines: line, written: promise, resolve, reject };
    if (this.busy()) setImmediate(() => this.flush());
    else this.flush();
    return promise;
  }

  /** Writes the queued lines now (and compacts if they fill the generation); a no-op when none are queued. */
  flush(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    try {
      if (this.fd === undefined) {
        mkdirSync(this.dir, { recursive: true });
        this.fd = openSync(join(this.dir, `spend-${this.generation}.jsonl`), 'a');
      }
      writeSync(this.fd, batch.lines);
      this.bytes += Buffer.byteLength(batch.lines);
    } catch (err) {
      batch.reject(err);
      return;
    }
    try {
      if (this.bytes >= this.compactBytes && this.stateForCompaction) this.compact(this.stateForCompaction());
      batch.resolve();
    } catch (err) {
      batch.reject(new Error(`spend was settled and journaled, but compacting the journal failed: ${(err as Error).message}`, { cause: err }));
    }
  }

  /**
   * Replaces every generation written so far by a snapshot of `state`, which must be the settled state after the
   * last record appended (the caller holds no await between the two). Later appends go to a new generation.
   */
  compact(state: SpendState): void {
    if (this.batch) throw new Error('compact() with lines still queued: they are in the state and would be counted twice');
    this.closeFile();
    const covers = this.generation;
    this.generation += 1;
    this.bytes = 0;
    mkdirSync(this.dir, { recursive: true });
    writeSnapshot(this.snapshotPath, { v: 1, covers, ...state });
    for (const { n, path } of this.generations()) if (n <= covers) rmSync(path, { force: true });
  }

  /** Writes what is queued, then closes the file. */
  close(): void {
    this.flush();
    this.closeFile();
  }

  private closeFile(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Promise.withResolvers, which Node 20 lacks. */
function withResolvers(): { promise: Promise<void>; resolve(): void; reject(err: unknown): void } {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
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
