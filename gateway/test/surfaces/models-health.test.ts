import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASTER_KEY, startTestGateway, testConfig, type TestGateway, jsonOf } from '../support/test-gateway.js';
import { assertSafeBind } from '../../src/server/start.js';

let gw: TestGateway;
const headers = { authorization: `Bearer ${MASTER_KEY}` };

beforeAll(async () => {
  gw = await startTestGateway(testConfig([{ name: 'gpt-test', baseUrl: 'http://127.0.0.1:9/v1' }], { masterKey: MASTER_KEY, aliases: { premium: 'gpt-test' } }));
});
afterAll(() => gw.close());

describe('model listing', () => {
  it('lists models and aliases at /v1/models and /models', async () => {
    for (const path of ['/v1/models', '/models']) {
      const body = await await jsonOf(fetch(`${gw.url}${path}`, { headers }));
      expect(body.object).toBe('list');
      expect(body.data.map((m: { id: string }) => m.id)).toEqual(['gpt-test', 'premium']);
    }
  });

  it('serves LiteLLM model info that Roo Code and Cline accept, without upstream URLs or keys', async () => {
    for (const path of ['/v1/model/info', '/model/info']) {
      const res = await fetch(`${gw.url}${path}`, { headers: { 'x-litellm-api-key': MASTER_KEY } });
      const text = await res.text();
      expect(text).not.toContain('127.0.0.1:9');
      expect(text).not.toContain('sk-upstream');
      const entry = JSON.parse(text).data[0];
      expect(entry.model_name).toBe('gpt-test');
      expect(entry.litellm_params.model).toBe('gpt-test');
      expect(entry.model_info).toMatchObject({
        max_input_tokens: 128000,
        max_output_tokens: 8192,
        supports_vision: true,
        supports_function_calling: true,
        input_cost_per_token: 1e-6,
        output_cost_per_token: 2e-6,
      });
    }
  });
});

describe('health', () => {
  it('answers health, liveliness and readiness without a key', async () => {
    expect((await await jsonOf(fetch(`${gw.url}/health`))).status).toBe('healthy');
    expect(await await jsonOf(fetch(`${gw.url}/health/liveliness`))).toBe("I'm alive!");
    expect((await fetch(`${gw.url}/health/readiness`)).status).toBe(200);
  });
});

describe('bind safety', () => {
  it('refuses a non-loopback address without a master key unless auth: none is explicit', () => {
    const open = testConfig([]);
    expect(() => assertSafeBind(open, '0.0.0.0')).toThrow(/master key/);
    expect(() => assertSafeBind(open, '127.0.0.1')).not.toThrow();
    expect(() => assertSafeBind({ ...open, auth: { mode: 'none', explicitNone: true } }, '0.0.0.0')).not.toThrow();
    expect(() => assertSafeBind(testConfig([], { masterKey: 'k' }), '0.0.0.0')).not.toThrow();
  });
});
