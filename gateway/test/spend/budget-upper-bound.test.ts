import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayConfig, StoreConfig } from '../../src/config/types.js';
import { estimateChatTokens } from '../../src/core/estimate-tokens.js';
import { compileBudgets } from '../../src/spend/budget-config.js';
import { budgetStatus } from '../../src/spend/budget-state.js';
import { reservationCost } from '../../src/spend/admit-budget.js';
import { startFaultUpstream } from '../support/fault-upstream.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { redisAvailable, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

// The measurement: a 27-word prompt that the upstream bills as 42 input tokens, 12 output tokens,
// 66 micro-dollars an answer at $1 / $2 per million, against a $0.005 budget.
const PROMPT = 'Please look at the function below and tell me, in one short sentence, whether it can ever return a negative number for any input at all.';
const USAGE = { prompt_tokens: 42, completion_tokens: 12, total_tokens: 54 };
const COST = 42 + 2 * 12;
const LIMIT = 5000;
const BODY = JSON.stringify({ model: 'm', max_tokens: 12, messages: [{ role: 'user', content: PROMPT }] });

let upstream: MockOpenAI;

function budgetConfig(store: StoreConfig): GatewayConfig {
  const compiled = compileBudgets({ global: { daily_usd: LIMIT / 1e6 } });
  expect(compiled.diagnostics).toEqual([]);
  return { ...testConfig([{ name: 'm', baseUrl: upstream.url }]), store, extensions: { budgets: compiled.budgets } };
}

async function settled(gw: TestGateway): Promise<{ spent: number; reserved: number }> {
  for (let i = 0; i < 400; i++) {
    const [s] = await budgetStatus(gw.runtime);
    if (s && s.reserved === 0) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('reservations never settled');
}

/** 300 concurrent requests spread over the instances; the statuses. */
async function burst(instances: TestGateway[]): Promise<number[]> {
  return Promise.all(
    Array.from({ length: 300 }, (_, i) =>
      fetch(`${instances[i % instances.length]!.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY }).then((r) => r.status),
    ),
  );
}

beforeAll(async () => {
  upstream = await startMockOpenAI({ record: false });
  upstream.setDefault({ kind: 'text', text: 'No, it cannot.', usage: USAGE });
});
afterAll(() => upstream.close());

describe('budget reservations are an upper bound on the bill', () => {
  it('the prompt bills more than its plain token estimate (the hole this closes)', () => {
    const plain = estimateChatTokens({ model: 'm', messages: [{ role: 'user', content: PROMPT }] });
    expect(plain).toBeLessThan(USAGE.prompt_tokens + 5);
    expect(reservationCost(plain, 12, { input: 1, output: 2 })).toBeGreaterThanOrEqual(COST);
  });

  it('counts an image by its size, and an image of unknown size at the most an image costs', () => {
    // a 1×1 PNG
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const tokens = (url: string) => estimateChatTokens({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this' }, { type: 'image_url', image_url: { url } }] }] });
    const text = estimateChatTokens({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this' }] }] });
    expect(tokens(png) - text).toBeGreaterThanOrEqual(85);
    expect(tokens(png) - text).toBeLessThan(300);
    expect(tokens('https://example.com/cat.jpg') - text).toBe(1600);
  });

  it('one instance (memory store) never spends past the limit under 300 concurrent requests', async () => {
    const gw = await startTestGateway(budgetConfig({ kind: 'memory', dataDir: mkdtempSync(join(tmpdir(), 'sy-bound-')) }));
    try {
      const statuses = await burst([gw]);
      const ok = statuses.filter((s) => s === 200).length;
      expect(ok + statuses.filter((s) => s === 429).length).toBe(300);
      const budget = await settled(gw);
      expect(budget.spent).toBe(ok * COST);
      expect(budget.spent).toBeLessThanOrEqual(LIMIT);
      expect(ok).toBeGreaterThan(40);
    } finally {
      await gw.close();
    }
  }, 60_000);

  // Redis only: true under CI whatever the machine (a missing redis-server fails), skipped only on a dev machine without it
  it.runIf(redisAvailable())('three instances on one Redis never spend past the limit under 300 concurrent requests', async () => {
    const redis: RedisServer = await startRedisServer();
    const instances = await Promise.all([0, 1, 2].map(() => startTestGateway(budgetConfig({ kind: 'redis', url: redis.url, dataDir: '.data' }))));
    try {
      const statuses = await burst(instances);
      const ok = statuses.filter((s) => s === 200).length;
      expect(ok + statuses.filter((s) => s === 429).length).toBe(300);
      const budget = await settled(instances[0]!);
      expect(budget.spent).toBe(ok * COST);
      expect(budget.spent).toBeLessThanOrEqual(LIMIT);
      expect(ok).toBeGreaterThan(40);
    } finally {
      await Promise.all(instances.map((g) => g.close()));
      await redis.stop();
    }
  }, 60_000);

  it('reserves at the dearest deployment a request may fall back to', async () => {
    // The group's first deployment is cheap and down; its fallback answers at ten times the price (660 µ$).
    const down = await startFaultUpstream({ byModel: () => ({ kind: 'status', status: 503 }) });
    const config = testConfig(
      [
        { name: 'm', baseUrl: down.url },
        { name: 'm', baseUrl: upstream.url },
      ],
      { extensions: { resilience: { retries: 0, backoff_base_ms: 1 } } },
    );
    const [cheap, dear] = config.models.get('m')!;
    expect(cheap!.prices).toEqual({ input: 1, output: 2 });
    dear!.prices = { input: 10, output: 20 };
    const compiled = compileBudgets({ global: { daily_usd: LIMIT / 1e6 } });
    const gw = await startTestGateway({ ...config, store: { kind: 'memory', dataDir: mkdtempSync(join(tmpdir(), 'sy-bound-')) }, extensions: { ...config.extensions, budgets: compiled.budgets } });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 60 }, () => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY }).then((r) => r.status)),
      );
      const ok = statuses.filter((s) => s === 200).length;
      expect(ok + statuses.filter((s) => s === 429).length).toBe(60);
      const budget = await settled(gw);
      expect(budget.spent).toBe(ok * 10 * COST);
      expect(budget.spent).toBeLessThanOrEqual(LIMIT);
      expect(ok).toBeGreaterThan(0);
    } finally {
      await gw.close();
      await down.close();
    }
  }, 60_000);
});
