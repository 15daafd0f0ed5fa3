import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ChatChunk } from '../../src/core/chat-response.js';
import { GatewayError } from '../../src/core/errors.js';
import { parseResponsesRequest } from '../../src/surfaces/openai-responses-parse.js';
import { createResponsesStreamTranslator } from '../../src/translate/chat-chunks-to-responses-events.js';
import { chatToResponsesResponse } from '../../src/translate/chat-to-responses-response.js';
import { responseEcho } from '../../src/translate/responses-echo.js';
import { responsesToChatRequest } from '../../src/translate/responses-to-chat-request.js';
import { checkResponsesGrammar } from './openai-responses-grammar.js';

const identity = { id: 'resp_0123abcd', createdAt: 1_700_000_000 };
const fixture = (name: string): any => JSON.parse(readFileSync(fileURLToPath(new URL(`../translate/responses/${name}.json`, import.meta.url)), 'utf8'));
const translate = (body: unknown) => responsesToChatRequest(parseResponsesRequest(body));
const echoOf = (body: unknown) => responseEcho(parseResponsesRequest(body));

function chunk(delta: ChatChunk['choices'][number]['delta'], finish: string | null = null): ChatChunk {
  return { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'u', choices: [{ index: 0, delta, finish_reason: finish }] };
}

function runStream(request: unknown, chunks: ChatChunk[]) {
  const t = createResponsesStreamTranslator(echoOf(request), identity);
  return [...t.start(), ...chunks.flatMap((c) => t.push(c)), ...t.finish()];
}

/** The GatewayError a thunk throws. */
function errorOf(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
}

describe('Responses request → chat request (golden fixtures)', () => {
  for (const name of ['request-codex-turn', 'request-tool-loop', 'request-options']) {
    it(name, () => {
      const f = fixture(name);
      const { request, warnings } = translate(f.responses);
      expect(request).toEqual(f.chat);
      expect(warnings).toEqual(f.warnings);
    });
  }

  it('keeps tool_choice and parallel_tool_calls away from an upstream when every tool was hosted', () => {
    const { request, warnings } = translate({ model: 'm', input: 'x', tools: [{ type: 'web_search' }], tool_choice: 'required', parallel_tool_calls: true });
    expect(request.tools).toBeUndefined();
    expect(request.tool_choice).toBeUndefined();
    expect(request.parallel_tool_calls).toBeUndefined();
    expect(warnings).toEqual(['dropped unsupported hosted tools: web_search']);
  });

  it('maps allowed_tools and json_object, and ignores a hosted tool choice', () => {
    const tools = [{ type: 'function', name: 'f' }];
    expect(translate({ model: 'm', input: 'x', tools, tool_choice: { type: 'allowed_tools', mode: 'required', tools } }).request.tool_choice).toBe('required');
    expect(translate({ model: 'm', input: 'x', tools, tool_choice: { type: 'web_search' } }).request.tool_choice).toBeUndefined();
    expect(translate({ model: 'm', input: 'x', text: { format: { type: 'json_object' } } }).request.response_format).toEqual({ type: 'json_object' });
    expect(translate({ model: 'm', input: 'x', text: { format: { type: 'text' } } }).request.response_format).toBeUndefined();
  });

  it('tolerates store, include and unknown fields, and keeps no state', () => {
    const { request } = translate({ model: 'm', input: 'x', store: true, include: ['reasoning.encrypted_content'], truncation: 'auto', service_tier: 'auto', extra: 1 });
    expect(request).toEqual({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
  });

  it('refuses what needs server-side state with a 400 that says the gateway is stateless', () => {
    for (const [field, value] of [['previous_response_id', 'resp_1'], ['conversation', 'conv_1'], ['background', true]] as const) {
      const err = errorOf(() => translate({ model: 'm', input: 'x', [field]: value }));
      expect(err.status).toBe(400);
      expect(err.param).toBe(field);
      expect(err.message).toMatch(/not supported.*(stateless|stored)/);
    }
  });
});

describe('parseResponsesRequest refuses bad input with the field named', () => {
  const cases: Array<[string, unknown, string | null, RegExp]> = [
    ['a body that is not an object', [1, 2], null, /JSON object/],
    ['a missing model', { input: 'x' }, 'model', /model/],
    ['input of the wrong type', { model: 'm', input: 42 }, 'input', /input/],
    ['an unknown item type', { model: 'm', input: [{ type: 'computer_call_output', call_id: 'c' }] }, 'input[0].type', /unsupported input item type 'computer_call_output'/],
    ['an item_reference', { model: 'm', input: [{ type: 'item_reference', id: 'msg_1' }] }, 'input[0].type', /stateless/],
    ['a message with a bad role', { model: 'm', input: [{ role: 'robot', content: 'x' }] }, 'input[0].role', /role/],
    ['a message without content', { model: 'm', input: [{ type: 'message', role: 'user' }] }, 'input[0].content', /content/],
    ['an unknown content part', { model: 'm', input: [{ role: 'user', content: [{ type: 'input_audio', data: 'x' }] }] }, 'input[0].content[0].type', /unsupported content part type/],
    ['a function_call without call_id', { model: 'm', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }, 'input[0].call_id', /call_id/],
    ['function_call arguments that are not a string', { model: 'm', input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: { a: 1 } }] }, 'input[0].arguments', /string/],
    ['a function tool without a name', { model: 'm', input: 'x', tools: [{ type: 'function', parameters: {} }] }, 'tools[0].name', /name/],
    ['a temperature out of range', { model: 'm', input: 'x', temperature: 5 }, 'temperature', /temperature/],
  ];
  for (const [what, body, param, message] of cases) {
    it(what, () => {
      const err = errorOf(() => parseResponsesRequest(body));
      expect(err.status).toBe(400);
      expect(err.param).toBe(param);
      expect(err.message).toMatch(message);
    });
  }

  it('refuses an output for a call that never happened, a file by id, and a conversation without messages', () => {
    const orphan = errorOf(() => translate({ model: 'm', input: [{ type: 'function_call_output', call_id: 'nope', output: 'x' }] }));
    expect(orphan.param).toBe('input[0].call_id');
    const fileId = errorOf(() => translate({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] }));
    expect(fileId.message).toMatch(/stores no files/);
    const empty = errorOf(() => translate({ model: 'm', input: [], instructions: 'be nice' }));
    expect(empty.param).toBe('input');
  });
});

