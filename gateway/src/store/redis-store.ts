import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { CounterRef, CounterState, ReserveResult, SpendEntry, StateStore, WindowHit } from './types.js';

/** Lua source beside this module (src), or in src when running from dist (tsc does not copy .lua files). */
function lua(name: string): string {
  const here = fileURLToPath(new URL(`./lua/${name}`, import.meta.url));
  const path = existsSync(here) ? here : fileURLToPath(new URL(`../../src/store/lua/${name}`, import.meta.url));
  return readFileSync(path, 'utf8');
}

const SCRIPTS = { syReserve: 'reserve.lua', sySettle: 'settle.lua', syRenewLeases: 'renew-leases.lua', syWindowHit: 'window-hit.lua', syOnce: 'alert-once.lua' } as const;
type ScriptFn = (numKeys: number, ...args: Array<string | number>) => Promise<unknown>;
type ScriptedRedis = Redis & Record<keyof typeof SCRIPTS, ScriptFn>;

/** Budget counters share one hash tag so a multi-counter reserve is one script on one Redis Cluster slot. */
const BUDGET = 'sy:{budget}:';
/** Reservation leases (hold id → lease end) and what each holds (amount and counters), for reclaiming. */
const LEASES = `${BUDGET}leases`;
const LEASE_DATA = `${BUDGET}lease-data`;
const CLOCK_REFRESH_MS = 30_000;
/** How long a reservation outlives its holder's last renewal; renewed every third of it while the holder lives. */
const DEFAULT_LEASE_MS = 120_000;

export interface RedisStoreOptions {
  url: string;
  /** Ms to wait for a connection or a reply before a call fails (the budget layer then applies its failure policy). */
  timeoutMs?: number;
  /** Reservation lease (default 120 s, or SWITCHYARD_RESERVATION_LEASE_MS). */
  leaseMs?: number;
}

/**
 * The Redis store: every check-and-update is one Lua script (see ./lua), so several gateway processes enforce
 * the same budgets. Windows are computed from Redis TIME (tracked as an offset to the local clock).
 */
export class RedisStore implements StateStore {
  readonly kind = 'redis';
  private offsetMs = 0;
  private clockTimer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  /** Reservations this process holds and has not settled: their leases are renewed. */
  private readonly held = new Set<string>();

  private constructor(
    private readonly redis: ScriptedRedis,
    private readonly leaseMs: number,
  ) {}

  /** Connects, loads the scripts and reads the server clock; rejects when Redis cannot be reached. */
  static async connect(opts: RedisStoreOptions): Promise<RedisStore> {
    const timeout = opts.timeoutMs ?? 2000;
    const redis = new Redis(opts.url, {
      lazyConnect: true,
      connectTimeout: timeout,
      commandTimeout: timeout,
      maxRetriesPerRequest: 1,
      // A settle that was sent before a disconnect must not be resent blindly; settle ids make it safe anyway.
      enableOfflineQueue: false,
    }) as ScriptedRedis;
    for (const [command, file] of Object.entries(SCRIPTS)) redis.defineCommand(command, { lua: lua(file) });
    redis.on('error', () => {
      // errors surface on the calls that fail; the budget layer logs and applies its policy
    });
    const store = new RedisStore(redis, opts.leaseMs ?? (Number(process.env.SWITCHYARD_RESERVATION_LEASE_MS) || DEFAULT_LEASE_MS));
    try {
      await redis.connect();
      await store.syncClock();
    } catch (err) {
      // ioredis would keep reconnecting in the background: the caller retries with a fresh client instead
      redis.disconnect();
      throw err;
    }
    store.clockTimer = setInterval(() => void store.syncClock().catch(() => {}), CLOCK_REFRESH_MS);
    store.clockTimer.unref();
    store.leaseTimer = setInterval(() => void store.renewLeases().catch(() => {}), Math.max(50, Math.floor(store.leaseMs / 3)));
    store.leaseTimer.unref();
    return store;
  }

