import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../src/config/types.js';
import { compileBudgets } from '../../src/spend/budget-config.js';
import { reportDelta } from '../../src/spend/spend-report.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { jsonOf, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

const USAGE = { prompt_tokens: 1000, completion_tokens: 2000, total_tokens: 3000 };
const run = promisify(execFile);

describe('spend report', () => {
  let upstream: MockOpenAI;
  let gw: TestGateway;
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-report-'));
  const config = (): GatewayConfig => {
    const base = testConfig([{ name: 'small', baseUrl: upstream.url }, { name: 'big', baseUrl: upstream.url }]);
    const models = new Map([...base.models].map(([name, ds]) => [name, ds.map((d) => (name === 'big' ? { ...d, prices: { input: 10, output: 20 } } : d))]));
    return { ...base, models, store: { kind: 'memory', dataDir }, extensions: { budgets: compileBudgets({}).budgets } };
  };
  beforeAll(async () => {
    upstream = await startMockOpenAI();
    upstream.setDefault({ kind: 'text', text: 'ok', usage: USAGE });
    gw = await startTestGateway(config());
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  const chat = (model: string, user: string) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchyard-user': user },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    }).then((r) => r.arrayBuffer());
  const report = async (by: string) => {
    for (let i = 0; i < 100; i++) {
      const body = await jsonOf(fetch(`${gw.url}/admin/spend?by=${by}`));
      if (body.total?.requests === 3) return body;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('spend never recorded');
  };

  it('reports cost, tokens, requests and savings against the premium baseline, by model, user and day', async () => {
    await chat('small', 'ann');
    await chat('small', 'ann');
    await chat('big', 'bob');
    const byModel = await report('model');
    expect(byModel.baseline).toBe('big');
    // small costs 5000 micro-dollars a request, big (the baseline) 50000
    expect(byModel.rows).toEqual([
      { name: 'big', cost_usd: '0.050000', savings_usd: '0.000000', prompt_tokens: 1000, completion_tokens: 2000, requests: 1 },
      { name: 'small', cost_usd: '0.010000', savings_usd: '0.090000', prompt_tokens: 2000, completion_tokens: 4000, requests: 2 },
    ]);
    expect(byModel.total).toMatchObject({ cost_usd: '0.060000', savings_usd: '0.090000', requests: 3 });
    expect((await report('user')).rows.map((r: { name: string }) => r.name)).toEqual(['bob', 'ann']);
    expect((await report('day')).rows).toEqual([expect.objectContaining({ name: new Date().toISOString().slice(0, 10), requests: 3 })]);
    expect((await fetch(`${gw.url}/admin/spend?by=planet`)).status).toBe(400);
  });

  it('survives a restart (memory journal) and prints through the CLI', async () => {
    await gw.close();
    gw = await startTestGateway(config());
    expect((await report('model')).total).toMatchObject({ cost_usd: '0.060000', requests: 3 });
    const main = resolve(__dirname, '../../src/cli/main.ts');
    const { stdout } = await run(process.execPath, ['--import', import.meta.resolve('tsx'), main, 'spend', '--by', 'user', '--url', gw.url]);
    expect(stdout).toMatch(/^user\tcost_usd/);
    expect(stdout).toMatch(/ann\t0\.010000\t0\.090000\t2000\t4000\t2/);
    expect(stdout).toMatch(/total\t0\.060000/);
  }, 30_000);
});

describe('report deltas', () => {
  it('file each settle under its UTC day, across day, year and 1970 boundaries and back', () => {
    const dayOf = (ms: number) => reportDelta({ keyId: 'k' }, 'm', undefined, { cost: 1 }, ms).day;
    const moments = [Date.UTC(2026, 11, 2, 23, 59, 59, 999), Date.UTC(2026, 11, 3), Date.UTC(2026, 11, 2, 12), Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1), -1, 0, -86_400_001];
    for (const ms of moments) expect(dayOf(ms)).toBe(new Date(ms).toISOString().slice(0, 10));
  });

  it('adds each amount under every dimension the request has, also after the field-name cache was dropped', () => {
    const usage = { prompt_tokens: 10, completion_tokens: 0, total_tokens: 10 };
    const expected = (user: string) => ({
      'total=|cost': 7, 'total=|baseline': 10, 'total=|prompt': 10, 'total=|requests': 1,
      'key=alice|cost': 7, 'key=alice|baseline': 10, 'key=alice|prompt': 10, 'key=alice|requests': 1,
      'team=t|cost': 7, 'team=t|baseline': 10, 'team=t|prompt': 10, 'team=t|requests': 1,
      [`user=${user}|cost`]: 7, [`user=${user}|baseline`]: 10, [`user=${user}|prompt`]: 10, [`user=${user}|requests`]: 1,
    });
    // zero amounts (completion) are left out
    for (let i = 0; i < 10_050; i++) {
      const user = `u${i}`;
      const { fields } = reportDelta({ keyId: 'k', keyAlias: 'alice', team: 't', user }, undefined, usage, { cost: 7, baselineCost: 10 }, 0);
      if (i % 1000 === 0 || i > 9_990) expect(fields).toEqual(expected(user));
    }
    expect(reportDelta({ keyId: 'k' }, 'm', undefined, { cost: 3 }, 0).fields).toEqual({ 'total=|cost': 3, 'total=|baseline': 3, 'total=|requests': 1, 'key=k|cost': 3, 'key=k|baseline': 3, 'key=k|requests': 1, 'model=m|cost': 3, 'model=m|baseline': 3, 'model=m|requests': 1 });
  });
});
