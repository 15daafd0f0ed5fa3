import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { MASTER_KEY, jsonOf, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';
import { checkedResponsesStream } from './openai-responses-grammar.js';

let upstream: MockOpenAI;
let gw: TestGateway;

const auth = { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' };
const tools = [{ type: 'function', name: 'read', description: 'Reads a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }];

function post(body: unknown, opts: { path?: string; headers?: Record<string, string>; signal?: AbortSignal } = {}) {
  return fetch(`${gw.url}${opts.path ?? '/v1/responses'}`, {
    method: 'POST',
    headers: opts.headers ?? auth,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

beforeAll(async () => {
  upstream = await startMockOpenAI();
  gw = await startTestGateway(testConfig([{ name: 'gpt-test', baseUrl: upstream.url }], { masterKey: MASTER_KEY, maxBodyBytes: 64 * 1024 }));
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
});

describe('POST /v1/responses, non-streaming', () => {
  it('answers a Responses object built from the upstream chat completion', async () => {
    upstream.enqueue({ kind: 'text', text: 'Paris.', reasoning: 'Capital question.', usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14, prompt_tokens_details: { cached_tokens: 8 } } });
    const res = await post({ model: 'gpt-test', instructions: 'Be terse.', input: 'Capital of France?', store: false, include: ['reasoning.encrypted_content'] });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-model')).toBe('gpt-test');
    expect(res.headers.get('x-switchyard-warning')).toBeNull();
    const body = await jsonOf(res);
    expect(body).toMatchObject({ object: 'response', status: 'completed', model: 'gpt-test', store: false, instructions: 'Be terse.' });
    expect(body.id).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(body.output.map((item: any) => item.type)).toEqual(['reasoning', 'message']);
    expect(body.output[1].content[0]).toEqual({ type: 'output_text', text: 'Paris.', annotations: [] });
    expect(body.usage).toEqual({ input_tokens: 11, input_tokens_details: { cached_tokens: 8 }, output_tokens: 3, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 14 });
    const sent = upstream.requests[0]!.body;
    expect(sent.messages).toEqual([{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'Capital of France?' }]);
    expect(sent.store).toBeUndefined();
    expect(sent.include).toBeUndefined();
  });

  it('serves /responses without /v1 and drops hosted tools with a warning header', async () => {
    upstream.enqueue({ kind: 'tool_calls', calls: [{ id: 'call_1', name: 'read', arguments: '{"path":"a"}' }] });
    const res = await post({ model: 'gpt-test', input: 'read a', tools: [...tools, { type: 'web_search' }, { type: 'code_interpreter', container: { type: 'auto' } }] }, { path: '/responses' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-warning')).toBe('dropped unsupported hosted tools: web_search, code_interpreter');
    const body = await jsonOf(res);
    expect(body.output).toEqual([{ type: 'function_call', id: expect.stringMatching(/^fc_/), call_id: 'call_1', name: 'read', arguments: '{"path":"a"}', status: 'completed' }]);
    expect(upstream.requests[0]!.body.tools.map((t: any) => t.function.name)).toEqual(['read']);
  });

  it('reports a cut answer as incomplete', async () => {
    upstream.enqueue({ kind: 'error', status: 200, body: { id: 'c', object: 'chat.completion', created: 1, model: 'x', choices: [{ index: 0, message: { role: 'assistant', content: 'Once' }, finish_reason: 'length' }] } });
    const body = await jsonOf(post({ model: 'gpt-test', input: 'story', max_output_tokens: 1 }));
    expect(body.status).toBe('incomplete');
    expect(body.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(upstream.requests[0]!.body.max_tokens).toBe(1);
  });
});

describe('POST /v1/responses, streaming', () => {
  it('streams the event grammar with usage in response.completed', async () => {
    upstream.enqueue({ kind: 'text', text: 'Hello there, streaming world.', reasoning: 'Say hello.', chunkSize: 5, usage: { prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 } });
    const res = await post({ model: 'gpt-test', input: 'hi', stream: true, store: false });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const { events, response } = checkedResponsesStream(await res.text());
    expect(events.filter((e) => e.type === 'response.output_text.delta').length).toBeGreaterThan(3);
    expect(response.output[1].content[0].text).toBe('Hello there, streaming world.');
    expect(response.output[0].content[0].text).toBe('Say hello.');
    expect(response.usage).toMatchObject({ input_tokens: 9, output_tokens: 6, total_tokens: 15 });
    expect(upstream.requests[0]!.body.stream_options).toEqual({ include_usage: true });
  });

  it('streams tool calls as function_call items with argument deltas', async () => {
    upstream.enqueue({ kind: 'tool_calls', text: 'Reading.', calls: [{ id: 'call_a', name: 'read', arguments: '{"path":"a.txt"}' }, { id: 'call_b', name: 'read', arguments: '{"path":"b.txt"}' }], chunkSize: 4 });
    const res = await post({ model: 'gpt-test', input: 'read both', stream: true, tools, parallel_tool_calls: true });
    const { events, response } = checkedResponsesStream(await res.text());
    expect(response.output.map((item: any) => `${item.type}:${item.call_id ?? ''}`)).toEqual(['message:', 'function_call:call_a', 'function_call:call_b']);
    expect(events.filter((e) => e.type === 'response.function_call_arguments.delta').length).toBeGreaterThan(2);
    expect(response.output[2].arguments).toBe('{"path":"b.txt"}');
  });

  it('ends a stream that breaks mid-way with response.failed, never a clean completion', async () => {
    for (const reply of [{ kind: 'reset-mid-stream', afterChunks: 3 }, { kind: 'malformed-stream', afterChunks: 2 }, { kind: 'truncated-stream', afterChunks: 3 }] as const) {
      upstream.enqueue(reply);
      const res = await post({ model: 'gpt-test', input: 'hi', stream: true });
      expect(res.status).toBe(200);
      const { events, response } = checkedResponsesStream(await res.text());
      expect(events.at(-1)!.type).toBe('response.failed');
      expect(response.error.code).toMatch(/^upstream_(stream|connection)_error$/);
      expect(response.error.message).toMatch(/Upstream/);
    }
  });

  it('answers a failure before the first byte with an OpenAI error and its status', async () => {
    upstream.enqueue({ kind: 'error', status: 400, body: { error: { message: 'context too long', type: 'invalid_request_error', code: 'context_length_exceeded', param: null } } });
    const res = await post({ model: 'gpt-test', input: 'hi', stream: true });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = await jsonOf(res);
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/context too long/);
  });

  it('cancels the upstream request when the client goes away', async () => {
    upstream.enqueue({ kind: 'hang-after-first-chunk' });
    const controller = new AbortController();
    const res = await post({ model: 'gpt-test', input: 'hi', stream: true }, { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await expect(upstream.waitForClose(0)).resolves.toBeGreaterThan(0);
  });
});

describe('a multi-turn tool loop through /v1/responses', () => {
  it('function_call → function_call_output → final answer, with the history sent upstream as chat', async () => {
    upstream.enqueue({ kind: 'tool_calls', calls: [{ id: 'call_ls', name: 'read', arguments: '{"path":"notes.txt"}' }] }, { kind: 'text', text: 'The notes say: buy milk.' });
    const input: any[] = [{ role: 'user', content: [{ type: 'input_text', text: 'What do my notes say?' }] }];
    const first = checkedResponsesStream(await (await post({ model: 'gpt-test', input, tools, stream: true })).text()).response;
    const call = first.output.find((item: any) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'read', call_id: 'call_ls' });
    input.push(...first.output, { type: 'function_call_output', call_id: call.call_id, output: 'buy milk' });
    const second = await jsonOf(post({ model: 'gpt-test', input, tools }));
    expect(second.output[0].content[0].text).toBe('The notes say: buy milk.');
    expect(upstream.requests[1]!.body.messages).toEqual([
      { role: 'user', content: 'What do my notes say?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_ls', type: 'function', function: { name: 'read', arguments: '{"path":"notes.txt"}' } }] },
      { role: 'tool', tool_call_id: 'call_ls', content: 'buy milk' },
    ]);
  });
});

describe('bad input is answered in the OpenAI error shape, never a crash', () => {
  const cases: Array<[string, string | object, number, string | null]> = [
    ['invalid JSON', '{"model": "gpt-test", "input": ', 400, null],
    ['an empty body', '', 400, null],
    ['malformed items', { model: 'gpt-test', input: [{ type: 'function_call', name: 'read' }] }, 400, 'input[0].call_id'],
    ['unknown item types', { model: 'gpt-test', input: [{ type: 'mystery_item' }] }, 400, 'input[0].type'],
    ['previous_response_id', { model: 'gpt-test', input: 'more', previous_response_id: 'resp_abc' }, 400, 'previous_response_id'],
    ['an unknown model', { model: 'no-such-model', input: 'hi' }, 404, null],
    ['an oversize body', { model: 'gpt-test', input: 'x'.repeat(100 * 1024) }, 413, null],
  ];
  for (const [what, body, status, param] of cases) {
    it(what, async () => {
      const res = await post(body);
      expect(res.status).toBe(status);
      const { error } = await jsonOf(res);
      expect(typeof error.message).toBe('string');
      expect(typeof error.type).toBe('string');
      expect(error).toHaveProperty('code');
      if (param) expect(error.param).toBe(param);
      expect(upstream.requests).toHaveLength(0);
    });
  }

  it('previous_response_id is refused with a message that says the gateway is stateless', async () => {
    const { error } = await jsonOf(post({ model: 'gpt-test', input: 'more', previous_response_id: 'resp_abc' }));
    expect(error.message).toMatch(/stateless/);
    expect(error.code).toBe('unsupported_parameter');
  });

  it('requires a key', async () => {
    const res = await post({ model: 'gpt-test', input: 'hi' }, { headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
    expect((await jsonOf(res)).error.type).toBe('authentication_error');
  });

  it('keeps serving after all of the above', async () => {
    upstream.enqueue({ kind: 'text', text: 'still here' });
    const body = await jsonOf(post({ model: 'gpt-test', input: 'ping' }));
    expect(body.output[0].content[0].text).toBe('still here');
  });
});
