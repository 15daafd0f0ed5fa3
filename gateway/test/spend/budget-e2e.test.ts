import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../src/config/types.js';
import { compileBudgets } from '../../src/spend/budget-config.js';
import { budgetStatus } from '../../src/spend/budget-state.js';
import { microsToUsd } from '../../src/spend/compute-cost.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { jsonOf, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

// testConfig prices every model at $1 / $2 per million input / output tokens: 1 micro-dollar per input token, 2 per output token.
const USAGE = { prompt_tokens: 1000, completion_tokens: 2000, total_tokens: 3000 };
const COST = 1000 + 2 * 2000;

function budgetConfig(url: string, budgets: unknown): GatewayConfig {
  const base = testConfig([{ name: 'm', baseUrl: url }]);
  const compiled = compileBudgets(budgets);
  expect(compiled.diagnostics).toEqual([]);
  return { ...base, store: { kind: 'memory', dataDir: mkdtempSync(join(tmpdir(), 'sy-budget-')) }, extensions: { budgets: compiled.budgets } };
}

const chat = (gw: TestGateway, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'm', max_tokens: 2000, messages: [{ role: 'user', content: 'hi' }], ...extra }),
  });

async function settled(gw: TestGateway): Promise<{ spent: number; reserved: number }> {
  for (let i = 0; i < 100; i++) {
    const [s] = await budgetStatus(gw.runtime);
    if (s && s.reserved === 0) return s;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('reservation never settled');
}

describe('budgets through the gateway', () => {
  let upstream: MockOpenAI;
  let gw: TestGateway | undefined;
  beforeAll(async () => {
    upstream = await startMockOpenAI();
  });
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
    upstream.setDefault({ kind: 'text', text: 'Hello from mock', usage: USAGE });
  });
  afterAll(() => upstream.close());

  it('reports the cost of a non-streamed answer in headers', async () => {
    upstream.setDefault({ kind: 'text', text: 'Hello from mock', usage: USAGE });
    gw = await startTestGateway(testConfig([{ name: 'm', baseUrl: upstream.url }]));
    const res = await chat(gw);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-cost-usd')).toBe(microsToUsd(COST));
    expect(res.headers.get('x-litellm-response-cost')).toBe('0.005000');
  });

  it('reports the cost on the Messages and Responses surfaces too, and charges their budgets', async () => {
    upstream.setDefault({ kind: 'text', text: 'Hello from mock', usage: USAGE });
    gw = await startTestGateway(budgetConfig(upstream.url, { global: { daily_usd: 1 } }));
    const post = (path: string, body: unknown) => fetch(`${gw!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const messages = await post('/v1/messages', { model: 'm', max_tokens: 2000, messages: [{ role: 'user', content: 'hi' }] });
    expect(messages.status).toBe(200);
    expect(messages.headers.get('x-litellm-response-cost')).toBe(microsToUsd(COST));
    const responses = await post('/v1/responses', { model: 'm', max_output_tokens: 2000, input: 'hi' });
    expect(responses.status).toBe(200);
    expect(responses.headers.get('x-switchyard-cost-usd')).toBe(microsToUsd(COST));
    expect((await settled(gw)).spent).toBe(2 * COST);
  });

  it('settles to the actual cost and refuses at the hard limit before anything goes upstream', async () => {
    upstream.setDefault({ kind: 'text', text: 'Hello from mock', usage: USAGE });
    // worst case per request: ~10 input tokens + 2000 output tokens = ~4010 micro-dollars; each costs 5000
    gw = await startTestGateway(budgetConfig(upstream.url, { global: { daily_usd: 0.018 } }));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await chat(gw)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await settled(gw)).spent).toBe(3 * COST);

    const sentBefore = upstream.requests.length;
    const refused = await chat(gw);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-should-retry')).toBe('false');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = await jsonOf(refused);
    expect(body.error.type).toBe('budget_exceeded');
    expect(body.error.message).toMatch(/global:daily.*\$0\.015000 of \$0\.018000.*resets at \d{4}-/);
    expect(upstream.requests.length).toBe(sentBefore);
    // a smaller request still fits
    expect((await chat(gw, { max_tokens: 100 })).status).toBe(200);
  });

  it('charges a streamed request from the usage at the end of the stream', async () => {
    upstream.setDefault({ kind: 'text', text: 'Hello from mock', usage: USAGE });
    gw = await startTestGateway(budgetConfig(upstream.url, { global: { daily_usd: 1 } }));
    const res = await chat(gw, { stream: true });
    expect(res.status).toBe(200);
    await res.text();
    expect(await settled(gw)).toMatchObject({ spent: COST, reserved: 0 });
  });

  it('charges a client that leaves mid-stream for what was generated, and releases the rest', async () => {
    upstream.setDefault({ kind: 'text', text: 'one two three four five six seven eight nine ten', chunkSize: 4, chunkDelayMs: 50, usage: USAGE });
    gw = await startTestGateway(budgetConfig(upstream.url, { global: { daily_usd: 1 } }));
    const res = await chat(gw, { stream: true });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    const state = await settled(gw);
    expect(state.spent).toBeGreaterThan(0);
    expect(state.spent).toBeLessThan(COST);
  });

  it('releases the reservation of a request that failed upstream', async () => {
    upstream.enqueue({ kind: 'error', status: 400, body: { error: { message: 'bad', type: 'invalid_request_error' } } });
    gw = await startTestGateway(budgetConfig(upstream.url, { global: { daily_usd: 1 } }));
    expect((await chat(gw)).status).toBe(400);
    expect(await settled(gw)).toMatchObject({ spent: 0, reserved: 0 });
  });

  it('keeps a per-user budget from the x-switchyard-user header or the user field', async () => {
    upstream.setDefault({ kind: 'text', text: 'Hello from mock', usage: USAGE });
    gw = await startTestGateway(budgetConfig(upstream.url, { each_user: { daily_usd: 0.006 } }));
    expect((await chat(gw, {}, { 'x-switchyard-user': 'ann' })).status).toBe(200);
    expect((await chat(gw, {}, { 'x-switchyard-user': 'ann' })).status).toBe(429);
    expect((await chat(gw, { user: 'bob' })).status).toBe(200);
    expect((await budgetStatus(gw.runtime, { keyId: 'anonymous', user: 'bob' }))[0]).toMatchObject({ subject: 'bob' });
  });

  it('applies the store failure policy when Redis is unreachable, and says so in /health', async () => {
    upstream.setDefault({ kind: 'text', text: 'Hello from mock', usage: USAGE });
    const down = (policy: string) => ({ ...budgetConfig(upstream.url, { global: { daily_usd: 1 }, on_store_failure: policy }), store: { kind: 'redis' as const, url: 'redis://127.0.0.1:1', dataDir: '.' } });
    gw = await startTestGateway(down('fail_closed'));
    const closed = await chat(gw);
    expect(closed.status).toBe(503);
    expect((await jsonOf(closed)).error.code).toBe('budget_store_unavailable');
    expect((await jsonOf(fetch(`${gw.url}/health`))).budget_store).toMatchObject({ state: 'unreachable', failures: 1 });
    expect(gw.logs.some((l) => l.msg === 'budget store unreachable' && l.policy === 'fail_closed')).toBe(true);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/^switchyard_store_up\{store="redis"\} 0$/m);
    expect(metrics).toMatch(/^switchyard_store_failures_total\{store="redis"\} [1-9]/m);
    await gw.close();
    gw = await startTestGateway(down('fail_open'));
    expect((await chat(gw)).status).toBe(200);
  });

  it('blocks a model without a known price unless the policy allows it', async () => {
    const base = budgetConfig(upstream.url, { global: { daily_usd: 1 } });
    const unpriced = [...base.models.get('m')!].map((d) => ({ ...d, prices: {} }));
    gw = await startTestGateway({ ...base, models: new Map([['m', unpriced]]) });
    const res = await chat(gw);
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).error.code).toBe('unpriced_model');
  });
});
