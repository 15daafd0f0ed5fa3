import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileBudgets } from '../../src/spend/budget-config.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { jsonOf, MASTER_KEY, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

// testConfig prices every model at $1 / $2 per million tokens; the premium baseline here costs $10 / $30.
const USAGE = { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 };
const COST = 1000 + 2 * 500;
const BASELINE = 10 * 1000 + 30 * 500;
const SECRET_PROMPT = 'the launch codes are 0000 and nobody may see this prompt';
const CONSOLE_GETS = ['/admin/overview', '/admin/requests', '/admin/routing', '/admin/models', '/admin/alerts'];

describe('the admin endpoints behind the web console', () => {
  let upstream: MockOpenAI;
  let gw: TestGateway;
  let dataDir: string;
  const auth = { authorization: `Bearer ${MASTER_KEY}` };
  const get = (path: string) => fetch(`${gw.url}${path}`, { headers: auth });
  const chat = (model: string, headers: Record<string, string> = auth) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model, max_tokens: 500, messages: [{ role: 'user', content: SECRET_PROMPT }] }),
    });

  beforeAll(async () => {
    upstream = await startMockOpenAI();
    upstream.setDefault({ kind: 'text', text: 'Hello from mock', usage: USAGE });
    dataDir = mkdtempSync(join(tmpdir(), 'sy-admin-console-'));
    const base = testConfig([{ name: 'm', baseUrl: upstream.url }, { name: 'big', baseUrl: upstream.url }], { masterKey: MASTER_KEY });
    base.models.get('big')![0]!.prices = { input: 10, output: 30 };
    const budgets = compileBudgets({ global: { daily_usd: 1, monthly_usd: 10 } }).budgets!;
    gw = await startTestGateway({ ...base, store: { kind: 'memory', dataDir }, extensions: { budgets } });
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks for an admin key first on every console endpoint, and refuses a virtual key without the admin role', async () => {
    const created = await jsonOf(fetch(`${gw.url}/admin/keys`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ alias: 'not-admin' }) }));
    for (const path of CONSOLE_GETS) {
      const missing = await fetch(`${gw.url}${path}?limit=nonsense`);
      expect(missing.status, path).toBe(401);
      expect(((await missing.json()) as any).error.code).toBe('missing_api_key');
      expect((await fetch(`${gw.url}${path}`, { headers: { authorization: 'Bearer wrong' } })).status, path).toBe(401);
      const notAdmin = await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${created.key}` } });
      expect(notAdmin.status, path).toBe(403);
      expect(((await notAdmin.json()) as any).error).toMatchObject({ type: 'permission_error', code: 'admin_only' });
      expect((await get(path)).status, path).toBe(200);
    }
  });

  it('records each finished request with its cost, tokens and status, without the prompt', async () => {
    const ok = await chat('m');
    expect(ok.status).toBe(200);
    const id = ok.headers.get('x-switchyard-request-id');
    const missing = await chat('no-such-model');
    expect(missing.status).toBe(404);

    const body = await (await get('/admin/requests')).text();
    expect(body).not.toContain('launch codes');
    const { requests, capacity } = JSON.parse(body);
    expect(capacity).toBe(1000);
    const entry = requests.find((r: { id: string }) => r.id === id);
    expect(entry).toMatchObject({ surface: 'openai.chat', modelAsked: 'm', model: 'm', deployment: 'm#0', key: 'master', status: 200, promptTokens: 1000, completionTokens: 500, costMicros: COST, savingsMicros: BASELINE - COST, fallbacks: 0 });
    expect(entry.costMicros / 1e6).toBeCloseTo(Number(ok.headers.get('x-switchyard-cost-usd')), 6);
    expect(requests[0]).toMatchObject({ modelAsked: 'no-such-model', status: 404, error: 'model_not_found', costMicros: 0 });

    const errors = (await jsonOf(get('/admin/requests?status=error'))).requests;
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((r: { status: number }) => r.status >= 400)).toBe(true);
    expect((await jsonOf(get('/admin/requests?model=m&limit=1'))).requests).toHaveLength(1);
  });

  it('rejects a bad query with a 400 that names the parameter', async () => {
    const res = await get('/admin/requests?limit=0');
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toMatchObject({ type: 'invalid_request_error', param: 'limit' });
    const unknown = await get('/admin/overview?minutes=999');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as any).error.param).toBe('minutes');
  });

  it('sums spend today, this week and this month as /admin/spend reports it, with budgets and live rates', async () => {
    await chat('m');
    let spend: any;
    await expect.poll(async () => (spend = await jsonOf(get('/admin/spend?by=day'))).total.requests).toBeGreaterThanOrEqual(2);
    const overview = await jsonOf(get('/admin/overview'));
    expect(overview.spend).toMatchObject({ source: 'store', baseline: 'big' });
    expect(overview.spend.today.cost_usd).toBe(Number(spend.total.cost_usd).toFixed(6));
    expect(overview.spend.today.requests).toBe(spend.total.requests);
    expect(Number(overview.spend.month.savings_usd)).toBeCloseTo(Number(spend.total.savings_usd), 6);
    expect(overview.budgets.map((b: { name: string }) => b.name)).toEqual(['global:daily', 'global:monthly']);
    expect(overview.budgets[0].spent_usd).toBe(spend.total.cost_usd);
    expect(overview.traffic.requests).toBeGreaterThanOrEqual(3);
    expect(overview.traffic.client_error_rate).toBeGreaterThan(0);
    expect(overview.traffic.p50_ms).toBeGreaterThan(0);
    expect(overview.traffic.p95_ms).toBeGreaterThanOrEqual(overview.traffic.p50_ms);
    expect(overview.series).toHaveLength(60);
    expect(overview.series.at(-1).requests).toBeGreaterThan(0);
  });

  it('lists deployments with prices, health and measured latency', async () => {
    const { deployments } = await jsonOf(get('/admin/models'));
    const m = deployments.find((d: { id: string }) => d.id === 'm#0');
    expect(m).toMatchObject({ model: 'm', upstream_model: 'm-upstream', input_price: 1, output_price: 2, health: 'ok' });
    expect(m.traffic.requests).toBeGreaterThanOrEqual(2);
    expect(m.latency.samples).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(deployments)).not.toContain('sk-upstream');
  });

  it('lists every budget scope, including a key\'s own caps', async () => {
    await fetch(`${gw.url}/admin/keys`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ alias: 'capped', budgets: { daily_usd: 2 } }) });
    const { budgets } = await jsonOf(get('/admin/budgets?all=true'));
    expect(budgets.map((b: { scope: string }) => b.scope)).toEqual(expect.arrayContaining(['global', 'key']));
    expect(budgets.find((b: { scope: string }) => b.scope === 'key')).toMatchObject({ window: 'daily', limit_usd: '2.000000' });
  });
});

describe('the console page and the OpenAPI document', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(testConfig([{ name: 'm', baseUrl: 'http://127.0.0.1:9/v1' }], { masterKey: MASTER_KEY }));
  });
  afterAll(() => gw?.close());

  it('serves the page and its vendored libraries with a strict content security policy', async () => {
    const redirect = await fetch(`${gw.url}/ui`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/ui/');
    const page = await fetch(`${gw.url}/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ['app.js', 'vendor/preact.mjs', 'vendor/htm.mjs', 'vendor/uplot.mjs']) {
      const res = await fetch(`${gw.url}/ui/${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get('content-type'), asset).toContain('text/javascript');
      // no bare import specifiers: the browser loads these files as they are, without an import map
      expect(await res.text(), asset).not.toMatch(/\bimport\b[^;()]*?\bfrom\s*["'](?![./])/);
    }
    expect((await fetch(`${gw.url}/ui/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${gw.url}/ui/nothing.js`)).status).toBe(404);
    expect(await jsonOf(fetch(`${gw.url}/ui/session.json`))).toEqual({ auth_required: true });
  });

  it('documents every admin endpoint in /openapi.json, and each documented read answers', async () => {
    const doc = await jsonOf(fetch(`${gw.url}/openapi.json`));
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(expect.arrayContaining([...CONSOLE_GETS, '/admin/spend', '/admin/budgets', '/admin/keys', '/admin/keys/{id}', '/admin/keys/{id}/rotate', '/admin/route/explain', '/admin/session']));
    const keySpec = doc.paths['/admin/keys'].post.requestBody.content['application/json'].schema;
    expect(keySpec.required).toEqual(['alias']);
    expect(keySpec.properties.admin).toEqual({ type: 'boolean' });
    expect(doc.paths['/admin/keys'].get.responses['200'].content['application/json'].schema.properties.keys.items.required).toContain('admin');
    expect(Object.keys(doc.paths['/admin/keys'].post.responses)).toEqual(expect.arrayContaining(['401', '403', '413']));
    expect(doc.paths['/admin/requests'].get.parameters.find((p: { name: string }) => p.name === 'limit').schema).toMatchObject({ type: 'integer', maximum: 1000 });
    for (const path of paths.filter((p) => doc.paths[p].get)) {
      expect((await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${MASTER_KEY}` } })).status, path).toBe(200);
    }
  });
});
