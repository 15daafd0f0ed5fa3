import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { MASTER_KEY, PROVIDER_KEY, sseData, startTestGateway, testConfig, type TestGateway, jsonOf } from '../support/test-gateway.js';

let upstream: MockOpenAI;
let gw: TestGateway;

const auth = { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' };
const user = (content: string) => ({ role: 'user', content });

function post(path: string, body: unknown, headers: Record<string, string> = auth, signal?: AbortSignal) {
  return fetch(`${gw.url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body), ...(signal ? { signal } : {}) });
}

beforeAll(async () => {
  upstream = await startMockOpenAI();
  gw = await startTestGateway(testConfig([{ name: 'gpt-test', baseUrl: upstream.url }], { masterKey: MASTER_KEY, aliases: { fast: 'gpt-test' } }));
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
});

describe('non-streaming chat completions', () => {
  it('relays the answer with the gateway headers and the upstream usage', async () => {
    upstream.enqueue({ kind: 'text', text: 'Paris.' });
    const res = await post('/v1/chat/completions', { model: 'gpt-test', messages: [user('Capital of France?')] });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-switchyard-model')).toBe('gpt-test');
    const body = await jsonOf(res);
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0].message.content).toBe('Paris.');
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
  });

  it('sends the upstream its own key and model id, never the client key, and ignores a body api_base', async () => {
    await post('/chat/completions', {
      model: 'fast',
      messages: [user('hi')],
      api_base: 'http://169.254.169.254/',
      base_url: 'http://evil.example/',
      drop_params: true,
      cache_control: { type: 'ephemeral' },
      provider_specific_fields: { x: 1 },
    });
    const seen = upstream.requests[0]!;
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`);
    expect(seen.headers['x-provider-header']).toBe('on');
    expect(seen.body.model).toBe('gpt-test-upstream');
    expect(seen.body.api_base).toBeUndefined();
    expect(seen.body.base_url).toBeUndefined();
    expect(seen.body.drop_params).toBeUndefined();
    expect(seen.body.cache_control).toEqual({ type: 'ephemeral' });
    expect(seen.body.provider_specific_fields).toEqual({ x: 1 });
  });

  it('sends a large agent turn upstream as the client wrote it, ASCII or not, with its own model id', async () => {
    const history = Array.from({ length: 40 }, (_, i) => [user(`step ${i}: ${'read the file and fix the loop; '.repeat(20)}`), { role: 'assistant', content: `done ${i}` }]).flat();
    for (const accent of ['', ' café']) {
      upstream.requests.length = 0;
      upstream.enqueue({ kind: 'text', text: 'ok' });
      const body = { messages: [...history, user(`last${accent}`)], model: 'gpt-test', api_base: 'http://169.254.169.254/', temperature: 0.2 };
      const res = await post('/v1/chat/completions', body);
      expect(res.status).toBe(200);
      expect(JSON.stringify(body).length).toBeGreaterThan(20_000);
      expect(upstream.requests[0]!.body).toEqual({ model: 'gpt-test-upstream', messages: body.messages, temperature: 0.2 });
    }
  });

  it('completes a tool-call round trip', async () => {
    const tools = [{ type: 'function', function: { name: 'bash', description: 'run', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } } }];
    upstream.enqueue({ kind: 'tool_calls', calls: [{ id: 'call_1', name: 'bash', arguments: '{"command":"ls"}' }] }, { kind: 'text', text: 'Listed.' });
    const first = await await jsonOf(post('/v1/chat/completions', { model: 'gpt-test', messages: [user('list files')], tools, tool_choice: 'auto', parallel_tool_calls: true }));
    const call = first.choices[0].message.tool_calls[0];
    expect(first.choices[0].finish_reason).toBe('tool_calls');
    expect(call).toMatchObject({ id: 'call_1', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } });
    const messages = [user('list files'), first.choices[0].message, { role: 'tool', tool_call_id: 'call_1', content: 'a.txt' }];
    const second = await await jsonOf(post('/v1/chat/completions', { model: 'gpt-test', messages, tools }));
    expect(second.choices[0].message.content).toBe('Listed.');
    expect(upstream.requests[1]!.body.messages[2]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: 'a.txt' });
    expect(upstream.requests[0]!.body.tools).toEqual(tools);
    expect(upstream.requests[1]!.body.tools).toEqual(tools);
    expect(upstream.requests[0]!.body.tool_choice).toBe('auto');
    expect(upstream.requests[0]!.body.parallel_tool_calls).toBe(true);
  });

  it('passes images and reasoning_content through', async () => {
    upstream.enqueue({ kind: 'text', text: 'A cat.', reasoning: 'Looking at the pixels.' });
    const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } };
    const res = await post('/v1/chat/completions', { model: 'gpt-test', messages: [{ role: 'user', content: [{ type: 'text', text: 'what?' }, image] }] });
    const body = await jsonOf(res);
    expect(upstream.requests[0]!.body.messages[0].content[1]).toEqual(image);
    expect(body.choices[0].message.reasoning_content).toBe('Looking at the pixels.');
  });
});

