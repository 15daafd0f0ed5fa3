import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatChunk, ChatCompletion, ToolCall } from '../../../src/core/chat-response.js';
import type { ChatRequest, ToolDefinition } from '../../../src/core/chat-schema.js';
import type { Deployment } from '../../../src/config/types.js';
import { GatewayError } from '../../../src/core/errors.js';
import { demoAdapter } from '../../../src/providers/demo/adapter.js';
import { DEMO_BASE_URL, DEMO_PROVIDER_NAME } from '../../../src/providers/demo/catalog.js';

function deployment(upstreamModel: string, modelName = `public-${upstreamModel}`): Deployment {
  return {
    id: `${modelName}#0`,
    modelName,
    provider: { name: DEMO_PROVIDER_NAME, kind: 'demo', baseUrl: DEMO_BASE_URL, headers: {} },
    upstreamModel,
    prices: {},
    capabilities: { tools: true, vision: true, caching: true, reasoning: true },
  };
}

function call(request: Partial<ChatRequest>, upstreamModel = 'demo-standard', signal = new AbortController().signal) {
  const full: ChatRequest = { model: upstreamModel, messages: [{ role: 'user', content: 'Explain what a gateway does.' }], ...request };
  return { deployment: deployment(upstreamModel), request: full, signal, requestId: 'req-1' };
}

async function complete(request: Partial<ChatRequest>, upstreamModel?: string): Promise<ChatCompletion> {
  return (await demoAdapter.complete(call(request, upstreamModel))).completion;
}

async function collect(request: Partial<ChatRequest>, upstreamModel?: string): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of await demoAdapter.stream(call(request, upstreamModel))) chunks.push(chunk);
  return chunks;
}

/** Rebuilds the message a client would assemble from stream deltas. */
function assemble(chunks: ChatChunk[]) {
  let content = '';
  let reasoning = '';
  const calls: ToolCall[] = [];
  for (const chunk of chunks) {
    const delta = chunk.choices[0]?.delta;
    if (!delta) continue;
    content += delta.content ?? '';
    reasoning += delta.reasoning_content ?? '';
    for (const d of delta.tool_calls ?? []) {
      if (!calls[d.index]) {
        expect(d).toMatchObject({ id: expect.any(String), type: 'function', function: { name: expect.any(String), arguments: expect.any(String) } });
        calls[d.index] = { id: d.id!, type: 'function', function: { name: d.function!.name!, arguments: '' } };
      } else expect(d.id).toBeUndefined();
      calls[d.index]!.function.arguments += d.function?.arguments ?? '';
    }
  }
  return { content, reasoning, calls };
}

const bash: ToolDefinition = {
  type: 'function',
  function: { name: 'bash', parameters: { type: 'object', properties: { command: { type: 'string' }, description: { type: 'string' } }, required: ['command', 'description'] } },
};
const read: ToolDefinition = { type: 'function', function: { name: 'read', parameters: { type: 'object', properties: { filePath: { type: 'string' } }, required: ['filePath'] } } };

let savedSpeed: string | undefined;
beforeEach(() => {
  savedSpeed = process.env.SWITCHYARD_DEMO_SPEED;
  process.env.SWITCHYARD_DEMO_SPEED = '0';
});
afterEach(() => {
  if (savedSpeed === undefined) delete process.env.SWITCHYARD_DEMO_SPEED;
  else process.env.SWITCHYARD_DEMO_SPEED = savedSpeed;
});

