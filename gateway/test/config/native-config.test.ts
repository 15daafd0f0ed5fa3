import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { GatewayConfig, LoadResult } from '../../src/config/types.js';
import { routersOf } from '../../src/routing/compile-routers.js';
import { writeTempConfig } from './temp-config.js';

const EXAMPLE = fileURLToPath(new URL('../../../deploy/examples/switchyard.example.yaml', import.meta.url));

function okConfig(result: LoadResult): GatewayConfig {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  return result.config;
}

const MINIMAL = `
providers:
  up: { kind: openai-compatible, base_url: "http://127.0.0.1:9999/v1/" }
models:
  - { name: m, provider: up }
`;

describe('native config', () => {
  it('loads the documented example file', () => {
    const result = loadConfig({ path: EXAMPLE, env: { SWITCHYARD_MASTER_KEY: 'sk-test', OPENROUTER_API_KEY: 'sk-or' } });
    const config = okConfig(result);
    expect(result.warnings).toEqual([]);
    expect(config.format).toBe('native');
    expect(config.source).toBe(EXAMPLE);
    expect(config.server).toEqual({ host: '127.0.0.1', port: 4000, maxBodyBytes: 32 * 1024 * 1024 });
    expect(config.auth).toEqual({ mode: 'master_key', masterKey: 'sk-test', explicitNone: false });
    expect(config.store).toEqual({ kind: 'memory', url: undefined, dataDir: './.data' });
    expect([...config.aliases]).toContainEqual(['premium', 'claude-sonnet-4.5']);
    expect(config.extensions.budgets).toMatchObject({ kind: 'switchyard.budgets', limits: [{ name: 'global:daily', maxMicros: 20_000_000 }, { name: 'global:monthly', maxMicros: 300_000_000 }] });

    const mini = config.models.get('gpt-4o-mini')?.[0];
    expect(mini).toMatchObject({
      id: 'gpt-4o-mini#0',
      upstreamModel: 'openai/gpt-4o-mini',
      tier: 'cheap',
      prices: { input: 0.15, output: 0.6, cacheRead: 0.075, cacheWrite: undefined },
      contextWindow: 128000,
      maxOutputTokens: 16384,
      capabilities: { tools: true, vision: true, caching: true, reasoning: false },
      rpm: 500,
    });
    expect(mini?.provider).toEqual({
      name: 'openrouter',
      kind: 'openai-compatible',
      baseUrl: 'https://openrouter.ai/api/v1',
      apiKey: 'sk-or',
      headers: { 'HTTP-Referer': 'https://github.com/switchyard-gateway/switchyard', 'X-Title': 'Switchyard' },
      reportCost: true,
    });
  });

  it('keeps several entries with one name as an ordered model group', () => {
    const config = okConfig(loadConfig({ path: EXAMPLE, env: { SWITCHYARD_MASTER_KEY: 'k' } }));
    const group = config.models.get('claude-sonnet-4.5') ?? [];
    expect(group.map((d) => [d.id, d.provider.name, d.provider.baseUrl, d.upstreamModel])).toEqual([
      ['claude-sonnet-4.5#0', 'anthropic', 'https://api.anthropic.com', 'claude-sonnet-4-5'],
      ['claude-sonnet-4.5#1', 'openrouter', 'https://openrouter.ai/api/v1', 'anthropic/claude-sonnet-4.5'],
    ]);
    // `${OPENROUTER_API_KEY:-}` with the variable unset means "no key", not an empty-string key.
    expect(group[1]?.provider.apiKey).toBeUndefined();
    expect(config.models.get('qwen-local')?.[0]).toMatchObject({ extraBody: { temperature: 0.2 }, prices: { input: 0, output: 0 } });
  });

  it('applies defaults: upstream id = name, capabilities, server, auth none (implicit)', () => {
    const config = okConfig(loadConfig({ path: writeTempConfig(MINIMAL), env: {} }));
    const d = config.models.get('m')?.[0];
    expect(d?.upstreamModel).toBe('m');
    expect(d?.provider.baseUrl).toBe('http://127.0.0.1:9999/v1');
    expect(d?.capabilities).toEqual({ tools: true, vision: false, caching: false, reasoning: false });
    expect(config.auth).toEqual({ mode: 'none', explicitNone: false });
    expect(config.server.port).toBe(4000);
    expect(config.extensions).toEqual({});
  });

  it('distinguishes `auth: none` from an omitted auth section', () => {
    const config = okConfig(loadConfig({ path: writeTempConfig(`${MINIMAL}\nauth: none\n`), env: {} }));
    expect(config.auth).toEqual({ mode: 'none', explicitNone: true });
  });

  it('interpolates numbers, booleans and defaults from the environment', () => {
    const text = `${MINIMAL}
server: { host: "\${HOST:-0.0.0.0}", port: "\${PORT}", max_body_mb: 1 }
store: { kind: redis, url: "redis://\${REDIS_HOST:-localhost}:6379", data_dir: /var/lib/sy }
routers: { auto: { rules: default, tiers: { cheap: [m], standard: [m], premium: [m] } } }
`;
    const config = okConfig(loadConfig({ path: writeTempConfig(text), env: { PORT: '8080' } }));
    expect(config.server).toEqual({ host: '0.0.0.0', port: 8080, maxBodyBytes: 1024 * 1024 });
    expect(config.store).toEqual({ kind: 'redis', url: 'redis://localhost:6379', dataDir: '/var/lib/sy' });
    expect(routersOf(config.extensions)?.byName.get('auto')?.tiers.get('premium')?.models).toEqual(['m']);
  });

  it('returns a frozen config', () => {
    const config = okConfig(loadConfig({ path: writeTempConfig(MINIMAL), env: {} }));
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
    const d = config.models.get('m')?.[0];
    expect(Object.isFrozen(d)).toBe(true);
    expect(Object.isFrozen(d?.provider)).toBe(true);
    expect(Object.isFrozen(d?.provider.headers)).toBe(true);
  });

  it('gives the same result when loaded again (SIGHUP reload)', () => {
    const path = writeTempConfig(MINIMAL);
    const first = okConfig(loadConfig({ path, env: {} }));
    const second = okConfig(loadConfig({ path, env: {} }));
    expect(second).not.toBe(first);
    expect([...second.models.keys()]).toEqual([...first.models.keys()]);
  });
});
