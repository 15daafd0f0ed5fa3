import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { MASTER_KEY, jsonOf, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';
import { foldMessagesStream } from './anthropic-messages-grammar.js';

let upstream: MockOpenAI;
let gw: TestGateway;

const headers = { 'x-api-key': MASTER_KEY, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' };
const base = { model: 'gpt-test', max_tokens: 256 };
const tools = [{ name: 'bash', description: 'Run a command', input_schema: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } }];

function post(body: unknown, path = '/v1/messages?beta=true', h: Record<string, string> = headers) {
  return fetch(`${gw.url}${path}`, { method: 'POST', headers: h, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

beforeAll(async () => {
  upstream = await startMockOpenAI();
  const config = testConfig([{ name: 'gpt-test', baseUrl: upstream.url }], { masterKey: MASTER_KEY, maxBodyBytes: 64 * 1024 });
  const reasoning = { ...config.models.get('gpt-test')![0]!, capabilities: { tools: true, vision: true, caching: false, reasoning: true } };
  (config.models as Map<string, unknown>).set('gpt-think', [{ ...reasoning, id: 'gpt-think#0', modelName: 'gpt-think' }]);
  gw = await startTestGateway(config);
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
});

describe('POST /v1/messages in front of an OpenAI-compatible upstream', () => {
  it('answers a non-streamed request as an Anthropic message with usage net of cache', async () => {
    upstream.enqueue({ kind: 'text', text: 'Paris.', usage: { prompt_tokens: 100, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 60 } } });
    const res = await post({ ...base, system: 'Be brief.', messages: [{ role: 'user', content: 'Capital of France?' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toBe(res.headers.get('x-switchyard-request-id'));
    const body = await jsonOf(res);
    expect(body).toMatchObject({ type: 'message', role: 'assistant', model: 'gpt-test', stop_reason: 'end_turn', stop_sequence: null });
    expect(body.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(body.content).toEqual([{ type: 'text', text: 'Paris.' }]);
    expect(body.usage).toEqual({ input_tokens: 40, output_tokens: 3, cache_read_input_tokens: 60, cache_creation_input_tokens: 0 });
    const sent = upstream.requests[0]!.body;
    expect(sent.messages).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Capital of France?' }]);
    expect(sent.max_tokens).toBe(256);
    expect(sent.model).toBe('gpt-test-upstream');
  });

  it('streams text with the exact event grammar, message_delta carrying the upstream usage', async () => {
    upstream.enqueue({ kind: 'text', text: 'Streaming works fine.', chunkSize: 5, usage: { prompt_tokens: 20, completion_tokens: 5 } });
    const res = await post({ ...base, stream: true, messages: [{ role: 'user', content: 'go' }] });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const { events, message } = foldMessagesStream(await res.text());
    expect(message.content).toEqual([{ type: 'text', text: 'Streaming works fine.' }]);
    expect(message.stop_reason).toBe('end_turn');
    const delta = events.find((e) => e.event === 'message_delta')!;
    expect(delta.data.usage).toEqual({ input_tokens: 20, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
    expect(upstream.requests[0]!.body.stream_options).toEqual({ include_usage: true });
  });

  it('turns streamed reasoning into a thinking block before the text', async () => {
    upstream.enqueue({ kind: 'text', text: 'Four.', reasoning: 'Two plus two is four.' });
    const res = await post({ ...base, model: 'gpt-think', stream: true, thinking: { type: 'adaptive' }, output_config: { effort: 'high' }, messages: [{ role: 'user', content: '2+2?' }] });
    const { message } = foldMessagesStream(await res.text());
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Two plus two is four.', signature: '' },
      { type: 'text', text: 'Four.' },
    ]);
    expect(upstream.requests[0]!.body.reasoning_effort).toBe('high');
  });

  it('drops reasoning_effort for a deployment not declared as reasoning', async () => {
    await post({ ...base, thinking: { type: 'enabled', budget_tokens: 2000 }, messages: [{ role: 'user', content: 'hi' }] });
    expect(upstream.requests[0]!.body.reasoning_effort).toBeUndefined();
  });

  it('runs a multi-turn tool loop (streamed) that ends in a final answer', async () => {
    upstream.enqueue(
      { kind: 'tool_calls', text: 'Let me look.', calls: [{ id: 'call_1', name: 'bash', arguments: '{"command":"ls"}' }], chunkSize: 4 },
      { kind: 'tool_calls', calls: [{ id: 'call_2', name: 'bash', arguments: '{"command":"cat a.txt"}' }, { id: 'call_3', name: 'bash', arguments: '{"command":"pwd"}' }] },
      { kind: 'text', text: 'a.txt says hello, in /repo.' },
    );
    const messages: any[] = [{ role: 'user', content: 'What is in a.txt?' }];
    const outputs: Record<string, string> = { ls: 'a.txt', 'cat a.txt': 'hello', pwd: '/repo' };
    let final: any;
    for (let turn = 0; turn < 5; turn++) {
      const res = await post({ ...base, stream: true, tools, tool_choice: { type: 'auto' }, messages });
      const { message } = foldMessagesStream(await res.text());
      messages.push({ role: 'assistant', content: message.content });
      if (message.stop_reason !== 'tool_use') {
        final = message;
        break;
      }
      const uses = message.content.filter((b: any) => b.type === 'tool_use');
      messages.push({ role: 'user', content: uses.map((u: any) => ({ type: 'tool_result', tool_use_id: u.id, content: outputs[u.input.command] })) });
    }
    expect(final.content).toEqual([{ type: 'text', text: 'a.txt says hello, in /repo.' }]);
    expect(upstream.requests).toHaveLength(3);
    const second = upstream.requests[1]!.body.messages;
    expect(second.slice(1)).toEqual([
      { role: 'assistant', content: 'Let me look.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'a.txt' },
    ]);
    const third = upstream.requests[2]!.body.messages;
    expect(third.slice(-2)).toEqual([
      { role: 'tool', tool_call_id: 'call_2', content: 'hello' },
      { role: 'tool', tool_call_id: 'call_3', content: '/repo' },
    ]);
    expect(upstream.requests[0]!.body.tools[0]).toEqual({ type: 'function', function: { name: 'bash', description: 'Run a command', parameters: tools[0]!.input_schema } });
  });

  it('maps long tool names to 64 characters upstream and back in the answer', async () => {
    const long = 'mcp__some_really_long_server_name__and_an_even_longer_tool_name_here';
    upstream.enqueue({ kind: 'tool_calls', calls: [{ id: 'call_9', name: 'placeholder', arguments: '{}' }] });
    // the mock answers with the name it was given, so look it up from what the gateway sent
    const first = await post({ ...base, tools: [{ ...tools[0], name: long }], tool_choice: { type: 'tool', name: long }, messages: [{ role: 'user', content: 'x' }] });
    await first.text();
    const short = upstream.requests[0]!.body.tools[0].function.name;
    expect(short).toHaveLength(64);
    expect(upstream.requests[0]!.body.tool_choice).toEqual({ type: 'function', function: { name: short } });
    upstream.enqueue({ kind: 'tool_calls', calls: [{ id: 'call_9', name: short, arguments: '{"command":"ls"}' }] });
    const again = await jsonOf(post({ ...base, tools: [{ ...tools[0], name: long }], messages: [{ role: 'user', content: 'x' }] }));
    expect(again.content).toEqual([{ type: 'tool_use', id: 'call_9', name: long, input: { command: 'ls' } }]);
    upstream.enqueue({ kind: 'tool_calls', calls: [{ id: 'call_9', name: short, arguments: '{"command":"ls"}' }] });
    const streamed = foldMessagesStream(await (await post({ ...base, stream: true, tools: [{ ...tools[0], name: long }], messages: [{ role: 'user', content: 'x' }] })).text());
    expect(streamed.message.content[0].name).toBe(long);
  });

  it('sends ping keep-alives while the upstream is silent', async () => {
    process.env.SWITCHYARD_SSE_PING_MS = '20';
    const pinging = await startTestGateway(testConfig([{ name: 'gpt-test', baseUrl: upstream.url }]));
    delete process.env.SWITCHYARD_SSE_PING_MS;
    try {
      upstream.enqueue({ kind: 'text', text: 'slow', chunkSize: 4, chunkDelayMs: 100 });
      const res = await fetch(`${pinging.url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify({ ...base, stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
      const { events, message } = foldMessagesStream(await res.text());
      expect(events.some((e) => e.event === 'ping')).toBe(true);
      expect(message.content[0].text).toBe('slow');
    } finally {
      await pinging.close();
    }
  });

  it('ends a stream that breaks mid-way with an error event, never a clean stop', async () => {
    upstream.enqueue({ kind: 'truncated-stream', afterChunks: 3 });
    const res = await post({ ...base, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const { events } = foldMessagesStream(await res.text(), { endsWithError: true });
    expect(events.at(-1)!.data.error.type).toBe('api_error');
    expect(events.some((e) => e.event === 'message_stop')).toBe(false);
  });

  it('answers upstream failures before the first byte in the Anthropic shape', async () => {
    upstream.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '7' } });
    const res = await post({ ...base, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    const body = await jsonOf(res);
    expect(body).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(body.request_id).toBe(res.headers.get('request-id'));
    upstream.enqueue({ kind: 'error', status: 503 });
    const overloaded = await post({ ...base, messages: [{ role: 'user', content: 'hi' }] });
    expect(overloaded.status).toBe(529);
    expect((await jsonOf(overloaded)).error.type).toBe('overloaded_error');
    upstream.enqueue({ kind: 'error', status: 502 });
    const failed = await post({ ...base, messages: [{ role: 'user', content: 'hi' }] });
    expect(failed.status).toBe(500);
    expect((await jsonOf(failed)).error.type).toBe('api_error');
  });
});

describe('client disconnects', () => {
  it('cancels the upstream stream when the client goes away mid-stream', async () => {
    upstream.enqueue({ kind: 'hang-after-first-chunk' });
    const controller = new AbortController();
    const res = await fetch(`${gw.url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify({ ...base, stream: true, messages: [{ role: 'user', content: 'x' }] }), signal: controller.signal });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toMatch(/^event: message_start\n/);
    controller.abort();
    await upstream.waitForClose(0, 2000);
    await expect.poll(() => gw.logs.filter((l) => l.msg === 'request').at(-1)?.aborted).toBe(true);
  });
});

describe('other Messages routes', () => {
  it('counts tokens of system, messages and tools', async () => {
    const small = await jsonOf(post({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }, '/v1/messages/count_tokens?beta=true'));
    const big = await jsonOf(post({ model: 'gpt-test', system: 'You are a careful coding agent. '.repeat(20), tools, messages: [{ role: 'user', content: 'hi' }] }, '/v1/messages/count_tokens'));
    expect(small.input_tokens).toBeGreaterThan(0);
    expect(big.input_tokens).toBeGreaterThan(small.input_tokens + 100);
    expect(Object.keys(big)).toEqual(['input_tokens']);
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers the HEAD /api/hello preconnect', async () => {
    const head = await fetch(`${gw.url}/api/hello`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect((await fetch(`${gw.url}/api/hello`)).status).toBe(200);
  });

  it('takes the key from Authorization: Bearer too, and refuses a missing key in the Anthropic shape', async () => {
    const bearer = await post({ ...base, messages: [{ role: 'user', content: 'hi' }] }, '/v1/messages', { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' });
    expect(bearer.status).toBe(200);
    const none = await post({ ...base, messages: [{ role: 'user', content: 'hi' }] }, '/v1/messages', { 'content-type': 'application/json' });
    expect(none.status).toBe(401);
    expect(await jsonOf(none)).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });
});

describe('bad input is a 4xx in the Anthropic shape', () => {
  const cases: Array<[string, unknown, number, string | RegExp]> = [
    ['invalid JSON', '{"model": "gpt-test", ', 400, /not valid JSON/],
    ['missing max_tokens', { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }, 400, 'max_tokens: Field required'],
    ['unknown block type', { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'video', url: 'x' }] }] }, 400, 'messages[0].content[1].type: unknown content block type "video"'],
    ['malformed block', { ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', data: 'AAAA' } }] }] }, 400, 'messages[0].content[0].source.media_type: Field required'],
    ['wrong role', { ...base, messages: [{ role: 'tool', content: 'x' }] }, 400, /messages\[0\]\.role/],
    ['tool_result in an assistant turn', { ...base, messages: [{ role: 'assistant', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'x' }] }] }, 400, 'messages[0].content[0]: tool_result blocks belong in user messages'],
    ['tool_result without its tool_use', { ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'x' }] }] }, 400, /tool_use_id: no tool_use with id "t1"/],
    ['unknown model', { ...base, model: 'nope', messages: [{ role: 'user', content: 'hi' }] }, 404, /not served/],
    ['oversize body', { ...base, messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] }, 413, /exceeds/],
  ];
  for (const [name, body, status, message] of cases) {
    it(name, async () => {
      const res = await post(body);
      expect(res.status).toBe(status);
      const json = await jsonOf(res);
      expect(json.type).toBe('error');
      expect(json.error.message).toMatch(typeof message === 'string' ? new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : message);
      expect(json.error.type).toBe({ 400: 'invalid_request_error', 404: 'not_found_error', 413: 'request_too_large' }[status]);
    });
  }

  it('refuses an Anthropic file-id image only when a non-Anthropic upstream must carry it', async () => {
    const res = await post({ ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'file_1' } }] }] });
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).error.message).toMatch(/^messages\[0\]\.content\[0\]: images from the Anthropic Files API/);
    expect(upstream.requests).toHaveLength(0);
  });
});
