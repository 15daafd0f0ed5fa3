import { describe, expect, it } from 'vitest';
import type { ChatRequest, ToolDefinition } from '../../../src/core/chat-schema.js';
import { DEMO_MODELS } from '../../../src/providers/demo/catalog.js';
import { encodeChunks, encodeCompletion } from '../../../src/providers/demo/encode-output.js';
import { outputLimit, planOutput } from '../../../src/providers/demo/plan-output.js';

const standard = DEMO_MODELS.find((m) => m.name === 'demo-standard')!;
const bash: ToolDefinition = { type: 'function', function: { name: 'bash', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } } };
const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'm', messages: [{ role: 'user', content: 'list the files' }], ...extra });
const meta = { id: 'chatcmpl-demo-abc', created: 1, model: 'public' };

describe('planOutput', () => {
  it('never allows more output than the model produces', () => {
    expect(outputLimit(standard, request())).toBe(standard.maxOutputTokens);
    expect(outputLimit(standard, request({ max_tokens: 10_000_000 }))).toBe(standard.maxOutputTokens);
    expect(outputLimit(standard, request({ max_tokens: 50 }))).toBe(50);
  });

  it('counts reasoning, text and tool call tokens in usage', () => {
    const output = planOutput(standard, request({ tools: [bash], reasoning_effort: 'low' }), 'f'.repeat(64));
    expect(output.finishReason).toBe('tool_calls');
    expect(output.reasoning).toContain('call bash');
    const details = output.usage.completion_tokens_details!;
    expect(details.reasoning_tokens).toBeGreaterThan(0);
    expect(output.usage.completion_tokens).toBeGreaterThan(details.reasoning_tokens!);
    expect(output.toolCalls[0]!.id).toBe('call_demo_ffffffffffff_0');
  });

  it('cuts tool arguments at the limit like a real model does', () => {
    const output = planOutput(standard, request({ tools: [bash], max_tokens: 5 }), 'a'.repeat(64));
    expect(output.finishReason).toBe('length');
    expect(output.usage.completion_tokens).toBeLessThanOrEqual(5);
    expect('{"command":"echo switchyard-demo"}'.startsWith(output.toolCalls[0]!.function.arguments)).toBe(true);
  });
});

describe('encode-output', () => {
  it('streams reasoning, then tool call deltas, then finish and usage; the completion holds the same parts', () => {
    const output = planOutput(standard, request({ tools: [bash], reasoning_effort: 'medium' }), 'b'.repeat(64));
    const chunks = [...encodeChunks(output, meta)].map((p) => p.chunk);
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant' });
    const kinds = chunks.map((c) => Object.keys(c.choices[0]?.delta ?? { usage: 1 })[0] ?? 'finish');
    const firstTool = kinds.indexOf('tool_calls');
    expect(kinds.lastIndexOf('reasoning_content')).toBeLessThan(firstTool);
    expect(kinds.slice(-2)).toEqual(['finish', 'usage']);
    expect(chunks[firstTool]!.choices[0]!.delta.tool_calls![0]).toMatchObject({ index: 0, id: output.toolCalls[0]!.id, type: 'function', function: { name: 'bash' } });

    const completion = encodeCompletion(output, meta);
    expect(completion.choices[0]!.message).toEqual({ role: 'assistant', content: null, reasoning_content: output.reasoning, tool_calls: output.toolCalls });
    expect(completion.usage).toBe(output.usage);
  });
});
