import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpendJournal } from './spend-journal.js';
import type { SpendState } from './spend-snapshot.js';
import type { CounterRef, CounterState, ReserveResult, SpendEntry, SpendReportDelta, StateStore, WindowHit } from './types.js';

interface Counter {
  spent: number;
  reserved: number;
  expireAtMs: number;
}

/**
 * The embedded store: plain maps in this process (one event loop, so every method is atomic), with settled
 * spend appended to a journal and replayed on start. Reservations are not journaled: they die with the process.
 * The journal is compacted into a snapshot of the live windows on start and whenever it reaches its size limit.
 */
export class MemoryStore implements StateStore {
  readonly kind = 'memory';
  private readonly counters = new Map<string, Counter>();
  private readonly windows = new Map<string, { count: number; expireAtMs: number }>();
  private readonly flags = new Map<string, number>();
  private readonly docs = new Map<string, Map<string, string>>();
  private readonly reports = new Map<string, { fields: Map<string, number>; expireAtMs: number }>();

  /** `docsDir`: where documents persist (one JSON file per collection); in memory only without it. */
  constructor(
    private readonly journal?: SpendJournal,
    readonly now: () => number = Date.now,
    private readonly docsDir?: string,
  ) {
    if (!journal) return;
    const t = this.now();
    const { snapshot, records } = journal.recover();
    for (const [key, spent, expireAtMs] of snapshot?.counters ?? []) if (expireAtMs > t) this.counter(key, expireAtMs).spent += spent;
    for (const [day, fields, expireAtMs] of snapshot?.reports ?? []) this.addReport({ day, fields, expireAtMs });
    for (const record of records) {
      for (const [key, expireAtMs] of record.c) if (expireAtMs > t) this.counter(key, expireAtMs).spent += record.a;
      if (record.report) this.addReport(record.report);
    }
    if (records.length > 0) journal.compact(this.settledState());
    journal.compactWith(() => this.settledState());
  }

  /** The settled spend of the windows still open; drops the ones that are over (their spend no longer counts). */
  private settledState(): SpendState {
    const now = this.now();
    const state: SpendState = { counters: [], reports: [] };
    for (const [key, c] of this.counters) {
      if (c.expireAtMs <= now) this.counters.delete(key);
      else if (c.spent > 0) state.counters.push([key, c.spent, c.expireAtMs]);
    }
    for (const [day, r] of this.reports) {
      if (r.expireAtMs <= now) this.reports.delete(day);
      else state.reports.push([day, Object.fromEntries(r.fields), r.expireAtMs]);
    }
    return state;
  }

  private counter(key: string, expireAtMs: number): Counter {
    let c = this.counters.get(key);
    if (!c || c.expireAtMs <= this.now()) {
      c = { spent: 0, reserved: 0, expireAtMs };
      this.counters.set(key, c);
    }
    return c;
  }

  private live(key: string): Counter | undefined {
    const c = this.counters.get(key);
    if (c && c.expireAtMs <= this.now()) {
      this.counters.delete(key);
      return undefined;
    }
    return c;
  }

  /** No lease here: reservations live in this process and die with it (`_holdId` is for shared stores). */
  async reserve(counters: readonly CounterRef[], amount: number, _holdId?: string): Promise<ReserveResult> {
    const levels: number[] = [];
    for (const ref of counters) {
      const c = this.live(ref.key);
      const spent = c?.spent ?? 0;
      const reserved = c?.reserved ?? 0;
      levels.push(spent + reserved);
      if (ref.limit !== null && spent + reserved + amount > ref.limit) return { ok: false, key: ref.key, spent, reserved, limit: ref.limit };
    }
    for (const ref of counters) this.counter(ref.key, ref.expireAtMs).reserved += amount;
    return { ok: true, levels };
  }

  private addReport(delta: SpendReportDelta): void {
    if (delta.expireAtMs <= this.now()) return;
    let report = this.reports.get(delta.day);
    if (!report) {
      report = { fields: new Map(), expireAtMs: delta.expireAtMs };
      this.reports.set(delta.day, report);
    }
    for (const field in delta.fields) report.fields.set(field, (report.fields.get(field) ?? 0) + delta.fields[field]!);
  }

  async readReport(day: string): Promise<Record<string, number>> {
    return Object.fromEntries(this.reports.get(day)?.fields ?? []);
  }

  /** Applies the settle at once and resolves when its journal line is written (then the answer may leave). */
  async settle(counters: readonly CounterRef[], reserved: number, actual: number, entry?: SpendEntry): Promise<void> {
    const journaled = actual > 0 || entry?.report ? this.journal?.append(this.now(), counters, actual, entry) : undefined;
    if (entry?.report) this.addReport(entry.report);
    for (const ref of counters) {
      const c = this.counter(ref.key, ref.expireAtMs);
      c.reserved = Math.max(0, c.reserved - reserved);
      c.spent += actual;
    }
    await journaled;
  }

  async read(keys: readonly string[]): Promise<CounterState[]> {
    return keys.map((key) => {
      const c = this.live(key);
      return { key, spent: c?.spent ?? 0, reserved: c?.reserved ?? 0 };
    });
  }

  async hitWindow(key: string, limit: number, windowMs: number, cost = 1): Promise<WindowHit> {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || w.expireAtMs <= now) {
      w = { count: 0, expireAtMs: now + windowMs };
      this.windows.set(key, w);
    }
    const allowed = w.count + cost <= limit;
    if (allowed) w.count += cost;
    return { allowed, count: w.count, resetInMs: w.expireAtMs - now };
  }

  async setFlag(key: string, ttlMs: number): Promise<void> {
    this.flags.set(key, this.now() + ttlMs);
  }

  async flagTtl(key: string): Promise<number> {
    const at = this.flags.get(key);
    const left = at === undefined ? 0 : at - this.now();
    if (at !== undefined && left <= 0) this.flags.delete(key);
    return Math.max(0, left);
  }

  async once(key: string, expireAtMs: number): Promise<boolean> {
    const at = this.flags.get(key);
    if (at !== undefined && at > this.now()) return false;
    this.flags.set(key, expireAtMs);
    return true;
  }

  private collection(name: string): Map<string, string> {
    let docs = this.docs.get(name);
    if (!docs) {
      const file = this.docsDir && join(this.docsDir, `${name}.json`);
      const saved = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
      docs = new Map(Object.entries(saved));
      this.docs.set(name, docs);
    }
    return docs;
  }

  async putDoc(collection: string, id: string, json: string): Promise<void> {
    const docs = this.collection(collection);
    docs.set(id, json);
    if (!this.docsDir) return;
    mkdirSync(this.docsDir, { recursive: true });
    const file = join(this.docsDir, `${collection}.json`);
    // write then rename, so a crash leaves the old file or the new one, never half of one
    writeFileSync(`${file}.tmp`, JSON.stringify(Object.fromEntries(docs)));
    renameSync(`${file}.tmp`, file);
  }

  async getDoc(collection: string, id: string): Promise<string | undefined> {
    return this.collection(collection).get(id);
  }

  async listDocs(collection: string): Promise<string[]> {
    return [...this.collection(collection).values()];
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.journal?.close();
  }
}
