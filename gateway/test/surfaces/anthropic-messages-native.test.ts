import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic-upstream.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { MASTER_KEY, PROVIDER_KEY, jsonOf, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';
import { foldMessagesStream } from './anthropic-messages-grammar.js';

let anthropic: MockAnthropic;
let openai: MockOpenAI;
let gw: TestGateway;

const BETAS = 'claude-code-20250219,interleaved-thinking-2025-05-14,some-future-beta-2031-01-01';
const headers = { 'x-api-key': MASTER_KEY, 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'anthropic-beta': BETAS };

/** A Claude Code–shaped body: system blocks with cache_control, role:system inside messages, signed thinking, fields we do not model. */
const claudeCodeBody = {
  model: 'claude-test',
  max_tokens: 128_000,
  system: [
    { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1' },
    { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral', ttl: '1h' } },
  ],
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'list files' }] },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Use ls.', signature: 'EqQBCkgIARABGAIiQL' },
        { type: 'tool_use', id: 'toolu_01', name: 'Bash', input: { command: 'ls' } },
      ],
    },
    { role: 'system', content: 'The user switched to plan mode.' },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: 'a.txt', cache_control: { type: 'ephemeral' } }] },
  ],
  tools: [{ name: 'Bash', description: 'Run', input_schema: { type: 'object', properties: { command: { type: 'string' } } }, eager_input_streaming: true }],
  thinking: { type: 'adaptive', display: 'omitted' },
  context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
  output_config: { effort: 'high' },
  metadata: { user_id: '{"device_id":"abc","session_id":"s1"}' },
};

beforeAll(async () => {
  anthropic = await startMockAnthropic();
  openai = await startMockOpenAI();
  gw = await startTestGateway(
    testConfig(
      [
        { name: 'claude-test', baseUrl: anthropic.url, kind: 'anthropic', upstreamModel: 'claude-sonnet-4-5-20250929' },
        { name: 'mixed', baseUrl: anthropic.url, kind: 'anthropic' },
        { name: 'mixed', baseUrl: openai.url },
      ],
      { masterKey: MASTER_KEY },
    ),
  );
});
afterAll(async () => {
  await gw.close();
  await anthropic.close();
  await openai.close();
});
beforeEach(() => {
  anthropic.requests.length = 0;
  openai.requests.length = 0;
});

function post(body: unknown, extra: Record<string, string> = {}) {
  return fetch(`${gw.url}/v1/messages?beta=true`, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });
}

describe('native pass-through to an Anthropic upstream', () => {
  it('sends the body untouched except the model, with betas, version and the provider key', async () => {
    const res = await post(claudeCodeBody);
    expect(res.status).toBe(200);
    const seen = anthropic.requests[0]!;
    expect(seen.path).toBe('/v1/messages');
    expect(seen.body).toEqual({ ...claudeCodeBody, model: 'claude-sonnet-4-5-20250929' });
    expect(seen.headers['anthropic-beta']).toBe(BETAS);
    expect(seen.headers['anthropic-version']).toBe('2023-06-01');
    expect(seen.headers['x-api-key']).toBe(PROVIDER_KEY);
    expect(seen.headers.authorization).toBeUndefined();
    const body = await jsonOf(res);
    // the upstream's answer is relayed as it came, bytes and all
    expect(body).toMatchObject({ type: 'message', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'Hello from the mock.' }] });
  });

  it('relays stream events verbatim, signature deltas included, and logs the usage', async () => {
    anthropic.enqueue({ kind: 'thinking', thinking: 'Think first.', text: 'Done.', usage: { input_tokens: 30, output_tokens: 9, cache_read_input_tokens: 70 } });
    const res = await post({ ...claudeCodeBody, stream: true });
    const text = await res.text();
    const { events, message } = foldMessagesStream(text);
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Think first.', signature: expect.stringMatching(/^sig_mock_/) },
      { type: 'text', text: 'Done.' },
    ]);
    expect(events.filter((e) => e.event === 'ping')).toHaveLength(1);
    expect(anthropic.requests[0]!.body.stream).toBe(true);
    const line = gw.logs.find((l) => l.msg === 'request' && l.surface === 'anthropic.messages' && l.stream === true)!;
    expect(line).toMatchObject({ status: 200, prompt_tokens: 100, completion_tokens: 9 });
  });

  it('ends with an error event when the upstream fails mid-stream', async () => {
    anthropic.enqueue({ kind: 'text', text: 'one two three four', fault: { afterEvents: 5, kind: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
    const { events } = foldMessagesStream(await (await post({ ...claudeCodeBody, stream: true })).text(), { endsWithError: true });
    expect(events.at(-1)!.data.error).toEqual({ type: 'overloaded_error', message: expect.stringContaining('Overloaded') });
  });

  it('ends with an error event when the upstream stream is cut before message_stop', async () => {
    anthropic.enqueue({ kind: 'text', text: 'one two three four', fault: { afterEvents: 6, kind: 'truncate' } });
    const { events } = foldMessagesStream(await (await post({ ...claudeCodeBody, stream: true })).text(), { endsWithError: true });
    expect(events.at(-1)!.data.error.message).toMatch(/before message_stop/);
  });

  it('cancels the upstream request when the client goes away mid-stream', async () => {
    anthropic.enqueue({ kind: 'text', text: 'one two three', fault: { afterEvents: 3, kind: 'hang' } });
    const controller = new AbortController();
    const res = await fetch(`${gw.url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify({ ...claudeCodeBody, stream: true }), signal: controller.signal });
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/^event: message_start\n/);
    controller.abort();
    await anthropic.requests[0]!.closed;
    expect(anthropic.requests[0]!.completed).toBe(false);
  });

  it('passes an upstream 4xx on in the Anthropic shape', async () => {
    anthropic.enqueue({ kind: 'error', status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'thinking: bad budget' } } });
    const res = await post(claudeCodeBody);
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).error).toEqual({ type: 'invalid_request_error', message: expect.stringContaining('thinking: bad budget') });
  });
});

describe('a model group with an Anthropic and an OpenAI-compatible deployment', () => {
  it('falls back from an overloaded Anthropic upstream to the chat translation', async () => {
    anthropic.enqueue({ kind: 'error', status: 529 });
    openai.enqueue({ kind: 'text', text: 'From the fallback.' });
    const res = await post({ ...claudeCodeBody, model: 'mixed', stream: true });
    const { message } = foldMessagesStream(await res.text());
    expect(message.content).toEqual([{ type: 'text', text: 'From the fallback.' }]);
    expect(message.model).toBe('mixed');
    const sent = openai.requests[0]!.body;
    // the translation: system blocks keep their breakpoints, signed thinking is not sent to a non-Anthropic model
    expect(sent.messages[0]).toEqual({
      role: 'system',
      content: [
        { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1' },
        { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
    });
    expect(sent.messages[2]).toEqual({ role: 'assistant', content: null, tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'Bash', arguments: '{"command":"ls"}' } }] });
    expect(sent.messages[3]).toEqual({ role: 'system', content: 'The user switched to plan mode.' });
    expect(sent.messages[4]).toEqual({ role: 'tool', tool_call_id: 'toolu_01', content: 'a.txt', cache_control: { type: 'ephemeral' } });
    expect(sent.user).toBe(claudeCodeBody.metadata.user_id);
  });
});
