import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { GatewayConfig, LoadResult } from '../../src/config/types.js';
import { DEMO_BASE_URL, DEMO_MODELS, DEMO_PROVIDER_NAME } from '../../src/providers/demo/catalog.js';
import { tempDir } from './temp-config.js';

function okConfig(result: LoadResult): GatewayConfig {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  return result.config;
}

describe('config resolution', () => {
  it('uses the built-in demo config with no file and no OpenRouter key', () => {
    const result = loadConfig({ cwd: tempDir(), env: {} });
    const config = okConfig(result);
    expect(result.warnings).toEqual([]);
    expect(config.source).toBe('builtin:demo');
    expect(config.format).toBe('builtin');
    expect(config.server).toEqual({ host: '127.0.0.1', port: 4000, maxBodyBytes: 32 * 1024 * 1024 });
    expect(config.auth).toEqual({ mode: 'none', explicitNone: false });
    expect(config.store).toEqual({ kind: 'memory', url: undefined, dataDir: './.data' });
    expect([...config.models.keys()]).toEqual(DEMO_MODELS.map((m) => m.name));
    expect(Object.fromEntries(config.aliases)).toEqual({ cheap: 'demo-cheap', standard: 'demo-standard', premium: 'demo-premium' });
    const premium = config.models.get('demo-premium')?.[0];
    expect(premium?.provider).toEqual({ name: DEMO_PROVIDER_NAME, kind: 'demo', baseUrl: DEMO_BASE_URL, apiKey: undefined, headers: {} });
    expect(premium).toMatchObject({ tier: 'premium', prices: DEMO_MODELS[2]?.prices, contextWindow: DEMO_MODELS[2]?.contextWindow });
  });

  it('uses the built-in OpenRouter config when OPENROUTER_API_KEY is set', () => {
    const config = okConfig(loadConfig({ cwd: tempDir(), env: { OPENROUTER_API_KEY: 'sk-or-1' } }));
    expect(config.source).toBe('builtin:openrouter');
    const tiers = new Map([...config.models.values()].map(([d]) => [d?.modelName, d?.tier]));
    expect(tiers).toEqual(new Map([
      ['openai/gpt-4o-mini', 'cheap'],
      ['google/gemini-2.5-flash', 'cheap'],
      ['deepseek/deepseek-v3.2', 'standard'],
      ['anthropic/claude-sonnet-4.5', 'premium'],
    ]));
    expect(Object.fromEntries(config.aliases)).toEqual({
      cheap: 'openai/gpt-4o-mini',
      standard: 'deepseek/deepseek-v3.2',
      premium: 'anthropic/claude-sonnet-4.5',
    });
    const sonnet = config.models.get('anthropic/claude-sonnet-4.5')?.[0];
    expect(sonnet).toMatchObject({
      upstreamModel: 'anthropic/claude-sonnet-4.5',
      prices: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
      provider: {
        kind: 'openai-compatible',
        baseUrl: 'https://openrouter.ai/api/v1',
        apiKey: 'sk-or-1',
        headers: { 'HTTP-Referer': 'https://github.com/switchyard-gateway/switchyard', 'X-Title': 'Switchyard' },
      },
    });
    for (const [d] of config.models.values()) {
      expect(d?.prices.input).toBeGreaterThan(0);
      expect(d?.contextWindow).toBeGreaterThan(100_000);
      expect(d?.maxOutputTokens).toBeGreaterThan(8_000);
    }
  });

  it('prefers ./switchyard.yaml in cwd over the built-ins', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'switchyard.yaml'), 'providers: { d: { kind: demo } }\nmodels: [{ name: mine, provider: d }]\n');
    const config = okConfig(loadConfig({ cwd, env: { OPENROUTER_API_KEY: 'sk-or-1' } }));
    expect(config.source).toBe(join(cwd, 'switchyard.yaml'));
    expect([...config.models.keys()]).toEqual(['mine']);
  });

  it('resolves an explicit relative path against cwd', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'other.yaml'), 'providers: { d: { kind: demo } }\nmodels: [{ name: other, provider: d }]\n');
    writeFileSync(join(cwd, 'switchyard.yaml'), 'providers: { d: { kind: demo } }\nmodels: [{ name: mine, provider: d }]\n');
    expect([...okConfig(loadConfig({ cwd, path: 'other.yaml', env: {} })).models.keys()]).toEqual(['other']);
  });
});
