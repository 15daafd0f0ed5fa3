import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load-config.js';
import { FAULT_UPSTREAM_ANSWER, startFaultUpstream, type Fault, type FaultUpstream } from '../support/fault-upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { chat, foldStream } from './resilience-harness.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/litellm_config.roo-harness.yaml', import.meta.url));
const PREMIUM = ['deepseek/deepseek-v3.2', 'anthropic/claude-sonnet-4.5', 'x-ai/grok-4.1-fast', 'z-ai/glm-4.6', 'google/gemini-2.5-flash', 'amazon/nova-2-lite-v1', 'qwen/qwen3-30b-a3b'];
const FREE = ['xiaomi/mimo-v2-flash:free', 'kwaipilot/kat-coder-pro:free', 'mistralai/devstral-2512:free', 'qwen/qwen3-coder:free'];
const AUTH = { authorization: 'Bearer optional-master-key' };

let upstream: FaultUpstream;
let gw: TestGateway;

/**
 * The fixture verbatim, with OpenRouter replaced by the fault injector and the chain its comments describe
 * ("Coder models - Fallback chain", premium first, "Free tier fallback models" last) written as LiteLLM fallbacks.
 */
function harnessConfig(url: string) {
  const chain = [...PREMIUM, ...FREE].map((m) => `openrouter/${m}`);
  const text = `${readFileSync(FIXTURE, 'utf8').replaceAll('https://openrouter.ai/api/v1', url)}
router_settings:
  fallbacks:
    - ${JSON.stringify(chain[0])}: ${JSON.stringify(chain.slice(1))}
`;
  const result = loadConfigText(text, FIXTURE, { OPENROUTER_API_KEY: 'sk-or-test' });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

beforeAll(async () => {
  upstream = await startFaultUpstream();
});
afterAll(() => upstream.close());
beforeEach(async () => {
  gw = await startTestGateway(harnessConfig(upstream.url));
});
afterEach(async () => {
  await gw.close();
  upstream.setPlan({});
  upstream.given.length = 0;
  upstream.models.length = 0;
});

const failures: Fault[] = [
  { kind: 'status', status: 429 },
  { kind: 'status', status: 500 },
  { kind: 'status', status: 502 },
  { kind: 'status', status: 503, headers: { 'retry-after': '30' } },
  { kind: 'status', status: 529 },
  { kind: 'reset-before-headers' },
  { kind: 'status', status: 429, headers: { 'retry-after': '2' } },
];

describe('the roo-harness LiteLLM config in front of a faulty OpenRouter', () => {
  it('serves from the first premium model while it is healthy', async () => {
    const res = await chat(gw.url, { model: 'openrouter/deepseek/deepseek-v3.2' }, AUTH);
    expect(res.status).toBe(200);
    expect(upstream.models).toEqual(['deepseek/deepseek-v3.2']);
  });

  it('walks the premium models in order and lands on the free tier last', async () => {
    upstream.setPlan({ byModel: (model) => (PREMIUM.includes(model) ? failures[PREMIUM.indexOf(model)] : undefined) });
    const res = await chat(gw.url, { model: 'openrouter/deepseek/deepseek-v3.2', stream: true }, AUTH);
    expect(res.status).toBe(200);
    expect(foldStream(await res.text())).toEqual({ content: FAULT_UPSTREAM_ANSWER, done: true });
    expect(upstream.models).toEqual([...PREMIUM, FREE[0]]);
  });

  it('goes down the free models too when the first free ones are rate-limited', async () => {
    upstream.setPlan({ byModel: (model) => (model === FREE[3] ? undefined : { kind: 'status', status: 429 }) });
    const res = await chat(gw.url, { model: 'openrouter/deepseek/deepseek-v3.2' }, AUTH);
    expect(res.status).toBe(200);
    expect(upstream.models).toEqual([...PREMIUM, ...FREE]);
  });

  it('answers the last failure when the whole chain is down, and does not fall back on a bad request', async () => {
    upstream.setPlan({ byModel: () => ({ kind: 'status', status: 503 }) });
    expect((await chat(gw.url, { model: 'openrouter/deepseek/deepseek-v3.2' }, AUTH)).status).toBe(503);
    upstream.models.length = 0;
    upstream.setPlan({ byModel: () => ({ kind: 'status', status: 400, message: 'bad tool schema' }) });
    expect((await chat(gw.url, { model: 'openrouter/deepseek/deepseek-v3.2' }, AUTH)).status).toBe(400);
    expect(upstream.models).toEqual(['deepseek/deepseek-v3.2']);
  });
});
