import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultUpstream, type FaultUpstream } from '../support/fault-upstream.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { haproxyAvailable, startHaproxy, type Haproxy } from '../support/haproxy.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { freePort, redisAvailable, startRedisServer, type RedisServer } from '../support/redis-server.js';

// Scale-out proof: three `switchyard serve` processes on one redis-server behind a real HAProxy that
// health-checks /health/readiness. Every request below goes through the balancer.

const MASTER = 'sk-scale-out-master-0123456789';
// The upstreams report 5 input + 50 output tokens and their cost: 105 micro-dollars at $1/$2 per million.
const USAGE = { prompt_tokens: 5, completion_tokens: 50, total_tokens: 55, cost: 0.000105 };
const COST = 105;
// One request's worst case, which is what it reserves: ~8 estimated input tokens + max_tokens 50 at $2/M ≈ 108.
const WORST = 2 * COST;
const LIMIT_MICROS = 100_000;
const NAMES = ['gw1', 'gw2', 'gw3'] as const;

interface Outcome {
  startedAt: number;
  endedAt: number;
  /** 0 when the connection failed without an HTTP answer. */
  status: number;
  servedBy?: string;
  errorCode?: string;
  /** What the answer billed the client (x-switchyard-cost-usd), micro-dollars. */
  billed: number;
}

function instanceConfig(dir: string, name: string, redisUrl: string, slow: string, fast: string, flaky: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `
server: { host: 127.0.0.1 }
auth: { master_key: ${MASTER} }
store: { kind: redis, url: "${redisUrl}" }
providers:
  slow: { kind: openai-compatible, base_url: "${slow}", headers: { x-instance: ${name} } }
  fast: { kind: openai-compatible, base_url: "${fast}", headers: { x-instance: ${name} } }
  flaky: { kind: openai-compatible, base_url: "${flaky}" }
models:
  - { name: slow-m, provider: slow, model: mock-model, prices: { input: 1, output: 2 } }
  - { name: fast-m, provider: fast, model: mock-model, prices: { input: 1, output: 2 } }
  - { name: pair, provider: flaky, model: flaky-model, prices: { input: 1, output: 2 } }
  - { name: pair, provider: fast, model: mock-model, prices: { input: 1, output: 2 } }
budgets:
  global: { daily_usd: ${LIMIT_MICROS / 1e6} }
limits:
  per_key: { rpm: 25 }
  keys: { master: {} }
resilience:
  retries: 0
  cooldown: { failures: 2, window_s: 60, cooldown_s: 300 }
`);
  return file;
}

