import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics, loadConfigText } from '../../src/config/load-config.js';
import type { GatewayConfig } from '../../src/config/types.js';
import { FAULT_UPSTREAM_ANSWER, startFaultUpstream, type FaultUpstream } from '../support/fault-upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { chat, foldStream } from './resilience-harness.js';

// The upstream answers every request, streamed or not, only after DELAY_MS; the timers under test are far shorter.
const DELAY_MS = 1200;

let upstream: FaultUpstream;
let litellm: TestGateway;
let native: TestGateway;

function compiled(text: string): GatewayConfig {
  const result = loadConfigText(text, 'stream-timeout.test', {});
  if (!result.ok) throw new Error(formatDiagnostics(result.errors));
  return { ...result.config, server: { ...result.config.server, host: '127.0.0.1', port: 0 } };
}

beforeAll(async () => {
  upstream = await startFaultUpstream({ byModel: () => ({ kind: 'ok', delayMs: DELAY_MS }) });
  litellm = await startTestGateway(compiled(`
model_list:
  - model_name: streamy
    litellm_params: { model: openai/streamy, api_base: "${upstream.url}", api_key: sk-x, timeout: 60, stream_timeout: 0.3 }
  - model_name: short-total
    litellm_params: { model: openai/short-total, api_base: "${upstream.url}", api_key: sk-x, timeout: 0.3 }
router_settings:
  num_retries: 0
general_settings: {}
`));
  native = await startTestGateway(compiled(`
providers:
  up: { kind: openai-compatible, base_url: "${upstream.url}", api_key: sk-x }
models:
  - { name: first-byte, provider: up, timeout_s: 60, first_byte_timeout_s: 0.3 }
resilience:
  retries: 0
`));
}, 30_000);
afterAll(async () => {
  await Promise.allSettled([litellm?.close(), native?.close()]);
  await upstream?.close();
});

describe("LiteLLM's stream_timeout", () => {
  it('cuts a streamed request whose first chunk is late', async () => {
    const res = await chat(litellm.url, { model: 'streamy', stream: true });
    expect(res.status).toBe(504);
    expect(((await res.json()) as any).error.message).toMatch('sent no first byte within 300 ms');
  });

  it('leaves a non-streamed request alone: it has only the total timeout', async () => {
    const res = await chat(litellm.url, { model: 'streamy', stream: false });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).choices[0].message.content).toBe(FAULT_UPSTREAM_ANSWER);
  });

  it("still ends a non-streamed request at LiteLLM's timeout", async () => {
    const res = await chat(litellm.url, { model: 'short-total', stream: false });
    expect(res.status).toBe(504);
    expect(((await res.json()) as any).error.message).toMatch('did not answer within 300 ms');
  });
});

describe('native first_byte_timeout_s', () => {
  it('times both streamed and non-streamed requests', async () => {
    for (const stream of [true, false]) {
      const res = await chat(native.url, { model: 'first-byte', stream });
      expect(res.status).toBe(504);
      expect(((await res.json()) as any).error.message).toMatch('sent no first byte within 300 ms');
    }
  });

  it('answers through the same deployment once the upstream is prompt', async () => {
    // The delay lifted for this one request: the 504s above come from the timer, not a broken deployment.
    upstream.setPlan({ byModel: () => ({ kind: 'ok' }) });
    try {
      const streamed = await chat(native.url, { model: 'first-byte', stream: true });
      expect(streamed.status).toBe(200);
      expect(foldStream(await streamed.text()).content).toBe(FAULT_UPSTREAM_ANSWER);
    } finally {
      upstream.setPlan({ byModel: () => ({ kind: 'ok', delayMs: DELAY_MS }) });
    }
  });
});