describe('streaming chat completions', () => {
  it('relays chunks, asks upstream for usage, and hides the usage chunk from a client that did not ask', async () => {
    upstream.enqueue({ kind: 'text', text: 'one two three four five', chunkSize: 4 });
    const res = await post('/v1/chat/completions', { model: 'gpt-test', stream: true, messages: [user('count')] });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const frames = sseData(await res.text());
    expect(frames.at(-1)).toBe('[DONE]');
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f));
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('one two three four five');
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    expect(upstream.requests[0]!.body.stream_options).toEqual({ include_usage: true });
    const line = gw.logs.find((l) => l.msg === 'request' && l.stream === true);
    expect(line?.completion_tokens).toBeGreaterThan(0);
  });

  it('sends the final usage chunk with empty choices when the client asked for it', async () => {
    upstream.enqueue({ kind: 'text', text: 'hi' });
    const res = await post('/v1/chat/completions', { model: 'gpt-test', stream: true, stream_options: { include_usage: true }, messages: [user('x')] });
    const frames = sseData(await res.text());
    const usageChunk = JSON.parse(frames.at(-2)!);
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage.total_tokens).toBeGreaterThan(0);
  });

  it('streams tool calls whose first delta per index carries id and name', async () => {
    upstream.enqueue({ kind: 'tool_calls', calls: [{ id: 'c1', name: 'read', arguments: '{"path":"a"}' }, { id: 'c2', name: 'read', arguments: '{"path":"b"}' }] });
    const res = await post('/v1/chat/completions', { model: 'gpt-test', stream: true, messages: [user('read both')], tools: [{ type: 'function', function: { name: 'read', parameters: { type: 'object' } } }] });
    const chunks = sseData(await res.text()).slice(0, -1).map((f) => JSON.parse(f));
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    for (const index of [0, 1]) {
      const first = deltas.find((d: { index: number }) => d.index === index);
      expect(first.id).toBe(`c${index + 1}`);
      expect(first.function.name).toBe('read');
      expect(deltas.filter((d: { index: number }) => d.index === index).map((d: { function?: { arguments?: string } }) => d.function?.arguments ?? '').join('')).toBe(`{"path":"${index ? 'b' : 'a'}"}`);
    }
    expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls');
  });

  it('turns an upstream failure before the first byte into an HTTP error', async () => {
    upstream.enqueue({ kind: 'error', status: 503, body: { error: { message: 'overloaded right now' } } });
    const res = await post('/v1/chat/completions', { model: 'gpt-test', stream: true, messages: [user('x')] });
    expect(res.status).toBe(503);
    const body = await jsonOf(res);
    expect(body.error.message).toContain('overloaded right now');
  });

  for (const fault of [
    { kind: 'truncated-stream', afterChunks: 2 },
    { kind: 'malformed-stream', afterChunks: 2 },
    { kind: 'reset-mid-stream', afterChunks: 2 },
  ] as const) {
    it(`ends a ${fault.kind} with an SSE error event and a clean close`, async () => {
      upstream.enqueue(fault);
      const res = await post('/v1/chat/completions', { model: 'gpt-test', stream: true, messages: [user('x')] });
      expect(res.status).toBe(200);
      const frames = sseData(await res.text());
      expect(frames).not.toContain('[DONE]');
      const last = JSON.parse(frames.at(-1)!);
      expect(last.error.type).toBe('api_error');
      expect(last.error.message).toMatch(/Upstream/);
      expect(frames.length).toBeGreaterThan(1);
    });
  }

  it('completes 200 concurrent streams intact', async () => {
    const text = 'The quick brown fox jumps over the lazy dog '.repeat(5).trim();
    upstream.setDefault({ kind: 'text', text, chunkSize: 7 });
    try {
      const results = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const res = await post('/v1/chat/completions', { model: 'gpt-test', stream: true, messages: [user(`stream ${i}`)] });
          const frames = sseData(await res.text());
          return { status: res.status, done: frames.at(-1) === '[DONE]', text: frames.slice(0, -1).map((f) => JSON.parse(f).choices[0]?.delta?.content ?? '').join('') };
        }),
      );
      expect(results.filter((r) => r.status === 200 && r.done && r.text === text)).toHaveLength(200);
    } finally {
      upstream.setDefault({ kind: 'text', text: 'Hello from mock' });
    }
  });

  it('relays a long stream intact to a client that stops reading for a while', async () => {
    // 7 MB of deltas (more than loopback socket buffers hold), sent by the upstream at once: the gateway reads them only as fast as the client takes them
    const text = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(200_000);
    upstream.enqueue({ kind: 'text', text, chunkSize: 4096 });
    const url = new URL(`${gw.url}/v1/chat/completions`);
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: auth }, (res) => {
        let got = '';
        let paused = false;
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          got += d;
          if (paused) return;
          paused = true;
          res.pause();
          setTimeout(() => res.resume(), 300);
        });
        res.on('end', () => resolve(got));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'gpt-test', stream: true, messages: [user('long')] }));
    });
    const frames = sseData(body);
    expect(frames.at(-1)).toBe('[DONE]');
    expect(frames.slice(0, -1).map((f) => JSON.parse(f).choices[0]?.delta?.content ?? '').join('')).toBe(text);
  });

  it('relays deltas whose data spanned several upstream lines as one-line frames', async () => {
    const delta = (text: string) => `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m",\ndata: "choices":[{"index":0,"delta":{"content":"${text}"},"finish_reason":null}]}`;
    const raw = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const finish = '{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},\ndata: "finish_reason":"stop"}]}';
      res.end(`data: ${delta('one ')}\n\ndata: ${delta('two')}\n\ndata: ${finish}\n\ndata: [DONE]\n\n`);
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    const split = await startTestGateway(testConfig([{ name: 'split', baseUrl: `http://127.0.0.1:${(raw.address() as AddressInfo).port}/v1` }], { masterKey: MASTER_KEY }));
    try {
      const res = await fetch(`${split.url}/v1/chat/completions`, { method: 'POST', headers: auth, body: JSON.stringify({ model: 'split', stream: true, messages: [user('x')] }) });
      const body = await res.text();
      expect(body.split('\n').filter((line) => line !== '' && !line.startsWith('data: '))).toEqual([]);
      const chunks = sseData(body).slice(0, -1).map((f) => JSON.parse(f));
      expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('one two');
      expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
    } finally {
      await split.close();
      raw.close();
    }
  });
});

describe('client disconnects', () => {
  it('aborts a non-streaming upstream request within 100 ms', async () => {
    upstream.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = post('/v1/chat/completions', { model: 'gpt-test', messages: [user('x')] }, auth, controller.signal).catch(() => undefined);
    await upstream.waitForRequests(1);
    const abortedAt = Date.now();
    controller.abort();
    const closedAt = await upstream.waitForClose(0, 2000);
    expect(closedAt - abortedAt).toBeLessThan(100);
    await pending;
  });

  it('aborts a streaming upstream request within 100 ms', async () => {
    upstream.enqueue({ kind: 'hang-after-first-chunk' });
    const controller = new AbortController();
    const res = await post('/v1/chat/completions', { model: 'gpt-test', stream: true, messages: [user('x')] }, auth, controller.signal);
    const reader = res.body!.getReader();
    await reader.read();
    const abortedAt = Date.now();
    controller.abort();
    const closedAt = await upstream.waitForClose(0, 2000);
    expect(closedAt - abortedAt).toBeLessThan(100);
    await new Promise((r) => setTimeout(r, 50));
    const line = gw.logs.filter((l) => l.msg === 'request').at(-1);
    expect(line?.aborted).toBe(true);
  });
});
