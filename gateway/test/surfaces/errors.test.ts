import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { MASTER_KEY, PROVIDER_KEY, jsonOf, sseData, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

let upstream: MockOpenAI;
let fallback: MockOpenAI;
let gw: TestGateway;
const json = { 'content-type': 'application/json' };
const auth = { ...json, authorization: `Bearer ${MASTER_KEY}` };
const chat = { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] };

function post(body: unknown, headers: Record<string, string> = auth, path = '/v1/chat/completions') {
  return fetch(`${gw.url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

beforeAll(async () => {
  upstream = await startMockOpenAI();
  fallback = await startMockOpenAI();
  gw = await startTestGateway(
    testConfig(
      [
        { name: 'gpt-test', baseUrl: upstream.url },
        { name: 'grouped', baseUrl: upstream.url },
        { name: 'grouped', baseUrl: fallback.url },
        { name: 'slow', baseUrl: upstream.url, timeoutMs: 300 },
      ],
      { masterKey: MASTER_KEY, maxBodyBytes: 32 * 1024 * 1024 },
    ),
  );
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
  await fallback.close();
});

async function expectError(res: Response, status: number, type: string, message: RegExp) {
  expect(res.status).toBe(status);
  const body = await jsonOf(res);
  expect(body.error.type).toBe(type);
  expect(body.error.message).toMatch(message);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
  return body;
}

describe('bad input', () => {
  it('rejects invalid JSON with 400', async () => {
    await expectError(await post('{"model": "gpt-test", '), 400, 'invalid_request_error', /not valid JSON/);
  });

  it('rejects an empty body and a non-object body with 400', async () => {
    await expectError(await post(''), 400, 'invalid_request_error', /empty/);
    await expectError(await post('[1,2]'), 400, 'invalid_request_error', /JSON object/);
  });

  it('names the field of a schema violation', async () => {
    const body = await expectError(await post({ model: 'gpt-test', messages: [{ role: 'user', content: 'a' }, { role: 'robot', content: 'b' }] }), 400, 'invalid_request_error', /messages\[1\]/);
    expect(body.error.param).toBe('messages[1].role');
    const missing = await expectError(await post({ messages: [{ role: 'user', content: 'a' }] }), 400, 'invalid_request_error', /model/);
    expect(missing.error.param).toBe('model');
    await expectError(await post({ ...chat, temperature: 'hot' }), 400, 'invalid_request_error', /temperature/);
  });

  it('answers 404 for an unknown model and lists what is served', async () => {
    await expectError(await post({ ...chat, model: 'gpt-9' }), 404, 'not_found_error', /gpt-9.*gpt-test, grouped, slow/);
  });

  it('refuses a body over 32 MB with 413, declared or streamed', async () => {
    const big = JSON.stringify({ ...chat, messages: [{ role: 'user', content: 'x'.repeat(33 * 1024 * 1024) }] });
    await expectError(await post(big), 413, 'invalid_request_error', /32 MB/);
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: auth, body: chunked, duplex: 'half' } as RequestInit);
    await expectError(res, 413, 'invalid_request_error', /32 MB/);
  });

  it('answers 404 in the OpenAI shape for an unknown route', async () => {
    await expectError(await fetch(`${gw.url}/v1/nope`), 404, 'not_found_error', /No route/);
  });
});

describe('auth', () => {
  it('answers 401 without a key or with a wrong key', async () => {
    await expectError(await post(chat, json), 401, 'authentication_error', /Missing API key/);
    await expectError(await post(chat, { ...json, authorization: 'Bearer wrong' }), 401, 'authentication_error', /Invalid API key/);
    await expectError(await fetch(`${gw.url}/v1/models`), 401, 'authentication_error', /Missing/);
  });

  it('accepts the key from x-api-key and x-litellm-api-key', async () => {
    expect((await post(chat, { ...json, 'x-api-key': MASTER_KEY })).status).toBe(200);
    expect((await post(chat, { ...json, 'x-litellm-api-key': MASTER_KEY })).status).toBe(200);
  });

  it('never writes a key to the log', async () => {
    await post(chat, { ...json, authorization: 'Bearer sk-wrong-key-should-not-appear' });
    const all = gw.rawLogs.join('');
    expect(all).toContain('"msg":"request"');
    for (const secret of [MASTER_KEY, PROVIDER_KEY, 'sk-wrong-key-should-not-appear']) expect(all).not.toContain(secret);
  });
});

describe('upstream errors', () => {
  it('passes the upstream status, message and retry-after on', async () => {
    upstream.enqueue({ kind: 'error', status: 429, body: { error: { message: 'slow down please' } }, headers: { 'retry-after': '7' } });
    const res = await post(chat);
    await expectError(res, 429, 'rate_limit_error', /slow down please/);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('passes a 400 from the upstream on without trying elsewhere', async () => {
    upstream.enqueue({ kind: 'error', status: 400, body: { error: { message: 'context too long' } } });
    const before = fallback.requests.length;
    await expectError(await post({ ...chat, model: 'grouped' }), 400, 'invalid_request_error', /context too long/);
    expect(fallback.requests.length).toBe(before);
  });

  it('falls back to the next deployment of the group on a 5xx or a reset', async () => {
    upstream.enqueue({ kind: 'error', status: 502 });
    fallback.enqueue({ kind: 'text', text: 'from fallback' });
    const res = await post({ ...chat, model: 'grouped' });
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).choices[0].message.content).toBe('from fallback');
    upstream.enqueue({ kind: 'reset' });
    fallback.enqueue({ kind: 'text', text: 'after reset' });
    const frames = sseData(await (await post({ ...chat, model: 'grouped', stream: true })).text());
    expect(frames.slice(0, -1).map((f) => JSON.parse(f).choices[0]?.delta?.content ?? '').join('')).toBe('after reset');
  });

  it('reports a refused connection as a 502 without internals', async () => {
    const dead = await startMockOpenAI();
    const url = dead.url;
    await dead.close();
    const g = await startTestGateway(testConfig([{ name: 'm', baseUrl: url }]));
    try {
      const res = await fetch(`${g.url}/v1/chat/completions`, { method: 'POST', headers: json, body: JSON.stringify({ ...chat, model: 'm' }) });
      await expectError(res, 502, 'api_error', /Upstream connection failed/);
    } finally {
      await g.close();
    }
  });

  it('times out a hung upstream after the deployment timeout with a 504', async () => {
    upstream.enqueue({ kind: 'hang' });
    await expectError(await post({ ...chat, model: 'slow' }), 504, 'timeout_error', /did not answer within 300 ms/);
  });
});
