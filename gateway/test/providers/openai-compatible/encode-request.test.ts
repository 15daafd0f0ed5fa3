import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../../src/config/types.js';
import type { ChatRequest } from '../../../src/core/chat-schema.js';
import { parseChatRequest } from '../../../src/surfaces/parse-chat-request.js';
import { toolsJson } from '../../../src/core/tools-json.js';
import { encodeOpenAIBody, encodeOpenAIRequest } from '../../../src/providers/openai-compatible/encode-request.js';

const deployment: Deployment = {
  id: 'm#0',
  modelName: 'm',
  provider: { name: 'p', kind: 'openai-compatible', baseUrl: 'http://x/v1', headers: {} },
  upstreamModel: 'up',
  prices: {},
  capabilities: { tools: true, vision: false, caching: false, reasoning: false },
};

const tools = [
  { type: 'function', function: { name: 'read', description: 'Reads a "file"\n', parameters: { type: 'object', properties: { path: { type: 'string' } } } } },
  { type: 'function', function: { name: 'bash', parameters: { type: 'object' } } },
];

describe('encodeOpenAIBody', () => {
  it('is the JSON of the encoded request, with or without tools', () => {
    const requests: ChatRequest[] = [
      { model: 'm', messages: [{ role: 'user', content: 'hi' }], tools, tool_choice: 'auto', stream: true, drop_params: true } as ChatRequest,
      { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
      { model: 'm', messages: [{ role: 'user', content: 'hi' }], tools: [] } as ChatRequest,
    ];
    for (const request of requests) {
      const expected = encodeOpenAIRequest(request, deployment);
      expect(JSON.parse(encodeOpenAIBody(request, deployment))).toEqual(expected);
    }
  });

  it('writes the tools last, in the text toolsJson made for the token estimate', () => {
    const request = { model: 'm', messages: [{ role: 'user', content: 'hi' }], tools } as ChatRequest;
    const text = toolsJson(request.tools!);
    expect(encodeOpenAIBody(request, deployment).endsWith(`,"tools":${text}}`)).toBe(true);
  });

  it('from the client\'s text, sends what encodeOpenAIRequest says, however the client formatted it', () => {
    const unicode = fc.string({ unit: 'binary', maxLength: 40 });
    const message = fc.oneof(
      fc.record({ role: fc.constantFrom('user', 'system', 'assistant'), content: unicode }),
      fc.record({ role: fc.constant('user'), content: fc.array(fc.record({ type: fc.constant('text'), text: unicode }), { maxLength: 3 }) }),
    );
    const key = fc.constantFrom('model', 'stream', 'stream_options', 'usage', 'tools', 'temperature', 'api_base', 'drop_params', 'mock_response', 'user', 'x-extra', 'max_tokens');
    const request = fc.record(
      {
        model: fc.string({ minLength: 1, maxLength: 10 }),
        messages: fc.array(message, { minLength: 1, maxLength: 4 }),
        stream: fc.boolean(),
        stream_options: fc.record({ include_usage: fc.boolean() }, { requiredKeys: [] }),
        usage: fc.jsonValue({ maxDepth: 1 }),
        tools: fc.constant(tools),
        temperature: fc.double({ min: 0, max: 2, noNaN: true }),
        top_p: fc.double({ noNaN: true, noDefaultInfinity: true }),
        api_base: fc.string(),
        drop_params: fc.boolean(),
        user: unicode,
        extra: fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
      },
      { requiredKeys: ['model', 'messages'] },
    );
    const layout = fc.record({ indent: fc.constantFrom(undefined, 1, 2, '\t'), escapeKeys: fc.boolean(), space: fc.constantFrom('', ' ', '\n  ') });
    const extraBody = fc.dictionary(key, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 });
    fc.assert(
      fc.property(request, layout, extraBody, fc.boolean(), (body, { indent, escapeKeys, space }, extra, reportCost) => {
        const escape = (k: string) => (escapeKeys ? `"${[...k].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"` : JSON.stringify(k));
        const text = `${space}{${Object.entries(body)
          .map(([k, v]) => `${space}${escape(k)}${space}:${space}${JSON.stringify(v, null, indent)}${space}`)
          .join(',')}}${space}`;
        const parsed = parseChatRequest(JSON.parse(text));
        const d: Deployment = { ...deployment, extraBody: extra, provider: { ...deployment.provider, reportCost } };
        // what the serialising path sends (through JSON, as the upstream reads it: -0 is 0 there)
        const sent = encodeOpenAIBody(parsed, d, text);
        expect(JSON.parse(sent)).toEqual(JSON.parse(JSON.stringify(encodeOpenAIRequest(parsed, d))));
        // from the body's bytes (a large body: trailing space): the same body, copied from the bytes when all ASCII
        const large = text + ' '.repeat(8192);
        const fromBytes = encodeOpenAIBody(parsed, d, large, Buffer.from(large));
        if (/^[\x00-\x7f]*$/.test(text)) expect(Buffer.isBuffer(fromBytes) && fromBytes.equals(Buffer.from(sent))).toBe(true);
        else expect(fromBytes).toBe(sent);
      }),
      { numRuns: 3000 },
    );
  });

  it('builds a large body from the client\'s bytes when they are ASCII, with what the gateway writes encoded as UTF-8', () => {
    const text = `{"messages":[{"role":"user","content":"caf\\u00e9"}],"model":"m","stream":true}${' '.repeat(8192)}`;
    const parsed = parseChatRequest(JSON.parse(text));
    const d: Deployment = { ...deployment, upstreamModel: 'modèle', extraBody: { tag: 'é' } };
    const sent = encodeOpenAIBody(parsed, d, text, Buffer.from(text));
    expect(Buffer.isBuffer(sent)).toBe(true);
    expect(sent.toString()).toBe('{"model":"modèle","messages":[{"role":"user","content":"caf\\u00e9"}],"stream":true,"tag":"é","stream_options":{"include_usage":true}}');
    // a body with a character of several bytes: byte and text offsets differ, so the body is written as text;
    // so is a small one (a few KB), where that costs less
    const accented = `{"model":"m","messages":[{"role":"user","content":"café"}]}${' '.repeat(8192)}`;
    expect(encodeOpenAIBody(parseChatRequest(JSON.parse(accented)), deployment, accented, Buffer.from(accented))).toBe('{"model":"up","messages":[{"role":"user","content":"café"}]}');
    const small = '{"model":"m","messages":[{"role":"user","content":"hi"}]}';
    expect(encodeOpenAIBody(parseChatRequest(JSON.parse(small)), deployment, small, Buffer.from(small))).toBe('{"model":"up","messages":[{"role":"user","content":"hi"}]}');
  });

  it('copies the members it leaves alone as the client wrote them, and falls back when a member comes twice', () => {
    const text = '{"model":"m","messages":[{"role":"user","content":"caf\\u00e9"}],"seed":12345678901234567890,"temperature":1.0}';
    const parsed = parseChatRequest(JSON.parse(text));
    expect(encodeOpenAIBody(parsed, deployment, text)).toBe('{"model":"up","messages":[{"role":"user","content":"caf\\u00e9"}],"seed":12345678901234567890,"temperature":1.0}');
    const twice = '{"model":"m","messages":[{"role":"user","content":"a"}],"user":"x","user":"y"}';
    const fromTwice = parseChatRequest(JSON.parse(twice));
    expect(encodeOpenAIBody(fromTwice, deployment, twice)).toBe(JSON.stringify(encodeOpenAIRequest(fromTwice, deployment)));
  });
});