// Runs only with real redis-server and haproxy binaries; both helpers are always true under CI (a missing binary
// then fails), so this skips only on a developer machine without them, with a warning.
describe.runIf(redisAvailable() && haproxyAvailable())('three gateways on one Redis behind HAProxy', () => {
  let redis: RedisServer;
  let slow: MockOpenAI;
  let fast: MockOpenAI;
  let flaky: FaultUpstream;
  let lb: Haproxy;
  const gateways: GatewayProcess[] = [];
  const configs: string[] = [];
  const ports: number[] = [];
  let dir: string;

  const call = async (model: string, key = MASTER): Promise<Outcome> => {
    const startedAt = performance.now();
    try {
      const res = await fetch(`${lb.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ model, max_tokens: 50, messages: [{ role: 'user', content: 'hello there, how are you today?' }] }),
      });
      const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
      return {
        startedAt,
        endedAt: performance.now(),
        status: res.status,
        servedBy: res.headers.get('x-served-by') ?? undefined,
        errorCode: body.error?.code,
        billed: Math.round(Number(res.headers.get('x-switchyard-cost-usd') ?? 0) * 1e6),
      };
    } catch {
      return { startedAt, endedAt: performance.now(), status: 0, billed: 0 };
    }
  };

  /** `concurrency` clients, each sending its next request when its last one is answered, while `more()` says so. */
  const load = async (concurrency: number, model: string, more: (done: Outcome[]) => boolean, onAnswer?: (done: Outcome[]) => void): Promise<Outcome[]> => {
    const done: Outcome[] = [];
    let issued = 0;
    const client = async () => {
      while (issued < 5000 && more(done)) {
        issued++;
        done.push(await call(model));
        onAnswer?.(done);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
    return done;
  };

  const budget = async (): Promise<{ spent: number; reserved: number; limit: number }> => {
    const res = await fetch(`${lb.url}/admin/budgets`, { headers: { authorization: `Bearer ${MASTER}` } });
    const body = (await res.json()) as { budgets: Array<{ spent: number; reserved: number; limit: number }> };
    return body.budgets[0]!;
  };
  /** The global budget once every answered request has settled (two equal reads in a row). */
  const settledBudget = async () => {
    let last = await budget();
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const next = await budget();
      if (next.spent === last.spent && next.reserved === last.reserved) return next;
      last = next;
    }
    throw new Error(`the budget never settled: ${JSON.stringify(last)}`);
  };
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sy-scale-out-'));
    redis = await startRedisServer();
    [slow, fast, flaky] = await Promise.all([startMockOpenAI({ thinkMs: 200 }), startMockOpenAI(), startFaultUpstream()]);
    for (const up of [slow, fast]) up.setDefault({ kind: 'text', text: 'fifty tokens or so', usage: USAGE });
    flaky.setPlan({ shares: [{ share: 1, fault: { kind: 'status', status: 503, message: 'overloaded' } }] });
    for (const name of NAMES) {
      ports.push(await freePort());
      configs.push(instanceConfig(dir, name, redis.url, slow.url, fast.url, flaky.url));
    }
    gateways.push(...(await Promise.all(NAMES.map((_, i) => startGatewayProcess(configs[i]!, dir, { port: ports[i]! })))));
    lb = await startHaproxy(NAMES.map((name, i) => ({ name, port: ports[i]! })));
    await lb.waitFor((s) => s.every((x) => x.status === 'UP'), 'all three gateways UP');
  }, 60_000);

  afterAll(async () => {
    console.log(`scale-out figures: ${JSON.stringify(figures)}`);
    await Promise.all(gateways.map((g) => g.kill9()));
    await lb?.stop();
    await Promise.all([slow?.close(), fast?.close(), flaky?.close()]);
    await redis?.stop();
  });

  it('honours on every instance a cooldown that one instance learned', async () => {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 12; i++) outcomes.push(await call('pair'));
    expect(outcomes.map((o) => o.status)).toEqual(Array(12).fill(200));
    // two failures put the flaky deployment in cooldown; the ten requests after them, spread by round robin
    // over all three instances, never reach it
    expect(flaky.given).toEqual(['status', 'status']);
    expect(new Set(outcomes.slice(2).map((o) => o.servedBy))).toEqual(new Set(NAMES));
  });

  it('holds a per-key requests-per-minute limit across the instances', async () => {
    const created = await fetch(`${lb.url}/admin/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` },
      body: JSON.stringify({ alias: 'scale-out-client' }),
    });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    const outcomes = await Promise.all(Array.from({ length: 60 }, () => call('fast-m', key)));
    const ok = outcomes.filter((o) => o.status === 200);
    const limited = outcomes.filter((o) => o.status === 429);
    expect(ok.length).toBe(25);
    expect(limited.length).toBe(35);
    // One window across instances: each alone would have let its ~20 through. Which instances won the 25 slots
    // depends on scheduling (a busy machine can leave one instance's requests all behind the others').
    expect(new Set(ok.map((o) => o.servedBy)).size).toBeGreaterThanOrEqual(2);
    figures.rpm = { limit: 25, sent: 60, allowed: ok.length, limited: limited.length };
  });

  it('routes around an instance killed with -9 mid-load: only its requests in flight fail, no settled spend is lost', async () => {
    const before = await settledBudget();
    const slowBefore = slow.requests.length;
    // SIGKILL is sent at killAt; the process is known dead when its exit is seen, at diedAt
    let killAt = Number.POSITIVE_INFINITY;
    let diedAt = Number.POSITIVE_INFINITY;
    let killed: Promise<void> | undefined;
    const outcomes = await load(
      12,
      'slow-m',
      (done) => done.length < 240,
      (done) => {
        if (done.length === 60 && !killed) {
          killAt = performance.now();
          killed = gateways[2]!.kill9().then(() => void (diedAt = performance.now()));
        }
      },
    );
    await killed;
    await lb.waitFor((s) => s.find((x) => x.name === 'gw3')!.status.startsWith('DOWN'), 'gw3 DOWN');

    const failures = outcomes.filter((o) => o.status !== 200);
    const ok = outcomes.filter((o) => o.status === 200);
    // the only failures are requests that were in flight when the process died: HAProxy answers 502, or, for a
    // request it had sent on a reused server connection, closes the client connection without an answer
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) {
      expect(f.startedAt).toBeLessThan(diedAt);
      expect(f.endedAt).toBeGreaterThan(killAt);
      expect([0, 502]).toContain(f.status);
    }
    // after the kill the two others took the whole load
    const after = ok.filter((o) => o.startedAt > diedAt);
    expect(after.length).toBeGreaterThan(100);
    expect(new Set(after.map((o) => o.servedBy))).toEqual(new Set(['gw1', 'gw2']));

    // upstream view: the kill cut the requests gw3 had open upstream; each of those is a client failure, and
    // nothing was sent twice (a failed request never reached the upstream again through another instance)
    const sent = slow.requests.slice(slowBefore);
    const cutOnVictim = sent.filter((r) => r.headers['x-instance'] === 'gw3' && r.closedEarlyAt !== undefined).length;
    expect(failures.length).toBeGreaterThanOrEqual(cutOnVictim);
    expect(sent.length).toBeGreaterThanOrEqual(ok.length + cutOnVictim);
    expect(sent.length).toBeLessThanOrEqual(ok.length + failures.length);

    // spend: every answer billed to a client is in the store; the victim may have settled a request it then
    // could not answer, and its unsettled reservations stay reserved until the window ends
    const settled = await settledBudget();
    const billed = ok.reduce((sum, o) => sum + o.billed, 0);
    expect(ok.every((o) => o.billed === COST)).toBe(true);
    const added = settled.spent - before.spent;
    expect(added).toBeGreaterThanOrEqual(billed);
    expect(added - billed).toBeLessThanOrEqual(failures.length * COST);
    const stranded = settled.reserved - before.reserved;
    expect(stranded).toBeLessThanOrEqual(failures.length * WORST);
    figures.kill = {
      requests: outcomes.length,
      failed: failures.length,
      failed_502: failures.filter((f) => f.status === 502).length,
      failed_connection_closed: failures.filter((f) => f.status === 0).length,
      cut_upstream_on_victim: cutOnVictim,
      billed_micros: billed,
      store_spent_added_micros: added,
      lost_spend_micros: Math.max(0, billed - added),
      settled_but_unanswered_micros: added - billed,
      reservations_stranded_micros: stranded,
    };

    // the instance comes back where the balancer expects it and is taken back once ready
    gateways[2] = await startGatewayProcess(configs[2]!, dir, { port: ports[2]! });
    await lb.waitFor((s) => s.every((x) => x.status === 'UP'), 'gw3 UP again');
  }, 60_000);

  it('never overshoots one global budget under concurrent load over all instances', async () => {
    const before = await settledBudget();
    const outcomes = await load(24, 'fast-m', (done) => done.filter((o) => o.errorCode === 'budget_exceeded').length < 48);
    expect(new Set(outcomes.map((o) => o.status))).toEqual(new Set([200, 429]));
    const ok = outcomes.filter((o) => o.status === 200);
    // One window across instances: each alone would have let its ~20 through. Which instances won the 25 slots
    // depends on scheduling (a busy machine can leave one instance's requests all behind the others').
    expect(new Set(ok.map((o) => o.servedBy)).size).toBeGreaterThanOrEqual(2);
    expect(outcomes.filter((o) => o.status === 429).every((o) => o.errorCode === 'budget_exceeded')).toBe(true);

    const final = await settledBudget();
    expect(final.limit).toBe(LIMIT_MICROS);
    // exact accounting while no instance dies: the store holds what the clients were billed
    expect(final.spent - before.spent).toBe(ok.reduce((sum, o) => sum + o.billed, 0));
    const overshoot = final.spent - final.limit;
    expect(overshoot).toBeLessThanOrEqual(WORST);
    // reservations are atomic, so even counting the ones gw3 stranded the limit is not passed
    expect(final.spent + final.reserved).toBeLessThanOrEqual(final.limit);
    // and the budget really was used up: less than one more request's worst case is left
    const last = await call('fast-m');
    expect(last.errorCode).toBe('budget_exceeded');
    expect(final.limit - final.spent - final.reserved).toBeLessThan(WORST);
    figures.budget = {
      limit_micros: final.limit,
      spent_micros: final.spent,
      reserved_micros: final.reserved,
      overshoot_micros: overshoot,
      answered: ok.length,
      refused: outcomes.length - ok.length,
    };
  }, 60_000);
});
