import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { classify } from '../../src/routing/classify.js';
import { routersOf } from '../../src/routing/compile-routers.js';
import { extractSignals } from '../../src/routing/signals/extract-signals.js';
import { writeTempConfig } from '../config/temp-config.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/** Two models per tier on one scripted upstream; the upstream model id says which one answered. */
function pipelineConfig(upstream: string): string {
  const model = (name: string, input: number, output: number) => `  - { name: ${name}, provider: up, prices: { input: ${input}, output: ${output} } }`;
  return `
providers:
  up: { kind: openai-compatible, base_url: "${upstream}", api_key: sk-test }
models:
${model('cheap-a', 0.1, 0.4)}
${model('std-a', 1, 4)}
${model('std-b', 1, 4)}
${model('prem-a', 3, 15)}
${model('plain-a', 1, 2)}
${model('plain-b', 1, 2)}
${model('plain-c', 1, 2)}
routers:
  pipeline: { rules: pipeline, tiers: { cheap: [cheap-a], standard: [std-a, std-b], premium: [prem-a] } }
resilience:
  retries: 0
  backoff_base_ms: 1
  fallbacks: { plain-a: [plain-b, plain-c], std-a: [std-b] }
  cooldown: { failures: 1000 }
`;
}

function chat(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return request(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'Implement the change as planned.' }], ...body }),
  });
}

const roleHeaders = (role: string, risk: string, area: string) => ({ 'x-switchyard-role': role, 'x-switchyard-risk': risk, 'x-switchyard-area': area });

describe('routing-rules/pipeline.yaml', () => {
  const config = loadConfig({ path: writeTempConfig(pipelineConfig('http://127.0.0.1:9/v1')), env: {} });
  if (!config.ok) throw new Error(JSON.stringify(config.errors));
  const router = routersOf(config.config.extensions)!.byName.get('pipeline')!;
  const decide = (headers: Record<string, string>) =>
    classify(router, extractSignals({ request: { model: 'pipeline', messages: [{ role: 'user', content: 'do it' }] }, header: (n) => headers[n] }));

  it.each([
    ['planner', 'high', 'core', 'premium', 'high-risk-core-author'],
    ['coder', 'high', 'math', 'premium', 'high-risk-core-author'],
    ['reviewer', 'high', 'core', 'standard', 'high-risk'],
    ['coder', 'high', 'api', 'standard', 'high-risk'],
    ['coder', 'medium', 'core', 'standard', 'medium-risk'],
    ['planner', 'low', 'docs', 'cheap', 'low-risk-docs'],
    ['coder', 'low', 'math', 'standard', 'low-risk-core'],
    ['coder', 'low', 'tests', 'cheap', 'low-risk'],
  ])('%s, %s risk in %s → %s', (role, risk, area, tier, rule) => {
    expect(decide(roleHeaders(role, risk, area))).toMatchObject({ tier, ruleId: rule });
  });

  it('decides by role alone without a risk, and sends other clients to the default', () => {
    expect(decide({ 'x-switchyard-role': 'planner' })).toMatchObject({ tier: 'premium', ruleId: 'role-planner' });
    expect(decide({ 'x-switchyard-role': 'reviewer' })).toMatchObject({ tier: 'standard', ruleId: 'role-worker' });
    expect(decide({})).toMatchObject({ tier: 'standard', ruleId: 'default' });
  });

  it('is the built-in configs\' pipeline router', () => {
    const builtin = loadConfig({ cwd: '/nonexistent-dir', env: {} });
    if (!builtin.ok) throw new Error(JSON.stringify(builtin.errors));
    expect(routersOf(builtin.config.extensions)?.byName.get('pipeline')?.ruleSet.source).toMatch(/routing-rules\/pipeline\.yaml$/);
  });
});

