import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { sseData, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

// A very large answer, and a quarter of it: a cost that grows faster than the answer shows as a CPU ratio far
// above 4 between the two. CPU time of this process (gateway, upstream and client all run here), not wall time,
// and the cheapest of three runs, so other work on the machine barely moves it. Linear measures ~4.
const LARGE = 20_000;
const SMALL = LARGE / 4;
const MAX_RATIO = 8;
/** Characters per delta: a numbered piece, long enough that copying the text so far on every delta shows. */
const PIECE = 16;

let upstream: MockOpenAI;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startMockOpenAI({ record: false });
  gw = await startTestGateway(testConfig([{ name: 'big', baseUrl: upstream.url }]));
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

/** `deltas` distinct pieces of PIECE characters each, so a lost, doubled or reordered delta changes the text. */
const answerOf = (deltas: number) => Array.from({ length: deltas }, (_, i) => `${String(i).padStart(6, '0')} is piece.`).join('');

const post = (path: string, body: object) =>
  fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'big', stream: true, ...body }) });

/** Streams a `deltas`-piece text answer through /v1/responses; checks every event and the text, three ways. */
async function responsesText(deltas: number): Promise<void> {
  const text = answerOf(deltas);
  upstream.setDefault({ kind: 'text', text, chunkSize: PIECE });
  const res = await post('/v1/responses', { input: 'write a lot' });
  expect(res.status).toBe(200);
  const events = sseData(await res.text()).map((d) => JSON.parse(d));
  const pieces = events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta as string);
  expect(pieces.length).toBe(deltas);
  expect(pieces.join('')).toBe(text);
  expect(events.find((e) => e.type === 'response.output_text.done').text).toBe(text);
  const completed = events.at(-1);
  expect(completed.type).toBe('response.completed');
  expect(completed.response.output[0].content[0].text).toBe(text);
  expect(events.every((e, i) => e.sequence_number === i)).toBe(true);
}

/** The same through a tool call's argument deltas. */
async function responsesToolCall(deltas: number): Promise<void> {
  const args = answerOf(deltas);
  upstream.setDefault({ kind: 'tool_calls', calls: [{ id: 'call_big', name: 'write', arguments: args }], chunkSize: PIECE });
  const res = await post('/v1/responses', { input: 'call the tool', tools: [{ type: 'function', name: 'write', parameters: { type: 'object' } }] });
  expect(res.status).toBe(200);
  const events = sseData(await res.text()).map((d) => JSON.parse(d));
  const pieces = events.filter((e) => e.type === 'response.function_call_arguments.delta').map((e) => e.delta as string);
  expect(pieces.join('')).toBe(args);
  expect(events.find((e) => e.type === 'response.function_call_arguments.done').arguments).toBe(args);
  expect(events.at(-1).response.output[0].arguments).toBe(args);
}

/** The same answer through chat completions. */
async function chatText(deltas: number): Promise<void> {
  const text = answerOf(deltas);
  upstream.setDefault({ kind: 'text', text, chunkSize: PIECE });
  const res = await post('/v1/chat/completions', { messages: [{ role: 'user', content: 'write a lot' }] });
  expect(res.status).toBe(200);
  const data = sseData(await res.text());
  expect(data.at(-1)).toBe('[DONE]');
  const pieces = data.slice(0, -1).map((d) => JSON.parse(d).choices[0]?.delta?.content ?? '').filter((c: string) => c !== '');
  expect(pieces.length).toBe(deltas);
  expect(pieces.join('')).toBe(text);
}

/** Microseconds of CPU this process spent on `run`, the cheapest of three runs. */
async function cpuOf(run: () => Promise<void>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const before = process.cpuUsage();
    await run();
    const used = process.cpuUsage(before);
    best = Math.min(best, used.user + used.system);
  }
  return best;
}

describe('very large streams', () => {
  const cases: Array<[string, (deltas: number) => Promise<void>]> = [
    ['/v1/responses text', responsesText],
    ['/v1/responses tool call arguments', responsesToolCall],
    ['/v1/chat/completions text', chatText],
  ];
  for (const [name, stream] of cases) {
    it(`${name}: ${LARGE.toLocaleString('en')} deltas arrive intact, at a cost linear in the answer`, async () => {
      await stream(SMALL); // warm-up: JIT, connections
      const small = await cpuOf(() => stream(SMALL));
      const large = await cpuOf(() => stream(LARGE));
      console.log(`${name}: CPU ${(small / 1000).toFixed(0)} ms for ${SMALL} deltas, ${(large / 1000).toFixed(0)} ms for ${LARGE} (×${(large / small).toFixed(2)})`);
      expect(large / small).toBeLessThan(MAX_RATIO);
    }, 120_000);
  }
});
