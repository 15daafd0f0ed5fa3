import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

let upstream: MockOpenAI;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startMockOpenAI();
  gw = await startTestGateway(testConfig([{ name: 'metered', baseUrl: upstream.url }]));
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

const post = (body: unknown) => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The value of one sample line, or 0 when absent. */
function sample(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('/metrics', () => {
  it('counts requests, tokens and latency with bounded labels', async () => {
    const before = await (await fetch(`${gw.url}/metrics`)).text();
    await (await post({ model: 'metered', messages: [{ role: 'user', content: 'hi' }] })).text();
    await (await post({ model: 'metered', stream: true, messages: [{ role: 'user', content: 'hi' }] })).text();
    await (await post({ model: 'no-such-model-from-a-client', messages: [{ role: 'user', content: 'hi' }] })).text();
    const res = await fetch(`${gw.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const after = await res.text();
    const ok = 'surface="openai.chat",model="metered",status="200"';
    expect(sample(after, 'switchyard_requests_total', ok) - sample(before, 'switchyard_requests_total', ok)).toBe(2);
    expect(sample(after, 'switchyard_requests_total', 'model="none",status="404"')).toBeGreaterThanOrEqual(1);
    expect(after).not.toContain('no-such-model-from-a-client');
    expect(sample(after, 'switchyard_tokens_total', 'model="metered",direction="completion"')).toBeGreaterThan(0);
    expect(sample(after, 'switchyard_time_to_first_token_seconds_count', 'model="metered"')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'switchyard_request_duration_seconds_count', 'model="metered"')).toBeGreaterThanOrEqual(2);
  });
});