describe('role headers and x-switchyard-exclude-models through a gateway', () => {
  let upstream: MockOpenAI;
  let gateway: TestGateway;
  const asked = () => upstream.requests.map((r) => r.body.model as string);

  beforeAll(async () => {
    upstream = await startMockOpenAI();
    const loaded = loadConfig({ path: writeTempConfig(pipelineConfig(upstream.url)), env: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    gateway = await startTestGateway(loaded.config);
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('routes by role, risk and area and says so in the headers', async () => {
    const res = await chat(gateway.url, { model: 'pipeline' }, roleHeaders('coder', 'high', 'core'));
    await res.body.text();
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({ 'x-switchyard-model': 'prem-a', 'x-switchyard-tier': 'premium', 'x-switchyard-rule': 'high-risk-core-author' });
    const docs = await chat(gateway.url, { model: 'pipeline' }, roleHeaders('coder', 'low', 'docs'));
    await docs.body.text();
    expect(docs.headers).toMatchObject({ 'x-switchyard-model': 'cheap-a', 'x-switchyard-tier': 'cheap' });
  });

  it('never routes to an excluded model: the next model of the tier answers', async () => {
    const res = await chat(gateway.url, { model: 'pipeline' }, { ...roleHeaders('reviewer', 'medium', 'api'), 'x-switchyard-exclude-models': 'std-a' });
    await res.body.text();
    expect(res.headers).toMatchObject({ 'x-switchyard-model': 'std-b', 'x-switchyard-tier': 'standard' });
  });

  it('moves to another tier when every model of the decided tier is excluded', async () => {
    const res = await chat(gateway.url, { model: 'pipeline' }, { ...roleHeaders('reviewer', 'low', 'docs'), 'x-switchyard-exclude-models': ' cheap-a ' });
    await res.body.text();
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-switchyard-model']).not.toBe('cheap-a');
    expect(res.headers['x-switchyard-tier']).toBe('standard');
  });

  it('skips an excluded model in the fallback chain when the first model fails', async () => {
    upstream.requests.length = 0;
    upstream.enqueue({ kind: 'error', status: 500 });
    const res = await chat(gateway.url, { model: 'plain-a' }, { 'x-switchyard-exclude-models': 'plain-b' });
    await res.body.text();
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-switchyard-model']).toBe('plain-c');
    expect(asked()).toEqual(['plain-a', 'plain-c']);
  });

  it('never falls back to an excluded model: with the only fallback excluded, the upstream failure is the answer', async () => {
    upstream.requests.length = 0;
    upstream.enqueue({ kind: 'error', status: 503 });
    const res = await chat(gateway.url, { model: 'pipeline', stream: true }, { ...roleHeaders('coder', 'medium', 'core'), 'x-switchyard-exclude-models': 'std-b' });
    const text = await res.body.text();
    expect(asked()).toEqual(['std-a']);
    expect(asked()).not.toContain('std-b');
    expect(res.statusCode).toBe(503);
    expect(res.headers['x-should-retry']).toBe('true');
    expect(text).toContain('"error"');
  });

  it('refuses a request that excludes every model that could serve it, without calling upstream', async () => {
    upstream.requests.length = 0;
    const res = await chat(gateway.url, { model: 'plain-a' }, { 'x-switchyard-exclude-models': 'plain-a,plain-b, plain-c' });
    const body = (await res.body.json()) as { error: { code: string; param: string; message: string } };
    expect(res.statusCode).toBe(400);
    expect(res.headers['x-should-retry']).toBe('false');
    expect(body.error).toMatchObject({ code: 'all_models_excluded', param: 'x-switchyard-exclude-models' });
    expect(upstream.requests).toHaveLength(0);
    const routed = await chat(gateway.url, { model: 'pipeline' }, { 'x-switchyard-exclude-models': 'cheap-a,std-a,std-b,prem-a' });
    expect(routed.statusCode).toBe(400);
    expect(await routed.body.json()).toMatchObject({ error: { code: 'no_fitting_model' } });
  });

  it('sends a stream\'s cost as a trailer, equal to what the same answer costs unstreamed', async () => {
    const reply = { kind: 'text' as const, text: 'streamed answer', usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 } };
    upstream.enqueue(reply, reply);
    const plain = await chat(gateway.url, { model: 'std-b' });
    await plain.body.text();
    const streamed = await chat(gateway.url, { model: 'std-b', stream: true, stream_options: { include_usage: true } });
    expect(streamed.headers.trailer).toBe('x-switchyard-cost-usd, x-litellm-response-cost');
    await streamed.body.text();
    // 1000 × $1/M + 500 × $4/M
    expect(plain.headers['x-switchyard-cost-usd']).toBe('0.003000');
    expect(streamed.trailers['x-switchyard-cost-usd']).toBe('0.003000');
  });
});
