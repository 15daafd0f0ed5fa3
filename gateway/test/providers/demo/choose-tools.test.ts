import { describe, expect, it } from 'vitest';
import type { ChatRequest, ToolDefinition } from '../../../src/core/chat-schema.js';
import { chooseToolCalls } from '../../../src/providers/demo/choose-tools.js';

const tool = (name: string, parameters: Record<string, unknown>): ToolDefinition => ({ type: 'function', function: { name, parameters } });
const write = tool('write', { type: 'object', properties: { filePath: { type: 'string' }, content: { type: 'string' } }, required: ['filePath', 'content'] });
const hashLookup = tool('lookup', { type: 'object', properties: { sha: { type: 'string', pattern: '^[0-9a-f]{40}$' } }, required: ['sha'] });
const bash = tool('bash', { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] });
const read = tool('read', { type: 'object', properties: { filePath: { type: 'string' } }, required: ['filePath'] });
const tools = [write, hashLookup, bash, read];

const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'm', messages: [{ role: 'user', content: 'go' }], tools, ...extra });

describe('chooseToolCalls', () => {
  it('calls the first satisfiable tool, preferring tools that change nothing', () => {
    expect(chooseToolCalls(ask())).toEqual([{ name: 'bash', arguments: { command: 'echo switchyard-demo' } }]);
    expect(chooseToolCalls(ask({ tools: [write] }))).toEqual([{ name: 'write', arguments: { filePath: 'README.md', content: expect.any(String) } }]);
  });

  it('calls nothing without tools, with tool_choice none, or when nothing can be satisfied', () => {
    expect(chooseToolCalls(ask({ tools: undefined }))).toEqual([]);
    expect(chooseToolCalls(ask({ tool_choice: 'none' }))).toEqual([]);
    expect(chooseToolCalls(ask({ tools: [hashLookup] }))).toEqual([]);
  });

  it('answers instead of calling again once tool results are back', () => {
    const request = ask({
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'bash', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'ok' },
      ],
    });
    expect(chooseToolCalls(request)).toEqual([]);
  });

  it('calls two tools when required and parallel calls are allowed, one when they are not', () => {
    expect(chooseToolCalls(ask({ tool_choice: 'required' })).map((c) => c.name)).toEqual(['bash', 'read']);
    expect(chooseToolCalls(ask({ tool_choice: 'required', parallel_tool_calls: false })).map((c) => c.name)).toEqual(['bash']);
    expect(chooseToolCalls(ask({ tool_choice: 'required', tools: [hashLookup] }))).toEqual([{ name: 'lookup', arguments: {} }]);
  });

  it('calls a forced tool by name', () => {
    expect(chooseToolCalls(ask({ tool_choice: { type: 'function', function: { name: 'read' } } }))).toEqual([{ name: 'read', arguments: { filePath: 'README.md' } }]);
    expect(chooseToolCalls(ask({ tool_choice: { type: 'function', function: { name: 'nope' } } }))).toEqual([]);
  });
});
