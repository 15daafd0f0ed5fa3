import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { GatewayConfig } from '../../src/config/types.js';
import { MASTER_KEY, jsonOf, startTestGateway, type TestGateway } from '../support/test-gateway.js';

const HARD = 'Design the architecture for a multi-tenant billing service. First plan the data model and the API, then ' +
  'describe the migration from our monolith step by step, compare event sourcing with a plain relational schema and ' +
  'justify the trade-offs, and finally list the tests that must pass before each rollout stage. It must never double-charge.';

/** The built-in demo config with its auto routers, behind a master key. */
function demoConfig(): GatewayConfig {
  const loaded = loadConfig({ cwd: '/nonexistent-dir', env: {} });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return { ...loaded.config, auth: { mode: 'master_key', masterKey: MASTER_KEY, explicitNone: false } };
}

describe('model auto, end to end through the OpenAI SDK', () => {
  let gateway: TestGateway;
  let client: OpenAI;
  const speed = process.env.SWITCHYARD_DEMO_SPEED;

  beforeAll(async () => {
    process.env.SWITCHYARD_DEMO_SPEED = '0';
    gateway = await startTestGateway(demoConfig());
    client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway?.close();
    if (speed === undefined) delete process.env.SWITCHYARD_DEMO_SPEED;
    else process.env.SWITCHYARD_DEMO_SPEED = speed;
  });

  it('sends a short question to the cheap tier and says why', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'What is the capital of France?' }] }).withResponse();
    expect(data.choices[0]?.message.content).toBeTruthy();
    expect(response.headers.get('x-switchyard-model')).toBe('demo-cheap');
    expect(response.headers.get('x-switchyard-tier')).toBe('cheap');
    expect(response.headers.get('x-switchyard-rule')).toBe('simple-instruction');
  });

  it('lists routers as models, with limits every model they pick can take', async () => {
    const headers = { authorization: `Bearer ${MASTER_KEY}` };
    const ids = (await jsonOf(fetch(`${gateway.url}/v1/models`, { headers }))).data.map((m: { id: string }) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['demo-cheap', 'auto', 'auto:yolo']));
    const info = (await jsonOf(fetch(`${gateway.url}/v1/model/info`, { headers }))).data;
    const auto = info.find((m: { model_name: string }) => m.model_name === 'auto');
    expect(auto.litellm_params.model).toBe('auto');
    expect(auto.model_info).toMatchObject({ max_input_tokens: 128000, max_output_tokens: 16384, output_cost_per_token: 15e-6, supports_function_calling: true });
  });

  it('routes /v1/messages and /v1/responses requests the same way', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}` };
    const messages = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'auto', max_tokens: 200, messages: [{ role: 'user', content: HARD }] }),
    });
    expect(messages.status).toBe(200);
    expect(messages.headers.get('x-switchyard-tier')).toBe('premium');
    expect((await jsonOf(messages)).type).toBe('message');
    const responses = await fetch(`${gateway.url}/v1/responses`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'auto', input: 'What is the capital of France?' }),
    });
    expect(responses.status).toBe(200);
    expect(responses.headers.get('x-switchyard-tier')).toBe('cheap');
    expect(responses.headers.get('x-switchyard-model')).toBe('demo-cheap');
  });

  it('sends a hard multi-step design request to the premium tier, streaming too', async () => {
    const { data: stream, response } = await client.chat.completions.create({ model: 'auto', stream: true, messages: [{ role: 'user', content: HARD }] }).withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text.length).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-model')).toBe('demo-premium');
    expect(response.headers.get('x-switchyard-tier')).toBe('premium');
    expect(response.headers.get('x-switchyard-rule')).toBe('design-or-debug');
  });

  it('honours a tier named in the alias and in the x-switchyard-tier header; plain models carry no route headers', async () => {
    const viaAlias = await client.chat.completions.create({ model: 'auto:premium', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(viaAlias.response.headers.get('x-switchyard-tier')).toBe('premium');
    expect(viaAlias.response.headers.get('x-switchyard-rule')).toBe('hint');
    const viaHeader = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-switchyard-tier': 'standard' } }).withResponse();
    expect(viaHeader.response.headers.get('x-switchyard-model')).toBe('demo-standard');
    const plain = await client.chat.completions.create({ model: 'demo-standard', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(plain.response.headers.get('x-switchyard-tier')).toBeNull();
  });

  it('explains a decision at POST /admin/route/explain, for the master key only', async () => {
    const post = (body: unknown, key?: string) => fetch(`${gateway.url}/admin/route/explain`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'opencode/1.18.33', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });
    expect((await post({ prompt: 'hi' })).status).toBe(401);
    const res = await post({ prompt: HARD }, MASTER_KEY);
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body).toMatchObject({ router: 'auto', decision: { tier: 'premium', rule: 'design-or-debug' }, model: 'demo-premium' });
    expect(body.signals).toMatchObject({ client: 'opencode', turn: 'first', cues: { design: true } });
    expect(body.rules.find((r: { id: string }) => r.id === 'design-or-debug').matched).toBe(true);
    const asChat = await jsonOf(post({ model: 'auto:yolo', messages: [{ role: 'user', content: 'hi' }] }, MASTER_KEY));
    expect(asChat).toMatchObject({ router: 'auto:yolo', decision: { tier: 'fast', rule: 'default' } });
    expect(asChat.candidates).toHaveLength(3);
  });
});
