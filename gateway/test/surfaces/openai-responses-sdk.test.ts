import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic-upstream.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { MASTER_KEY, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';
import { checkResponsesGrammar, type StreamEvent } from './openai-responses-grammar.js';

/** The official openai SDK as the client, in front of each kind of upstream. */
let openaiUpstream: MockOpenAI;
let anthropicUpstream: MockAnthropic;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  openaiUpstream = await startMockOpenAI();
  anthropicUpstream = await startMockAnthropic();
  gw = await startTestGateway(
    testConfig(
      [
        { name: 'gpt-test', baseUrl: openaiUpstream.url },
        { name: 'claude-test', baseUrl: anthropicUpstream.url, kind: 'anthropic', upstreamModel: 'claude-mock-1' },
      ],
      { masterKey: MASTER_KEY },
    ),
  );
  client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gw.close();
  await openaiUpstream.close();
  await anthropicUpstream.close();
});

/** Per upstream kind: how to script "answer this text" and "call this tool". */
interface Upstream {
  model: string;
  text(text: string, reasoning?: string): void;
  toolCall(id: string, name: string, input: Record<string, unknown>): void;
  failMidStream(): void;
  /** The body of the last request this upstream received, in its own wire format. */
  lastBody(): any;
}

const upstreams: Array<[string, () => Upstream]> = [
  [
    'OpenAI-compatible upstream',
    () => ({
      model: 'gpt-test',
      text: (text, reasoning) => openaiUpstream.enqueue({ kind: 'text', text, chunkSize: 6, ...(reasoning ? { reasoning } : {}) }),
      toolCall: (id, name, input) => openaiUpstream.enqueue({ kind: 'tool_calls', calls: [{ id, name, arguments: JSON.stringify(input) }], chunkSize: 6 }),
      failMidStream: () => openaiUpstream.enqueue({ kind: 'malformed-stream', afterChunks: 3 }),
      lastBody: () => openaiUpstream.requests.at(-1)?.body,
    }),
  ],
  [
    'Anthropic upstream',
    () => ({
      model: 'claude-test',
      text: (text, reasoning) => anthropicUpstream.enqueue(reasoning ? { kind: 'thinking', thinking: reasoning, text } : { kind: 'text', text }),
      toolCall: (id, name, input) => anthropicUpstream.enqueue({ kind: 'tool_use', id, name, input }),
      failMidStream: () => anthropicUpstream.enqueue({ kind: 'text', text: 'partial answer here', fault: { afterEvents: 4, kind: 'error' } }),
      lastBody: () => anthropicUpstream.requests.at(-1)?.body,
    }),
  ],
];

const readTool = {
  type: 'function' as const,
  name: 'read_file',
  description: 'Reads a file',
  strict: false,
  parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};

describe.each(upstreams)('openai SDK → gateway → %s', (_label, make) => {
  const up = (): Upstream => make();

  it('responses.create answers output_text and usage', async () => {
    const u = up();
    u.text('Paris is the capital.');
    const response = await client.responses.create({ model: u.model, input: 'Capital of France?', store: false });
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Paris is the capital.');
    expect(response.usage!.total_tokens).toBeGreaterThan(0);
  });

  it('responses.create with stream:true yields events in the grammar', async () => {
    const u = up();
    u.text('Streaming through the SDK works.', 'Think first.');
    const stream = await client.responses.create({ model: u.model, input: 'stream please', stream: true, reasoning: { effort: 'low', summary: 'auto' } });
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event as unknown as StreamEvent);
    const response = checkResponsesGrammar(events);
    expect(response.status).toBe('completed');
    const message = response.output.find((item: any) => item.type === 'message');
    expect(message.content[0].text).toBe('Streaming through the SDK works.');
    expect(response.output[0]).toMatchObject({ type: 'reasoning', content: [{ type: 'reasoning_text', text: 'Think first.' }] });
    expect(response.usage.output_tokens).toBeGreaterThan(0);
  });

  it('responses.stream accumulates deltas into the final response', async () => {
    const u = up();
    u.text('Accumulated by the helper.');
    const deltas: string[] = [];
    const stream = client.responses.stream({ model: u.model, input: 'go' });
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(final.output_text).toBe('Accumulated by the helper.');
    expect(deltas.join('')).toBe('Accumulated by the helper.');
  });

  it('chat.completions.create with streaming still works on the same gateway', async () => {
    const u = up();
    u.text('Chat surface too.');
    const stream = await client.chat.completions.create({ model: u.model, messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Chat surface too.');
    expect(usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('runs a multi-turn tool loop: function_call → function_call_output → final answer', async () => {
    const u = up();
    u.toolCall('call_read_1', 'read_file', { path: 'notes.txt' });
    const input: OpenAI.Responses.ResponseInput = [{ role: 'user', content: 'What do my notes say?' }];
    const stream = client.responses.stream({ model: u.model, input, tools: [readTool], tool_choice: 'auto', parallel_tool_calls: true, store: false });
    const events: StreamEvent[] = [];
    stream.on('event', (event) => events.push(event as unknown as StreamEvent));
    const first = await stream.finalResponse();
    checkResponsesGrammar(events);
    const call = first.output.find((item) => item.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall;
    expect(call.name).toBe('read_file');
    expect(JSON.parse(call.arguments)).toEqual({ path: 'notes.txt' });

    u.text('Your notes say: buy milk.');
    input.push(...(first.output as OpenAI.Responses.ResponseInputItem[]), { type: 'function_call_output', call_id: call.call_id, output: 'buy milk' });
    const second = await client.responses.create({ model: u.model, input, tools: [readTool], store: false });
    expect(second.output_text).toBe('Your notes say: buy milk.');
    // the upstream saw the whole history in its own dialect: the call and its result, bound by the call id
    const history = JSON.stringify(u.lastBody().messages);
    expect(history).toContain('call_read_1');
    expect(history).toContain('buy milk');
    expect(u.lastBody().model).toBe(u.model === 'claude-test' ? 'claude-mock-1' : 'gpt-test-upstream');
  });

  it('a stream that fails mid-way ends with response.failed, which the SDK surfaces', async () => {
    const u = up();
    u.failMidStream();
    const events: StreamEvent[] = [];
    const stream = await client.responses.create({ model: u.model, input: 'go', stream: true });
    for await (const event of stream) events.push(event as unknown as StreamEvent);
    const response = checkResponsesGrammar(events);
    expect(response.status).toBe('failed');
    expect(response.error.message).toMatch(/Upstream/);
  });
});

describe('openai SDK error handling', () => {
  it('raises APIError with the status and message for a refused request', async () => {
    const err = await client.responses.create({ model: 'gpt-test', input: 'x', previous_response_id: 'resp_1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toMatch(/stateless/);
  });

  it('raises NotFoundError for an unknown model', async () => {
    const err = await client.responses.create({ model: 'missing', input: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
  });
});