describe('chat completion → Responses response (golden fixtures)', () => {
  for (const name of ['response-text-reasoning', 'response-tool-calls', 'response-length']) {
    it(name, () => {
      const f = fixture(name);
      expect(chatToResponsesResponse(f.chat, echoOf(f.request), identity)).toEqual(f.response);
    });
  }

  it('answers an empty message when the upstream said nothing, and usage null when it reported none', () => {
    const out = chatToResponsesResponse(
      { id: 'c', object: 'chat.completion', created: 1, model: 'u', choices: [{ index: 0, message: { role: 'assistant', content: null }, finish_reason: 'stop' }] },
      echoOf({ model: 'm', input: 'x' }),
      identity,
    );
    expect(out.output).toEqual([{ type: 'message', id: 'msg_0123abcd_0', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: '', annotations: [] }] }]);
    expect(out.usage).toBeNull();
  });
});

describe('chat chunks → Responses events (golden fixtures, grammar checked)', () => {
  for (const name of ['stream-reasoning-text', 'stream-tool-calls', 'stream-length']) {
    it(name, () => {
      const f = fixture(name);
      const events = runStream(f.request, f.chunks);
      expect(events).toEqual(f.events);
      checkResponsesGrammar(events as any);
    });
  }

  it('takes OpenRouter-style `reasoning` deltas and answers an empty message after reasoning alone', () => {
    const events = runStream({ model: 'm', input: 'x' }, [chunk({ reasoning: 'hmm' }), chunk({}, 'stop')]);
    const response = checkResponsesGrammar(events as any);
    expect(response.output.map((item: any) => item.type)).toEqual(['reasoning', 'message']);
    expect(response.output[0].content[0].text).toBe('hmm');
  });

  it('ends with response.failed carrying the finished items when the stream breaks', () => {
    const t = createResponsesStreamTranslator(echoOf({ model: 'm', input: 'x' }), identity);
    const events = [...t.start(), ...t.push(chunk({ reasoning_content: 'a' })), ...t.push(chunk({ content: 'b' })), ...t.fail({ code: 'upstream_stream_error', message: 'boom' })];
    const response = checkResponsesGrammar(events as any);
    expect(response.status).toBe('failed');
    expect(response.error).toEqual({ code: 'upstream_stream_error', message: 'boom' });
    expect(response.output.map((item: any) => item.type)).toEqual(['reasoning']);
  });

  it('refuses tool call deltas that interleave, which output items cannot express', () => {
    const t = createResponsesStreamTranslator(echoOf({ model: 'm', input: 'x' }), identity);
    t.start();
    t.push(chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '{' } }] }));
    t.push(chunk({ tool_calls: [{ index: 1, id: 'b', function: { name: 'g', arguments: '{' } }] }));
    const err = errorOf(() => t.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '}' } }] })));
    expect(err.code).toBe('upstream_stream_error');
  });

  it('gives a tool call without an upstream id a call id, and takes a name that arrives late', () => {
    const events = runStream({ model: 'm', input: 'x' }, [chunk({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] }), chunk({ tool_calls: [{ index: 0, function: { name: 'late' } }] }), chunk({}, 'tool_calls')]);
    const response = checkResponsesGrammar(events as any);
    expect(response.output[0]).toMatchObject({ type: 'function_call', call_id: 'call_0123abcd_0', name: 'late', arguments: '{}' });
  });

  it('the grammar checker itself rejects a stream with an event missing or out of order', () => {
    const good = runStream({ model: 'm', input: 'x' }, [chunk({ content: 'hi' }), chunk({}, 'stop')]);
    const renumber = (events: any[]) => events.map((e, i) => ({ ...e, sequence_number: i }));
    expect(() => checkResponsesGrammar(renumber(good.filter((e) => e.type !== 'response.content_part.added')))).toThrow(/expected response.content_part.added/);
    expect(() => checkResponsesGrammar(renumber(good.filter((e) => e.type !== 'response.completed')))).toThrow(/ended without/);
    expect(() => checkResponsesGrammar(good.map((e, i) => (i === 4 ? { ...e, sequence_number: 9 } : e)) as any)).toThrow(/sequence_number/);
    const swapped = [...good];
    [swapped[5], swapped[6]] = [swapped[6]!, swapped[5]!];
    expect(() => checkResponsesGrammar(renumber(swapped))).toThrow(/grammar/);
    expect(() => checkResponsesGrammar(good.map((e) => (e.type === 'response.output_text.delta' ? { ...e, output_index: 1 } : e)) as any)).toThrow(/output_index/);
  });
});
