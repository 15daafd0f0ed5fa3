import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_UPSTREAM_ANSWER, startFaultUpstream, type FaultUpstream } from '../support/fault-upstream.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic-upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { chat, resilientConfig } from './resilience-harness.js';

// The total timeout is far beyond the test's own: only the first-byte timer can end a hung attempt in time.
const TOTAL_MS = 120_000;
const FIRST_BYTE_MS = 300;

let hung: FaultUpstream;
let healthy: FaultUpstream;
let anthropic: MockAnthropic;
let gw: TestGateway;

beforeAll(async () => {
  [hung, healthy, anthropic] = await Promise.all([startFaultUpstream({ script: [] }), startFaultUpstream(), startMockAnthropic()]);
  hung.setPlan({ byModel: () => ({ kind: 'hang-before-headers' }) });
  gw = await startTestGateway(
    resilientConfig(
      [
        { name: 'alone', baseUrl: hung.url, firstByteTimeoutMs: FIRST_BYTE_MS, timeoutMs: TOTAL_MS },
        { name: 'pair', baseUrl: hung.url, firstByteTimeoutMs: FIRST_BYTE_MS, timeoutMs: TOTAL_MS },
        { name: 'pair', baseUrl: healthy.url, firstByteTimeoutMs: FIRST_BYTE_MS, timeoutMs: TOTAL_MS },
        { name: 'claude', baseUrl: anthropic.url, kind: 'anthropic', firstByteTimeoutMs: FIRST_BYTE_MS, timeoutMs: TOTAL_MS },
      ],
      { resilience: { retries: 0, backoff_base_ms: 10, cooldown: { failures: 1_000_000 } } },
    ),
  );
});
afterAll(async () => {
  await gw.close();
  await Promise.all([hung.close(), healthy.close(), anthropic.close()]);
});

describe('first-byte timeout on non-streamed requests', () => {
  it('ends a hung non-streamed attempt after the first-byte timeout, not the total one', async () => {
    const res = await chat(gw.url, { model: 'alone', stream: false });
    expect(res.status).toBe(504);
    expect(((await res.json()) as any).error.message).toMatch(`sent no first byte within ${FIRST_BYTE_MS} ms`);
  });

  it('falls back to the next deployment once the first attempt has sent no byte in time', async () => {
    const res = await chat(gw.url, { model: 'pair', stream: false });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).choices[0].message.content).toBe(FAULT_UPSTREAM_ANSWER);
  });

  it('applies on /v1/messages too (native pass-through), and leaves a prompt answer alone', async () => {
    anthropic.enqueue({ kind: 'hang' });
    const hungRes = await fetch(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'claude', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }) });
    expect(hungRes.status).toBe(500);
    expect(((await hungRes.json()) as any).error.message).toMatch('sent no first byte');
    const ok = await fetch(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'claude', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }) });
    expect(ok.status).toBe(200);
  });
});
