import { afterEach, describe, expect, it } from 'vitest';
import { startFloorProxy, type FloorProxy } from './floor-proxy.js';
import { startMockOpenAI, type MockOpenAI } from './mock-openai-upstream.js';

let mock: MockOpenAI;
let floor: FloorProxy | undefined;

afterEach(async () => {
  await floor?.close();
  floor = undefined;
  await mock.close();
});

function post(base: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(`${base}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
}

/** The JSON payloads of an SSE body, `[DONE]` kept as a string. */
function sseData(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6))
    .map((d) => (d === '[DONE]' ? d : JSON.parse(d)));
}

const chat = { model: 'gpt-test', messages: [{ role: 'user', content: 'Say hello' }] };

describe('mock OpenAI upstream', () => {
  it('answers non-stream with a full chat.completion echoing the model, with usage', async () => {
    mock = await startMockOpenAI();
    mock.enqueue({ kind: 'text', text: 'Hi there', reasoning: 'thinking' });
    const res = await post(mock.url, chat);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-test',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi there', reasoning_content: 'thinking' }, finish_reason: 'stop' }],
    });
    expect(body.usage.prompt_tokens).toBeGreaterThan(0);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
    expect(mock.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: chat });
  });

  it('streams a usage chunk with empty choices only when include_usage was asked for', async () => {
    mock = await startMockOpenAI();
    const plain = sseData(await (await post(mock.url, { ...chat, stream: true })).text());
    expect(plain.at(-1)).toBe('[DONE]');
    expect(plain.some((c: any) => c !== '[DONE]' && c.usage)).toBe(false);
    expect((plain[0] as any).choices[0].delta.role).toBe('assistant');
    const text = plain.map((c: any) => c.choices?.[0]?.delta?.content ?? '').join('');
    expect(text).toBe('Hello from mock');

    const withUsage = sseData(await (await post(mock.url, { ...chat, stream: true, stream_options: { include_usage: true } })).text());
    const usageChunk = withUsage.at(-2) as any;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage.completion_tokens).toBeGreaterThan(0);
    expect((withUsage.at(-3) as any).choices[0].finish_reason).toBe('stop');
  });

  it('streams tool calls with id, type and name on the first delta of each index, then argument fragments', async () => {
    mock = await startMockOpenAI();
    mock.enqueue({ kind: 'tool_calls', calls: [{ id: 'call_a', name: 'bash', arguments: '{"command":"ls -la /tmp"}' }, { name: 'read', arguments: '{"path":"x"}' }] });
    const events = sseData(await (await post(mock.url, { ...chat, stream: true })).text()) as any[];
    const deltas = events.flatMap((e) => (e === '[DONE]' ? [] : e.choices.flatMap((c: any) => c.delta.tool_calls ?? [])));
    const first0 = deltas.find((d) => d.index === 0);
    expect(first0).toEqual({ index: 0, id: 'call_a', type: 'function', function: { name: 'bash', arguments: '' } });
    expect(deltas.find((d) => d.index === 1)).toMatchObject({ id: 'call_mock_1', function: { name: 'read', arguments: '' } });
    const args0 = deltas.filter((d) => d.index === 0).map((d) => d.function.arguments).join('');
    expect(args0).toBe('{"command":"ls -la /tmp"}');
    expect(deltas.filter((d) => d.index === 0 && d.id).length).toBe(1);
    expect(events.at(-2).choices[0].finish_reason).toBe('tool_calls');
  });

  it('answers a scripted 429 with retry-after and the OpenAI error shape', async () => {
    mock = await startMockOpenAI();
    mock.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '2' } });
    const res = await post(mock.url, chat);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(((await res.json()) as any).error).toMatchObject({ type: 'rate_limit_exceeded' });
    expect((await post(mock.url, chat)).status).toBe(200);
  });

  it('records closedEarlyAt when the client aborts a hanging request', async () => {
    mock = await startMockOpenAI();
    mock.enqueue({ kind: 'hang' });
    const ac = new AbortController();
    const pending = post(mock.url, chat, ac.signal).catch((e: unknown) => e);
    await mock.waitForRequests(1);
    const abortedAt = Date.now();
    ac.abort();
    expect(await pending).toBeInstanceOf(Error);
    const closedAt = await mock.waitForClose(0);
    expect(closedAt).toBeGreaterThanOrEqual(abortedAt);
  });

  it('sends one chunk then goes silent on hang-after-first-chunk, and closes with the request still open', async () => {
    mock = await startMockOpenAI();
    mock.enqueue({ kind: 'hang-after-first-chunk' });
    const res = await post(mock.url, { ...chat, stream: true });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect((sseData(first)[0] as any).choices[0].delta.role).toBe('assistant');
    await mock.close();
    await expect(reader.read()).rejects.toThrow();
    mock = await startMockOpenAI(); // afterEach closes this one
  });

  it('does not mark a completed request as closed early', async () => {
    mock = await startMockOpenAI();
    await (await post(mock.url, chat)).text();
    await expect(mock.waitForClose(0, 200)).rejects.toThrow(/timed out/);
  });

  it('cuts streams as scripted: truncated, malformed, reset', async () => {
    mock = await startMockOpenAI();
    mock.enqueue({ kind: 'truncated-stream', afterChunks: 3 }, { kind: 'malformed-stream', afterChunks: 2 }, { kind: 'reset-mid-stream', afterChunks: 2 }, { kind: 'reset' });
    const truncated = await (await post(mock.url, { ...chat, stream: true })).text();
    expect(sseData(truncated)).toHaveLength(3);
    expect(truncated).not.toContain('[DONE]');
    const malformed = await (await post(mock.url, { ...chat, stream: true })).text();
    expect(malformed.endsWith('data: {not json\n\n')).toBe(true);
    const cut = await post(mock.url, { ...chat, stream: true });
    await expect(cut.text()).rejects.toThrow();
    await expect(post(mock.url, chat)).rejects.toThrow();
    expect(mock.requests.every((r) => r.closedEarlyAt === undefined)).toBe(true);
  });

  it('serves the model list and relays through the floor proxy unchanged', async () => {
    mock = await startMockOpenAI();
    const models = (await (await fetch(`${mock.url}/models`)).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((m) => m.id)).toContain('bench-model');
    floor = await startFloorProxy(new URL(mock.url).origin);
    const direct = await (await post(mock.url, { ...chat, stream: true, stream_options: { include_usage: true } })).text();
    const res = await post(`${floor.url}/v1`, { ...chat, stream: true, stream_options: { include_usage: true } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(await res.text()).toBe(direct);
  });
});
