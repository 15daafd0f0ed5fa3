import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic-upstream.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { MASTER_KEY, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

let anthropic: MockAnthropic;
let openai: MockOpenAI;
let gw: TestGateway;
let client: Anthropic;

const tools: Anthropic.Tool[] = [{ name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];

beforeAll(async () => {
  anthropic = await startMockAnthropic();
  openai = await startMockOpenAI();
  gw = await startTestGateway(
    testConfig(
      [
        { name: 'via-openai', baseUrl: openai.url },
        { name: 'via-anthropic', baseUrl: anthropic.url, kind: 'anthropic', upstreamModel: 'claude-haiku-4-5' },
      ],
      { masterKey: MASTER_KEY },
    ),
  );
  client = new Anthropic({ apiKey: MASTER_KEY, baseURL: gw.url, maxRetries: 0 });
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

/** Runs the SDK's tool loop by hand: call, answer every tool_use, call again, until the model stops asking. */
async function toolLoop(model: string, streamed: boolean): Promise<{ final: Anthropic.Message; turns: number }> {
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris and Oslo?' }];
  for (let turn = 1; turn <= 5; turn++) {
    const params = { model, max_tokens: 512, tools, messages };
    const message = streamed ? await client.messages.stream(params).finalMessage() : await client.messages.create(params);
    messages.push({ role: 'assistant', content: message.content });
    if (message.stop_reason !== 'tool_use') return { final: message, turns: turn };
    const results = message.content
      .filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')
      .map((b) => ({ type: 'tool_result' as const, tool_use_id: b.id, content: `${(b.input as { city: string }).city}: 18°C` }));
    messages.push({ role: 'user', content: results });
  }
  throw new Error('tool loop did not finish in 5 turns');
}

describe('@anthropic-ai/sdk against the gateway in front of an OpenAI-compatible upstream', () => {
  it('messages.create', async () => {
    openai.enqueue({ kind: 'text', text: 'Bonjour.' });
    const message = await client.messages.create({ model: 'via-openai', max_tokens: 100, messages: [{ role: 'user', content: 'Say hi in French' }] });
    expect(message.content).toEqual([{ type: 'text', text: 'Bonjour.' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(openai.requests[0]!.headers.authorization).not.toContain(MASTER_KEY);
  });

  it('messages.stream, with text events and a final message', async () => {
    openai.enqueue({ kind: 'text', text: 'A streamed reply in pieces.', chunkSize: 3 });
    const stream = client.messages.stream({ model: 'via-openai', max_tokens: 100, messages: [{ role: 'user', content: 'stream please' }] });
    let text = '';
    stream.on('text', (delta) => (text += delta));
    const final = await stream.finalMessage();
    expect(text).toBe('A streamed reply in pieces.');
    expect(final.content).toEqual([expect.objectContaining({ type: 'text', text: 'A streamed reply in pieces.' })]);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it('a streamed tool use loop ends in a final answer', async () => {
    openai.enqueue(
      { kind: 'tool_calls', calls: [{ id: 'call_p', name: 'get_weather', arguments: '{"city":"Paris"}' }, { id: 'call_o', name: 'get_weather', arguments: '{"city":"Oslo"}' }] },
      { kind: 'text', text: 'Both are 18°C.' },
    );
    const { final, turns } = await toolLoop('via-openai', true);
    expect(turns).toBe(2);
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Both are 18°C.' });
    expect(openai.requests[1]!.body.messages.filter((m: any) => m.role === 'tool')).toEqual([
      { role: 'tool', tool_call_id: 'call_p', content: 'Paris: 18°C' },
      { role: 'tool', tool_call_id: 'call_o', content: 'Oslo: 18°C' },
    ]);
  });

  it('countTokens', async () => {
    const count = await client.messages.countTokens({ model: 'via-openai', tools, messages: [{ role: 'user', content: 'How many tokens is this?' }] });
    expect(count.input_tokens).toBeGreaterThan(300);
  });

  it('errors surface as the SDK error classes', async () => {
    await expect(client.messages.create({ model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    openai.enqueue({ kind: 'error', status: 429 });
    await expect(client.messages.create({ model: 'via-openai', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(Anthropic.RateLimitError);
  });
});

describe('@anthropic-ai/sdk against the gateway in front of an Anthropic upstream (native pass-through)', () => {
  const cached = { type: 'ephemeral' as const };

  it('messages.create keeps cache_control and the anthropic-beta header', async () => {
    const message = await client.messages.create(
      {
        model: 'via-anthropic',
        max_tokens: 100,
        system: [{ type: 'text', text: 'Long stable prompt.', cache_control: cached }],
        messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: cached }] }],
      },
      { headers: { 'anthropic-beta': 'prompt-caching-2024-07-31,extended-cache-ttl-2025-04-11' } },
    );
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from the mock.' }]);
    const seen = anthropic.requests[0]!;
    expect(seen.body.system).toEqual([{ type: 'text', text: 'Long stable prompt.', cache_control: cached }]);
    expect(seen.body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: cached }] }]);
    expect(seen.body.model).toBe('claude-haiku-4-5');
    expect(seen.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31,extended-cache-ttl-2025-04-11');
  });

  it('messages.stream relays thinking with its signature', async () => {
    anthropic.enqueue({ kind: 'thinking', thinking: 'Consider the question.', text: 'Answer.' });
    const final = await client.messages
      .stream({ model: 'via-anthropic', max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'q' }] })
      .finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'thinking', thinking: 'Consider the question.', signature: expect.stringMatching(/^sig_mock_/) });
    expect(final.content[1]).toMatchObject({ type: 'text', text: 'Answer.' });
  });

  it('a tool use loop (non-streamed and streamed) ends in a final answer', async () => {
    for (const streamed of [false, true]) {
      anthropic.enqueue({ kind: 'tool_use', name: 'get_weather', input: { city: 'Paris' }, text: 'Checking.' });
      anthropic.enqueue({ kind: 'text', text: 'It is 18°C.' });
      const { final, turns } = await toolLoop('via-anthropic', streamed);
      expect(turns).toBe(2);
      expect(final.content[0]).toMatchObject({ type: 'text', text: 'It is 18°C.' });
    }
    const secondTurn = anthropic.requests[1]!.body.messages as any[];
    expect(secondTurn[2].content[0]).toMatchObject({ type: 'tool_result', content: 'Paris: 18°C' });
  });

  it('countTokens', async () => {
    const count = await client.messages.countTokens({ model: 'via-anthropic', messages: [{ role: 'user', content: 'Count me.' }] });
    expect(count.input_tokens).toBeGreaterThan(0);
  });
});
