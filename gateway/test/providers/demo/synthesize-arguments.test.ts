import { describe, expect, it } from 'vitest';
import { synthesizeArguments } from '../../../src/providers/demo/synthesize-arguments.js';

describe('synthesizeArguments', () => {
  it('fills an OpenCode-style bash tool with a harmless command', () => {
    const args = synthesizeArguments({
      type: 'object',
      properties: { command: { type: 'string' }, description: { type: 'string' }, timeout: { type: 'number' } },
      required: ['command', 'description'],
    });
    expect(args).toEqual({ command: 'echo switchyard-demo', description: expect.any(String) });
    expect((args!.description as string).length).toBeGreaterThan(5);
  });

  it('uses README.md for paths and simple values for the other types', () => {
    expect(
      synthesizeArguments({
        type: 'object',
        properties: {
          filePath: { type: 'string' },
          path: { type: 'string' },
          limit: { type: 'integer' },
          recursive: { type: 'boolean' },
          mode: { type: 'string', enum: ['fast', 'slow'] },
          tags: { type: 'array', items: { type: 'string' } },
          other: { type: 'string' },
        },
        required: ['filePath', 'path', 'limit', 'recursive', 'mode', 'tags', 'other'],
      }),
    ).toEqual({ filePath: 'README.md', path: 'README.md', limit: 1, recursive: false, mode: 'fast', tags: [], other: 'demo other' });
  });

  it('leaves optional properties out and accepts empty or missing parameters', () => {
    expect(synthesizeArguments({ type: 'object', properties: { path: { type: 'string' } } })).toEqual({});
    expect(synthesizeArguments(undefined)).toEqual({});
    expect(synthesizeArguments({})).toEqual({});
  });

  it('respects numeric bounds, string lengths, const, defaults and nullable types', () => {
    expect(
      synthesizeArguments({
        type: 'object',
        properties: {
          count: { type: 'number', minimum: 5 },
          ratio: { type: 'number', maximum: 0 },
          code: { type: 'string', minLength: 12 },
          short: { type: 'string', maxLength: 3 },
          kind: { const: 'fixed' },
          level: { type: 'string', default: 'info' },
          maybe: { type: ['string', 'null'] },
        },
        required: ['count', 'ratio', 'code', 'short', 'kind', 'level', 'maybe'],
      }),
    ).toEqual({ count: 5, ratio: 0, code: 'demo code...', short: 'dem', kind: 'fixed', level: 'info', maybe: 'demo maybe' });
  });

  it('recurses into nested objects, arrays with minItems and anyOf', () => {
    expect(
      synthesizeArguments({
        type: 'object',
        properties: {
          edits: { type: 'array', minItems: 1, items: { type: 'object', properties: { path: { type: 'string' }, line: { type: 'integer' } }, required: ['path', 'line'] } },
          target: { anyOf: [{ type: 'string', pattern: '^x' }, { type: 'integer' }] },
        },
        required: ['edits', 'target'],
      }),
    ).toEqual({ edits: [{ path: 'README.md', line: 1 }], target: 1 });
  });

  it('gives up when a required property cannot be satisfied', () => {
    expect(synthesizeArguments({ type: 'object', properties: { id: { type: 'string', pattern: '^[a-f0-9]{8}$' } }, required: ['id'] })).toBeUndefined();
    expect(synthesizeArguments({ type: 'object', properties: { node: { $ref: '#/$defs/node' } }, required: ['node'] })).toBeUndefined();
    expect(synthesizeArguments({ type: 'object', properties: {}, required: ['missing'] })).toBeUndefined();
    expect(synthesizeArguments({ type: 'object', properties: { blob: { type: 'binary' } }, required: ['blob'] })).toBeUndefined();
  });
});
