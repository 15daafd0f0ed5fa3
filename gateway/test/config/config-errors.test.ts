import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { ConfigDiagnostic } from '../../src/config/types.js';
import { writeTempConfig } from './temp-config.js';

function errorsOf(text: string, env: NodeJS.ProcessEnv = {}): ConfigDiagnostic[] {
  const result = loadConfig({ path: writeTempConfig(text), env });
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.errors;
}

function errorAt(errors: ConfigDiagnostic[], path: string): string {
  const found = errors.find((e) => e.path === path);
  if (!found) throw new Error(`no error at ${path}; got:\n${formatDiagnostics(errors)}`);
  return found.message;
}

const VALID_TAIL = `
providers:
  up: { kind: openai-compatible, base_url: "http://127.0.0.1:1/v1" }
models:
  - { name: m, provider: up }
`;

describe('config errors', () => {
  it('reports YAML syntax errors with line and column', () => {
    const errors = errorsOf('providers:\n  up: { kind: demo }\nmodels:\n  - name: [m\n');
    expect(errors[0]?.path).toBe('(file)');
    expect(errors[0]?.message).toMatch(/^YAML syntax error at line \d+, column \d+/);
  });

  it('reports a duplicate provider name at its line', () => {
    const errors = errorsOf('providers:\n  a: { kind: demo }\n  a: { kind: demo }\nmodels: [{ name: m, provider: a }]\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/line 3, column 3 .*appears twice/);
  });

  it('reports unknown keys with their path and a suggestion', () => {
    const errors = errorsOf(`${VALID_TAIL}server: { prot: 1 }\nbudget: {}\n`);
    expect(errorAt(errors, 'server.prot')).toMatch(/unknown key "prot" \(did you mean "port"\?\); allowed here: host, port, max_body_mb/);
    expect(errorAt(errors, 'budget')).toMatch(/did you mean "budgets"/);
  });

  it('reports wrong types with the path, the expectation and the value', () => {
    const errors = errorsOf(`
providers:
  up: { kind: openai-compatible, base_url: "http://127.0.0.1:1/v1" }
models:
  - { name: a, provider: up }
  - { name: b, provider: up }
  - { name: c, provider: up, prices: { input: cheap }, context_window: -1 }
store: { kind: mongo }
`);
    expect(errorAt(errors, 'models[2].prices.input')).toBe('expected a number, got "cheap"');
    expect(errorAt(errors, 'models[2].context_window')).toMatch(/greater than 0/);
    expect(errorAt(errors, 'store.kind')).toBe('expected one of "memory", "redis", got "mongo"');
  });

  it('reports missing required fields and kind-specific requirements', () => {
    const errors = errorsOf('providers:\n  up: { kind: openai-compatible }\nmodels:\n  - { provider: up }\nstore: { kind: redis }\n');
    expect(errorAt(errors, 'models[0].name')).toMatch(/^required/);
    expect(errorAt(errors, 'providers.up.base_url')).toMatch(/required for kind openai-compatible/);
    expect(errorAt(errors, 'store.url')).toMatch(/required when kind is redis/);
  });

  it('fails on an unset ${VAR}, naming the path and the variable, and never keeps it literally', () => {
    const errors = errorsOf(`${VALID_TAIL}auth: { master_key: "\${SWITCHYARD_KEY}" }\nserver: { port: "\${PORT}" }\n`);
    expect(errorAt(errors, 'auth.master_key')).toMatch(/environment variable SWITCHYARD_KEY is not set/);
    expect(errorAt(errors, 'server.port')).toMatch(/PORT is not set/);
    // The unset variable is the cause; no second "expected a number" error at the same path.
    expect(errors.filter((e) => e.path === 'server.port')).toHaveLength(1);
  });

  it('rejects an alias to an unknown model and an alias that shadows a model', () => {
    const errors = errorsOf(`${VALID_TAIL}aliases: { fast: nope, m: m }\n`);
    expect(errorAt(errors, 'aliases.fast')).toBe('alias "fast" points at "nope", which no model serves; use one of: m');
    expect(errorAt(errors, 'aliases.m')).toMatch(/same name as a model/);
  });

  it('rejects a model that references an undeclared provider', () => {
    const errors = errorsOf(`${VALID_TAIL}  - { name: n, provider: nowhere }\n`);
    expect(errorAt(errors, 'models[1].provider')).toBe('unknown provider "nowhere": declare it under providers (declared providers: up)');
  });

  it('collects every problem in one pass', () => {
    const errors = errorsOf(`
server: { hots: x }
providers:
  up: { kind: openai-compatible, base_url: "http://127.0.0.1:1/v1", api_key: "\${MISSING}" }
models:
  - { name: a, provider: up, capabilities: { vison: true } }
  - { name: b, provider: gone }
aliases: { x: y }
`);
    expect(errors.map((e) => e.path).sort()).toEqual(
      ['aliases.x', 'models[0].capabilities.vison', 'models[1].provider', 'providers.up.api_key', 'server.hots'].sort(),
    );
  });

  it('reports an unreadable file and an empty one', () => {
    const missing = loadConfig({ path: '/nonexistent/switchyard.yaml', env: {} });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.errors[0]?.message).toMatch(/cannot read config file .*ENOENT/);
    expect(errorsOf('# nothing\n')[0]?.message).toMatch(/the config is empty/);
  });

  it('formats one line per problem', () => {
    const text = formatDiagnostics([
      { severity: 'error', path: 'models[2].prices.input', message: 'expected a number, got "x"' },
      { severity: 'warning', path: 'general_settings.database_url', message: 'not supported' },
    ]);
    expect(text.split('\n')).toEqual([
      'error    models[2].prices.input: expected a number, got "x"',
      'warning  general_settings.database_url: not supported',
    ]);
  });
});
