/**
 * The gateway's shared state: budget counters, rate-limit windows, cooldowns and alert-once markers. One
 * interface, two implementations (memory with a journal, Redis with Lua scripts); every check-and-update is
 * atomic in both. Amounts are integer micro-dollars. Keys are plain strings chosen by the caller; the Redis
 * store adds its prefix and hash tag.
 */
export interface StateStore {
  readonly kind: 'memory' | 'redis';
  /** The store's clock (Redis: server TIME, tracked as an offset), used for windows so instances agree. */
  now(): number;

  /**
   * Reserves `amount` against every counter at once, or none: refused when any counter's settled + reserved
   * + amount would exceed its limit (a limit of null only counts). Counters expire at `expireAtMs`.
   * `holdId` names the reservation (settled with the same id as `SpendEntry.settleId`): a shared store leases
   * it, renewing the lease while this process lives, so a holder that dies without settling frees it.
   */
  reserve(counters: readonly CounterRef[], amount: number, holdId?: string): Promise<ReserveResult>;
  /** Turns a reservation into spend: reserved -= `reserved`, spent += `actual`, on every counter; resolves once it is durable (memory: its journal line is written). */
  settle(counters: readonly CounterRef[], reserved: number, actual: number, entry?: SpendEntry): Promise<void>;
  /** One day's spend report (see SpendEntry.report); empty when nothing was recorded. */
  readReport(day: string): Promise<Record<string, number>>;
  /** Reads counters (spent and reserved), zero when absent or expired. */
  read(keys: readonly string[]): Promise<CounterState[]>;

  /**
   * Fixed-window counter with a limit, for rate limits: adds `cost` to the window `key` (created with a TTL of
   * `windowMs`) unless that would pass `limit`. Returns whether it was counted, the count and the ms to reset.
   */
  hitWindow(key: string, limit: number, windowMs: number, cost?: number): Promise<WindowHit>;
  /** Sets a key that lives `ttlMs` (cooldowns). */
  setFlag(key: string, ttlMs: number): Promise<void>;
  /** Remaining ms of a key set by `setFlag`, 0 when absent or expired. */
  flagTtl(key: string): Promise<number>;
  /** True the first time it is called for `key` until the key expires at `expireAtMs` (alert-once). */
  once(key: string, expireAtMs: number): Promise<boolean>;

  /** Small JSON documents by collection and id (virtual keys); memory persists them to the data directory. */
  putDoc(collection: string, id: string, json: string): Promise<void>;
  getDoc(collection: string, id: string): Promise<string | undefined>;
  listDocs(collection: string): Promise<string[]>;

  /** Resolves when the store answers (readiness); rejects when it cannot be reached. */
  ping(): Promise<void>;

  close(): Promise<void>;
}

export interface CounterRef {
  key: string;
  /** Null: no limit, the counter only records. */
  limit: number | null;
  expireAtMs: number;
}

/** `levels`: each counter's settled + reserved spend before this reservation (for soft thresholds). */
export type ReserveResult = { ok: true; levels: number[] } | { ok: false; key: string; spent: number; reserved: number; limit: number };

export interface CounterState {
  key: string;
  spent: number;
  reserved: number;
}

export interface WindowHit {
  allowed: boolean;
  count: number;
  resetInMs: number;
}

/** What a settled request adds to the spend journal (memory) beyond the counters, for reports. */
export interface SpendEntry {
  /** The request id: a settle resent after a lost reply is applied once (Redis). */
  settleId?: string;
  model?: string;
  keyId?: string;
  team?: string;
  user?: string;
  promptTokens?: number;
  completionTokens?: number;
  /** Amounts added, atomically with the settle, to the day's spend report (`readReport`). */
  report?: SpendReportDelta;
}

/** Additions to one day's spend report: field → amount (fields such as `model=gpt-4o|cost`). */
export interface SpendReportDelta {
  day: string;
  fields: Record<string, number>;
  expireAtMs: number;
}
