import fc from 'fast-check';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSseDecoder, type EventSourceMessage } from '../../src/sse/parse-sse.js';
import { createOpenAIStreamDecoder } from '../../src/providers/openai-compatible/decode-stream.js';
import { createAnthropicStreamDecoder } from '../../src/providers/anthropic/decode-stream.js';
import { GatewayError } from '../../src/core/errors.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { MASTER_KEY, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

// Bounded runs with a fixed seed: the same inputs every run (raise FUZZ_RUNS locally to search further).
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const settings = { numRuns: RUNS, seed: SEED, endOnFailure: true };

let upstream: MockOpenAI;
let gw: TestGateway;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

const SURFACES = [
  { path: '/v1/chat/completions', shape: 'openai', valid: { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] } },
  { path: '/chat/completions', shape: 'openai', valid: { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] } },
  { path: '/v1/responses', shape: 'openai', valid: { model: 'gpt-test', input: 'hi' } },
  { path: '/v1/messages', shape: 'anthropic', valid: { model: 'gpt-test', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] } },
  { path: '/v1/messages/count_tokens', shape: 'anthropic', valid: { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] } },
] as const;

/** Field names the surfaces know, so generated bodies reach deep into validation and translation. */
const FIELDS = ['model', 'messages', 'input', 'stream', 'max_tokens', 'max_output_tokens', 'max_completion_tokens', 'tools', 'tool_choice', 'system', 'instructions', 'temperature', 'metadata', 'stream_options', 'response_format', 'user', 'content', 'role', 'n', 'stop', 'thinking', 'reasoning', 'text', 'previous_response_id'];

const anyJson = fc.jsonValue({ maxDepth: 4 });
/** A JSON value that is often of a shape the surfaces expect: a part, a block, an item or a message. */
const PART_TYPES = ['text', 'image_url', 'image', 'input_text', 'input_image', 'output_text', 'tool_use', 'tool_result', 'thinking', 'document', 'function_call', 'function_call_output', 'message', 'reasoning', 'refusal', 'file'];
const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function', 'robot'];
const PART_FIELDS = ['type', 'text', 'image_url', 'url', 'source', 'id', 'name', 'input', 'content', 'tool_use_id', 'call_id', 'arguments', 'output', 'role', 'thinking', 'signature', 'detail', 'data', 'media_type', 'is_error', 'cache_control'];
const partLike: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.constantFrom(...PART_TYPES), fc.dictionary(fc.constantFrom(...PART_FIELDS), anyJson, { maxKeys: 4 }))
  .map(([type, fields]) => ({ type, ...fields }));
const messageLike = fc
  .tuple(fc.constantFrom(...ROLES), fc.oneof(fc.string({ maxLength: 30 }), fc.array(partLike, { maxLength: 3 }), anyJson), fc.dictionary(fc.constantFrom('tool_calls', 'tool_call_id', 'name', 'reasoning_content', 'type'), anyJson, { maxKeys: 2 }))
  .map(([role, content, extra]) => ({ role, content, ...extra }));
const toolLike = fc.oneof(
  fc.record({ type: fc.constant('function'), function: fc.record({ name: fc.string({ maxLength: 20 }), parameters: anyJson }) }),
  fc.record({ name: fc.string({ maxLength: 20 }), input_schema: anyJson, description: fc.string({ maxLength: 20 }) }),
  fc.record({ type: fc.constantFrom('function', 'web_search', 'custom'), name: fc.string({ maxLength: 20 }), parameters: anyJson }),
);
const fieldValue = (field: string): fc.Arbitrary<unknown> => {
  if (field === 'messages' || field === 'input') return fc.oneof(fc.array(fc.oneof(messageLike, partLike), { maxLength: 4 }), fc.string({ maxLength: 30 }), anyJson);
  if (field === 'tools') return fc.oneof(fc.array(toolLike, { maxLength: 3 }), anyJson);
  if (field === 'model') return fc.oneof(fc.constantFrom('gpt-test', 'auto', '', 'nope'), fc.string({ maxLength: 20 }));
  if (field === 'system') return fc.oneof(fc.string({ maxLength: 30 }), fc.array(partLike, { maxLength: 2 }), anyJson);
  return fc.oneof(anyJson, fc.boolean(), fc.integer(), fc.double());
};
/** A valid body with some fields replaced, removed or added, mostly with values of a plausible shape. */
const mutatedBody = (valid: Record<string, unknown>) =>
  fc
    .record({
      set: fc.uniqueArray(fc.constantFrom(...FIELDS), { maxLength: 4 }).chain((fields) => fc.tuple(...fields.map((f) => fieldValue(f).map((v) => [f, v] as const)))),
      drop: fc.subarray(Object.keys(valid)),
      stream: fc.boolean(),
    })
    .map(({ set, drop, stream }) => {
      const body: Record<string, unknown> = { ...valid, stream, ...Object.fromEntries(set) };
      for (const key of drop) delete body[key];
      return JSON.stringify(body);
    });
/** A valid body carrying a value nested 1 to 20,000 levels deep, in an unknown field or a known one. */
const nestedBody = (valid: Record<string, unknown>) =>
  fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('extra', 'metadata', 'tools', 'response_format'), fc.constantFrom('[', '{"a":')).map(([depth, field, open]) => {
    const close = open === '[' ? ']' : '}';
    return `${JSON.stringify(valid).slice(0, -1)},"${field}":${open.repeat(depth)}1${close.repeat(depth)}}`;
  });
const rawBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  anyJson.map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
);
const headerValue = fc.string({ maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s));
const extraHeaders = fc.dictionary(fc.constantFrom('content-type', 'anthropic-version', 'anthropic-beta', 'user-agent', 'x-switchyard-tier', 'x-switchyard-role', 'x-switchyard-exclude-models', 'x-switchyard-user', 'traceparent', 'accept'), headerValue, { maxKeys: 4 });

interface Answer {
  status: number;
  body: string;
}

/** Sends a request over a raw socket, the body cut at the given points (chunked framing or a declared length). */
function sendRaw(path: string, headers: Record<string, string>, body: Buffer, cuts: number[], chunked: boolean): Promise<Answer> {
  const url = new URL(gw.url);
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const framing = chunked ? 'transfer-encoding: chunked\r\n' : `content-length: ${body.length}\r\n`;
  const points = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let at = 0;
  for (const p of [...points, body.length]) {
    if (p > at) pieces.push(body.subarray(at, p));
    at = Math.max(at, p);
  }
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(received).toString('utf8');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0), body: raw.slice(raw.indexOf('\r\n\r\n') + 4) });
    });
    void (async () => {
      socket.write(`POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\nauthorization: Bearer ${MASTER_KEY}\r\n${lines}${framing}\r\n`);
      for (const piece of pieces) {
        socket.write(chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece);
        await new Promise((r) => setImmediate(r));
      }
      if (chunked) socket.write('0\r\n\r\n');
    })();
  });
}

function expectClientAnswer(surface: (typeof SURFACES)[number], answer: Answer): void {
  expect(answer.status, answer.body).toBeGreaterThanOrEqual(200);
  expect(answer.status, answer.body).toBeLessThan(500);
  if (answer.status >= 400) {
    const body = JSON.parse(answer.body);
    if (surface.shape === 'openai') expect(typeof body.error.message).toBe('string');
    else expect(body.type).toBe('error');
    expect(answer.body).not.toMatch(/at .*\.(ts|js):\d+/);
  }
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  upstream = await startMockOpenAI({ record: false });
  gw = await startTestGateway(testConfig([{ name: 'gpt-test', baseUrl: upstream.url }], { masterKey: MASTER_KEY, maxBodyBytes: 64 * 1024 }));
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await gw.close();
  await upstream.close();
});

describe('fuzzing the surfaces', () => {
  it.each(SURFACES)('$path: generated bodies and headers never get a 5xx', async (surface) => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutatedBody(surface.valid), rawBody, nestedBody(surface.valid)), extraHeaders, async (body, headers) => {
        const res = await fetch(`${gw.url}${surface.path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers, authorization: `Bearer ${MASTER_KEY}` }, body });
        expectClientAnswer(surface, { status: res.status, body: await res.text() });
      }),
      settings,
    );
  });

  it.each(SURFACES)('$path: a valid body cut into any pieces is read whole', async (surface) => {
    const body = Buffer.from(JSON.stringify({ ...surface.valid, metadata: { note: 'é漢字🙂 split across pieces' } }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), async (cuts, chunked) => {
        const answer = await sendRaw(surface.path, { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body, cuts, chunked);
        expect(answer.status, answer.body).toBe(200);
      }),
      { ...settings, numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it('the gateway still answers afterwards, with no unhandled rejection', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}` }, body: JSON.stringify(SURFACES[0].valid) });
    expect(res.status).toBe(200);
    expect(unhandled).toEqual([]);
  });
});

const SSE_STREAM = [
  'event: message_start\ndata: {"type":"message_start"}\n\n',
  ': a comment\n\n',
  'data: {"a":1}\r\n\r\n',
  'id: 7\nretry: 100\ndata: line one\ndata: line two\n\n',
  'data: {"text":"é漢字🙂"}\n\n',
  'data: [DONE]\n\n',
].join('');

describe('fuzzing the SSE decoder', () => {
  const decodeAll = (pieces: Uint8Array[]): EventSourceMessage[] => {
    const sse = createSseDecoder();
    const out = pieces.flatMap((p) => sse.feed(p));
    return [...out, ...sse.end()];
  };

  it('yields the same events however the bytes are split', () => {
    const bytes = new TextEncoder().encode(SSE_STREAM);
    const whole = decodeAll([bytes]);
    expect(whole.map((e) => e.data)).toContain('line one\nline two');
    fc.assert(
      fc.property(fc.array(fc.nat({ max: bytes.length }), { maxLength: 30 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const pieces: Uint8Array[] = [];
        let at = 0;
        for (const p of [...points, bytes.length]) {
          pieces.push(bytes.subarray(at, p));
          at = p;
        }
        expect(decodeAll(pieces)).toEqual(whole);
      }),
      { ...settings, numRuns: RUNS * 5 },
    );
  });

  it('turns arbitrary bytes into events, and upstream decoders turn any event into chunks or a GatewayError', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 64 }).map((s) => new TextEncoder().encode(`data: ${s}\n\n`))), { maxLength: 10 }), (pieces) => {
        const events = decodeAll(pieces);
        for (const make of [createOpenAIStreamDecoder, createAnthropicStreamDecoder]) {
          const decoder = make('fuzz');
          try {
            for (const event of events) decoder.event(event);
            decoder.end();
          } catch (err) {
            expect(err).toBeInstanceOf(GatewayError);
          }
        }
      }),
      { ...settings, numRuns: RUNS * 5 },
    );
  });
});