describe('demoAdapter.complete', () => {
  it('answers as an OpenAI chat completion named after the public model', async () => {
    const completion = await complete({}, 'demo-cheap');
    expect(demoAdapter.kind).toBe('demo');
    expect(completion).toMatchObject({ object: 'chat.completion', model: 'public-demo-cheap', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant' } }] });
    expect(completion.id).toMatch(/^chatcmpl-demo-[0-9a-f]+$/);
    const text = completion.choices[0]!.message.content!;
    expect(text).toContain('Switchyard demo provider');
    expect(text).toContain('demo-cheap (cheap tier)');
    expect(text).toContain('Explain what a gateway does.');
    const usage = completion.usage!;
    expect(usage.prompt_tokens).toBeGreaterThan(0);
    expect(usage.completion_tokens).toBeGreaterThan(20);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
  });

  it('gives the same answer to the same request and a different one to a different request', async () => {
    const { created: _a, ...first } = await complete({});
    const { created: _b, ...second } = await complete({});
    expect(second).toEqual(first);
    const other = await complete({ messages: [{ role: 'user', content: 'Something else entirely' }] });
    expect(other.id).not.toBe(first.id);
    expect(other.choices[0]!.message.content).toContain('Something else entirely');
  });

  it('rejects an unknown model with not_found', async () => {
    await expect(complete({}, 'gpt-nothing')).rejects.toMatchObject({ name: 'GatewayError', kind: 'not_found', status: 404 });
    await expect(demoAdapter.stream(call({}, 'gpt-nothing'))).rejects.toBeInstanceOf(GatewayError);
  });

  it('thinks before answering on reasoning models when reasoning_effort is set', async () => {
    const reasoned = await complete({ reasoning_effort: 'high' }, 'demo-premium');
    expect(reasoned.choices[0]!.message.reasoning_content).toContain('Explain what a gateway does.');
    expect(reasoned.usage!.completion_tokens_details!.reasoning_tokens).toBeGreaterThan(0);
    expect((await complete({}, 'demo-premium')).choices[0]!.message.reasoning_content).toBeUndefined();
    expect((await complete({ reasoning_effort: 'high' }, 'demo-cheap')).choices[0]!.message.reasoning_content).toBeUndefined();
  });

  it('truncates at max_tokens with finish_reason length, max_completion_tokens first', async () => {
    const full = (await complete({})).choices[0]!.message.content!;
    const cut = await complete({ max_tokens: 10 });
    expect(cut.choices[0]!.finish_reason).toBe('length');
    expect(cut.usage!.completion_tokens).toBeLessThanOrEqual(10);
    expect(full.startsWith(cut.choices[0]!.message.content!)).toBe(true);
    const both = await complete({ max_tokens: 5000, max_completion_tokens: 7 });
    expect(both.usage!.completion_tokens).toBeLessThanOrEqual(7);
    expect(both.choices[0]!.finish_reason).toBe('length');
  });
});

describe('demoAdapter.stream', () => {
  it('streams OpenAI chunks: role first, many content pieces, finish, then a usage chunk with no choices', async () => {
    const chunks = await collect({});
    const completion = await complete({});
    expect(chunks.length).toBeGreaterThan(15);
    for (const chunk of chunks) expect(chunk).toMatchObject({ id: completion.id, object: 'chat.completion.chunk', model: 'public-demo-standard' });
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const finish = chunks.at(-2)!;
    expect(finish.choices).toEqual([{ index: 0, delta: {}, finish_reason: 'stop' }]);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual(completion.usage);
    expect(assemble(chunks).content).toBe(completion.choices[0]!.message.content);
  });

  it('streams reasoning before content', async () => {
    const chunks = await collect({ reasoning_effort: 'medium' });
    const firstReasoning = chunks.findIndex((c) => c.choices[0]?.delta.reasoning_content);
    const firstContent = chunks.findIndex((c) => c.choices[0]?.delta.content);
    expect(firstReasoning).toBeGreaterThan(0);
    expect(firstContent).toBeGreaterThan(firstReasoning);
    expect(assemble(chunks).reasoning).toBe((await complete({ reasoning_effort: 'medium' })).choices[0]!.message.reasoning_content);
  });

  it('stops at max_tokens with finish_reason length and usage within the limit', async () => {
    const chunks = await collect({ max_tokens: 12 });
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('length');
    expect(chunks.at(-1)!.usage!.completion_tokens).toBeLessThanOrEqual(12);
  });
});

describe('tool calls', () => {
  it('completes a tool-call round trip: call, result, summary', async () => {
    const ask = { messages: [{ role: 'user' as const, content: 'Run something for me' }], tools: [bash, read] };
    const first = await complete(ask);
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    const message = first.choices[0]!.message;
    expect(message.content).toBeNull();
    expect(message.tool_calls).toHaveLength(1);
    expect(message.tool_calls![0]).toMatchObject({ id: expect.stringMatching(/^call_demo_/), type: 'function', function: { name: 'bash' } });
    expect(JSON.parse(message.tool_calls![0]!.function.arguments)).toMatchObject({ command: 'echo switchyard-demo' });

    const streamed = assemble(await collect(ask));
    expect(streamed.calls).toEqual(message.tool_calls);

    const followUp = await complete({
      tools: [bash, read],
      messages: [...ask.messages, { role: 'assistant', content: null, tool_calls: message.tool_calls!.map((c) => ({ ...c, function: { ...c.function } })) }, { role: 'tool', tool_call_id: message.tool_calls![0]!.id, content: 'switchyard-demo\n' }],
    });
    expect(followUp.choices[0]!.finish_reason).toBe('stop');
    expect(followUp.choices[0]!.message.tool_calls).toBeUndefined();
    expect(followUp.choices[0]!.message.content).toContain('bash returned "switchyard-demo"');
  });

  it('calls two tools in parallel when tool_choice is required', async () => {
    const chunks = await collect({ tools: [bash, read], tool_choice: 'required' });
    const { calls } = assemble(chunks);
    expect(calls.map((c) => c.function.name)).toEqual(['bash', 'read']);
    expect(JSON.parse(calls[1]!.function.arguments)).toEqual({ filePath: 'README.md' });
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('answers in text when tool_choice is none', async () => {
    const completion = await complete({ tools: [bash], tool_choice: 'none' });
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.choices[0]!.message.content).toContain('Switchyard demo provider');
  });
});

describe('abort', () => {
  const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  it('rejects a waiting completion with a GatewayError when the signal aborts, leaving no timer', async () => {
    process.env.SWITCHYARD_DEMO_SPEED = '1';
    const before = timers();
    const controller = new AbortController();
    const pending = demoAdapter.complete(call({}, 'demo-premium', controller.signal));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'GatewayError', code: 'aborted' });
    expect(timers()).toBe(before);
  });

  it('refuses a call whose signal is already aborted, even with no delays', async () => {
    await expect(demoAdapter.complete(call({}, 'demo-cheap', AbortSignal.abort()))).rejects.toBeInstanceOf(GatewayError);
    await expect(demoAdapter.stream(call({}, 'demo-cheap', AbortSignal.abort()))).rejects.toBeInstanceOf(GatewayError);
  });

  it('ends a stream with a GatewayError when the signal aborts mid-way', async () => {
    process.env.SWITCHYARD_DEMO_SPEED = '1';
    const controller = new AbortController();
    const iterator = (await demoAdapter.stream(call({}, 'demo-cheap', controller.signal)))[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value.choices[0].delta.role).toBe('assistant');
    controller.abort();
    await expect(iterator.next()).rejects.toMatchObject({ name: 'GatewayError', code: 'aborted' });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('passes on the abort reason when it is a GatewayError', async () => {
    process.env.SWITCHYARD_DEMO_SPEED = '1';
    const controller = new AbortController();
    const reason = new GatewayError('timeout', 'Attempt timed out');
    const pending = demoAdapter.complete(call({}, 'demo-premium', controller.signal));
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
