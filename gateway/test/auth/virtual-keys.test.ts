import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileBudgets } from '../../src/spend/budget-config.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { MASTER_KEY, jsonOf, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

const USAGE = { prompt_tokens: 1000, completion_tokens: 2000, total_tokens: 3000 }; // 5000 micro-dollars at testConfig prices

describe('virtual keys', () => {
  let upstream: MockOpenAI;
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-keys-'));
  const config = () => {
    const base = testConfig([{ name: 'm', baseUrl: 'http://127.0.0.1:1/v1' }, { name: 'other', baseUrl: 'http://127.0.0.1:1/v1' }], { masterKey: MASTER_KEY });
    const models = new Map([...base.models].map(([name, ds]) => [name, ds.map((d) => ({ ...d, provider: { ...d.provider, baseUrl: upstream.url } }))]));
    return { ...base, models, store: { kind: 'memory' as const, dataDir }, extensions: { budgets: compileBudgets({ keys: { ci: { daily_usd: 0.012 } } }).budgets } };
  };
  let gw: TestGateway;
  beforeAll(async () => {
    upstream = await startMockOpenAI();
    upstream.setDefault({ kind: 'text', text: 'ok', usage: USAGE });
    gw = await startTestGateway(config());
  });
  afterAll(async () => {
    await gw?.close();
    await upstream.close();
  });

  const adminPost = (body: unknown, key = MASTER_KEY) =>
    fetch(`${gw.url}/admin/keys`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const chat = (key: string, model = 'm') =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, max_tokens: 2000, messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('creates keys with the master key only, shows the key once and stores only its hash', async () => {
    expect((await adminPost({ alias: 'x' }, 'sk-wrong')).status).toBe(401);
    expect((await adminPost({ alias: '' })).status).toBe(400);
    const res = await adminPost({ alias: 'ci', team: 'core', models: ['m'] });
    expect(res.status).toBe(201);
    const created = (await res.json()) as any;
    expect(created.key).toMatch(/^sk-sy-/);
    expect(created).toMatchObject({ alias: 'ci', team: 'core', models: ['m'] });
    expect(created.hash).toBeUndefined();
    expect(readFileSync(join(dataDir, 'keys.json'), 'utf8')).not.toContain(created.key);
    const listed = await jsonOf(fetch(`${gw.url}/admin/keys`, { headers: { authorization: `Bearer ${MASTER_KEY}` } }));
    expect(listed.keys).toEqual([expect.objectContaining({ id: created.id, alias: 'ci' })]);
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect((await chat(created.key)).status).toBe(200);
    expect((await chat('sk-sy-unknown')).status).toBe(401);
  });

  it('enforces allowed models and the per-key budget, and keeps keys across a restart', async () => {
    const { key, id } = (await (await adminPost({ alias: 'ci2', models: ['m'] })).json()) as any;
    expect((await chat(key, 'other')).status).toBe(403);
    const ci = (await (await adminPost({ alias: 'ci' })).json()) as any;
    // the `ci` alias budget ($0.012) fits two requests of 5000 micro-dollars; the third's worst case does not
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await chat(ci.key)).status);
    expect(statuses).toEqual([200, 200, 429]);

    await gw.close();
    gw = await startTestGateway(config());
    expect((await chat(key)).status).toBe(200);
    const del = await fetch(`${gw.url}/admin/keys/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${MASTER_KEY}` } });
    expect(del.status).toBe(200);
    expect((await chat(key)).status).toBe(401);
  });

  it("enforces a key's own budget, which survives rotation", async () => {
    const { key, id } = (await (await adminPost({ alias: 'capped', budgets: { daily_usd: 0.012 } })).json()) as any;
    expect((await chat(key)).status).toBe(200);
    const rotated = (await (await fetch(`${gw.url}/admin/keys/${id}/rotate`, { method: 'POST', headers: { authorization: `Bearer ${MASTER_KEY}` } })).json()) as any;
    expect(rotated.id).toBe(id);
    expect((await chat(key)).status).toBe(401);
    const statuses = [(await chat(rotated.key)).status, (await chat(rotated.key)).status];
    expect(statuses).toEqual([200, 429]);
  });

  it('refuses an expired key', async () => {
    const { key } = (await (await adminPost({ alias: 'old', expires_at: '2020-01-01T00:00:00Z' })).json()) as any;
    expect((await chat(key)).status).toBe(401);
  });
});
