import { describe, expect, it } from 'vitest';
import { interpolateEnv } from '../../src/config/interpolate-env.js';

describe('interpolateEnv', () => {
  it('substitutes set variables and defaults inside strings, arrays and mappings', () => {
    const result = interpolateEnv(
      { a: 'x-${A}-y', list: ['${B:-fallback}', 3], nested: { c: '${EMPTY:-d}', keep: true } },
      { A: '1', EMPTY: '' },
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toEqual({ a: 'x-1-y', list: ['fallback', 3], nested: { c: 'd', keep: true } });
  });

  it('reports every unset variable with its path and remembers the failed paths', () => {
    const result = interpolateEnv({ providers: { p: { api_key: '${KEY}' } }, models: [{ name: '${A}${B}' }] }, { A: 'ok' });
    expect(result.diagnostics.map((d) => [d.path, d.message.split(':')[0]])).toEqual([
      ['providers.p.api_key', 'environment variable KEY is not set'],
      ['models[0].name', 'environment variable B is not set'],
    ]);
    expect([...result.failedPaths]).toEqual(['providers.p.api_key', 'models[0].name']);
  });

  it('treats $${ as a literal and rejects malformed references', () => {
    const result = interpolateEnv({ a: 'cost $${X}', b: '${not valid}' }, {});
    expect((result.value as { a: string }).a).toBe('cost ${X}');
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ path: 'b', severity: 'error' });
    expect(result.diagnostics[0]?.message).toMatch(/invalid variable reference/);
  });

  it('quotes keys that are not plain identifiers in paths', () => {
    const result = interpolateEnv({ aliases: { 'gpt-4.1': '${T}' } }, {});
    expect(result.diagnostics[0]?.path).toBe('aliases["gpt-4.1"]');
  });
});