  private async syncClock(): Promise<void> {
    const before = Date.now();
    const [s, us] = await this.redis.time();
    const after = Date.now();
    this.offsetMs = Number(s) * 1000 + Math.floor(Number(us) / 1000) - Math.round((before + after) / 2);
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Extends the leases of the reservations this process still holds (a failed renewal is retried next time). */
  private async renewLeases(): Promise<void> {
    if (this.held.size === 0) return;
    await this.redis.syRenewLeases(1, LEASES, String(this.leaseMs), ...this.held);
  }

  async reserve(counters: readonly CounterRef[], amount: number, holdId?: string): Promise<ReserveResult> {
    const keys = counters.map((c) => BUDGET + c.key);
    const limits = counters.map((c) => (c.limit === null ? '' : String(c.limit)));
    const expiries = counters.map((c) => String(c.expireAtMs));
    const lease = holdId && counters.length > 0 && amount > 0 ? holdId : '';
    const reply = (await this.redis.syReserve(keys.length + 2, LEASES, LEASE_DATA, ...keys, String(amount), lease, String(this.leaseMs), ...limits, ...expiries)) as number[];
    const i = Number(reply[0]);
    if (i === 0) {
      if (lease) this.held.add(lease);
      return { ok: true, levels: reply.slice(1).map(Number) };
    }
    const ref = counters[i - 1]!;
    return { ok: false, key: ref.key, spent: Number(reply[1]), reserved: Number(reply[2]), limit: ref.limit ?? 0 };
  }

  async settle(counters: readonly CounterRef[], reserved: number, actual: number, entry?: SpendEntry): Promise<void> {
    const marker = `${BUDGET}settled:${entry?.settleId ?? `${this.now()}:${Math.random()}`}`;
    const report = entry?.report;
    const keys = [marker, `${BUDGET}report:${report?.day ?? 'none'}`, LEASES, LEASE_DATA, ...counters.map((c) => BUDGET + c.key)];
    const expiries = counters.map((c) => String(c.expireAtMs));
    const pairs = report ? Object.entries(report.fields).flatMap(([f, v]) => [f, String(Math.round(v))]) : [];
    const lease = entry?.settleId && this.held.has(entry.settleId) ? entry.settleId : '';
    await this.redis.sySettle(keys.length, ...keys, String(24 * 3600_000), String(reserved), String(actual), String(report?.expireAtMs ?? 0), lease, ...expiries, ...pairs);
    if (lease) this.held.delete(lease);
  }

  async read(keys: readonly string[]): Promise<CounterState[]> {
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hmget(BUDGET + key, 'spent', 'reserved');
    const replies = (await pipeline.exec()) ?? [];
    return keys.map((key, i) => {
      const [err, value] = replies[i] ?? [];
      if (err) throw err;
      const [spent, reserved] = (value as Array<string | null>) ?? [];
      return { key, spent: Number(spent ?? 0), reserved: Number(reserved ?? 0) };
    });
  }

  async readReport(day: string): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(`${BUDGET}report:${day}`);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  async hitWindow(key: string, limit: number, windowMs: number, cost = 1): Promise<WindowHit> {
    const reply = (await this.redis.syWindowHit(1, `sy:{w:${key}}`, String(limit), String(windowMs), String(cost))) as number[];
    return { allowed: reply[0] === 1, count: Number(reply[1]), resetInMs: Number(reply[2]) };
  }

  async setFlag(key: string, ttlMs: number): Promise<void> {
    await this.redis.set(`sy:{f:${key}}`, '1', 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async flagTtl(key: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(`sy:{f:${key}}`));
  }

  async once(key: string, expireAtMs: number): Promise<boolean> {
    return (await this.redis.syOnce(1, `sy:{o:${key}}`, String(Math.round(expireAtMs)))) === 1;
  }

  async putDoc(collection: string, id: string, json: string): Promise<void> {
    await this.redis.hset(`sy:{docs}:${collection}`, id, json);
  }

  async getDoc(collection: string, id: string): Promise<string | undefined> {
    return (await this.redis.hget(`sy:{docs}:${collection}`, id)) ?? undefined;
  }

  async listDocs(collection: string): Promise<string[]> {
    return this.redis.hvals(`sy:{docs}:${collection}`);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    clearInterval(this.clockTimer);
    clearInterval(this.leaseTimer);
    this.redis.disconnect();
  }
}
