import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { GatewayConfig, LoadResult } from '../../src/config/types.js';
import { writeTempConfig } from './temp-config.js';

const ROO_FIXTURE = fileURLToPath(new URL('../fixtures/litellm_config.roo-harness.yaml', import.meta.url));

function okConfig(result: LoadResult): GatewayConfig {
  if (!result.ok) throw new Error(`expected ok, got:\n${formatDiagnostics(result.errors)}`);
  return result.config;
}

function load(text: string, env: NodeJS.ProcessEnv = {}): LoadResult {
  return loadConfig({ path: writeTempConfig(text), env });
}

describe('LiteLLM config.yaml', () => {
  it('loads the Roo Code harness fixture unchanged when OPENROUTER_API_KEY is set', () => {
    const result = loadConfig({ path: ROO_FIXTURE, env: { OPENROUTER_API_KEY: 'sk-or-test' } });
    const config = okConfig(result);
    expect(config.format).toBe('litellm');
    expect(config.models.size).toBe(12);
    expect(config.auth).toEqual({ mode: 'master_key', masterKey: 'optional-master-key', explicitNone: false });
    expect(result.warnings.map((w) => w.path)).toEqual(['general_settings.database_url']);

    const mini = config.models.get('gpt-4o-mini-2024-07-18')?.[0];
    expect(mini?.upstreamModel).toBe('openai/gpt-4o-mini');
    expect(config.models.get('openrouter/qwen/qwen3-coder:free')?.[0]?.upstreamModel).toBe('qwen/qwen3-coder:free');
    expect(mini?.provider).toEqual({
      name: 'openrouter',
      kind: 'openai-compatible',
      baseUrl: 'https://openrouter.ai/api/v1',
      apiKey: 'sk-or-test',
      headers: { 'HTTP-Referer': 'https://github.com/switchyard-gateway/switchyard', 'X-Title': 'Switchyard' },
      reportCost: true,
    });
    // All twelve share one provider: same kind, base URL and key.
    const providers = new Set([...config.models.values()].flat().map((d) => d.provider));
    expect(providers.size).toBe(1);
  });

  it('fails on the fixture without OPENROUTER_API_KEY, naming each path', () => {
    const result = loadConfig({ path: ROO_FIXTURE, env: {} });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(12);
    expect(result.errors[3]).toEqual({
      severity: 'error',
      path: 'model_list[3].litellm_params.api_key',
      message: expect.stringMatching(/^environment variable OPENROUTER_API_KEY is not set \(referenced as os\.environ\/OPENROUTER_API_KEY\)/),
    });
  });

  it('maps provider prefixes to kinds, default base URLs and upstream ids', () => {
    const config = okConfig(load(`
model_list:
  - model_name: gpt
    litellm_params: { model: openai/gpt-4o-mini, api_key: sk-literal }
  - model_name: claude
    litellm_params: { model: anthropic/claude-sonnet-4-5, api_key: os.environ/ANTHROPIC_KEY }
  - model_name: local
    litellm_params: { model: ollama_chat/qwen2.5-coder:7b }
  - model_name: remote-ollama
    litellm_params: { model: ollama/llama3, api_base: "http://gpu-box:11434/" }
  - model_name: vllm
    litellm_params: { model: hosted_vllm/meta/llama-3-8b, api_base: "http://10.0.0.5:8000/v1" }
  - model_name: proxy
    litellm_params: { model: litellm_proxy/gpt-4o, api_base: "http://litellm:4000", api_key: sk-proxy }
  - model_name: gem
    litellm_params: { model: gemini/gemini-2.5-flash, api_key: g }
  - model_name: groq
    litellm_params: { model: groq/llama-3.3-70b-versatile, api_key: g2 }
`, { ANTHROPIC_KEY: 'sk-ant' }));
    const view = (name: string) => {
      const d = config.models.get(name)?.[0];
      return [d?.provider.kind, d?.provider.baseUrl, d?.upstreamModel, d?.provider.apiKey];
    };
    expect(view('gpt')).toEqual(['openai-compatible', 'https://api.openai.com/v1', 'gpt-4o-mini', 'sk-literal']);
    expect(view('claude')).toEqual(['anthropic', 'https://api.anthropic.com', 'claude-sonnet-4-5', 'sk-ant']);
    expect(view('local')).toEqual(['openai-compatible', 'http://localhost:11434/v1', 'qwen2.5-coder:7b', undefined]);
    expect(view('remote-ollama')).toEqual(['openai-compatible', 'http://gpu-box:11434/v1', 'llama3', undefined]);
    expect(view('vllm')).toEqual(['openai-compatible', 'http://10.0.0.5:8000/v1', 'meta/llama-3-8b', undefined]);
    expect(view('proxy')).toEqual(['openai-compatible', 'http://litellm:4000', 'gpt-4o', 'sk-proxy']);
    expect(view('gem')).toEqual(['openai-compatible', 'https://generativelanguage.googleapis.com/v1beta/openai', 'gemini-2.5-flash', 'g']);
    expect(view('groq')?.[1]).toBe('https://api.groq.com/openai/v1');
  });

  it('converts costs, limits, timeouts, model_info and body extras', () => {
    const config = okConfig(load(`
model_list:
  - model_name: sonnet
    litellm_params:
      model: openrouter/anthropic/claude-sonnet-4.5
      api_key: k
      rpm: 60
      tpm: 100000
      timeout: 90
      input_cost_per_token: 0.000003
      output_cost_per_token: 0.000015
      temperature: 0.2
      max_tokens: 4096
    model_info:
      max_input_tokens: 200000
      max_output_tokens: 64000
      supports_vision: true
      supports_prompt_caching: true
      supports_reasoning: true
      cache_read_input_token_cost: 3.0e-7
      tier: premium
      id: free-form-metadata-is-fine
  - model_name: sonnet
    litellm_params: { model: anthropic/claude-sonnet-4-5, api_key: k2 }
`));
    const [first, second] = config.models.get('sonnet') ?? [];
    expect(first).toMatchObject({
      id: 'sonnet#0',
      tier: 'premium',
      prices: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: undefined },
      contextWindow: 200000,
      maxOutputTokens: 64000,
      capabilities: { tools: true, vision: true, caching: true, reasoning: true },
      rpm: 60,
      tpm: 100000,
      timeoutMs: 90_000,
      extraBody: { temperature: 0.2, max_tokens: 4096 },
    });
    expect(second?.id).toBe('sonnet#1');
    expect(second?.provider.kind).toBe('anthropic');
  });

  it('keeps distinct providers apart and shares identical ones', () => {
    const config = okConfig(load(`
model_list:
  - { model_name: a, litellm_params: { model: openai/x, api_base: "http://h1/v1", api_key: k1 } }
  - { model_name: b, litellm_params: { model: openai/y, api_base: "http://h1/v1/", api_key: k1 } }
  - { model_name: c, litellm_params: { model: openai/z, api_base: "http://h2/v1", api_key: k1 } }
`));
    const provider = (name: string) => config.models.get(name)?.[0]?.provider;
    expect(provider('a')).toBe(provider('b'));
    expect(provider('c')?.name).toBe('openai-2');
    expect(provider('a')?.name).toBe('openai');
  });

  it('resolves os.environ/ in master_key and reports it when unset', () => {
    const text = `
model_list:
  - { model_name: m, litellm_params: { model: openai/m, api_base: "http://h/v1" } }
general_settings: { master_key: os.environ/LITELLM_MASTER_KEY }
`;
    expect(okConfig(load(text, { LITELLM_MASTER_KEY: 'sk-master' })).auth.masterKey).toBe('sk-master');
    const failed = load(text, {});
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.errors.map((e) => e.path)).toEqual(['general_settings.master_key']);
  });

  it('reads variables from environment_variables when the process env lacks them', () => {
    const config = okConfig(load(`
environment_variables: { MY_KEY: from-file }
model_list:
  - { model_name: m, litellm_params: { model: openai/m, api_key: os.environ/MY_KEY } }
`));
    expect(config.models.get('m')?.[0]?.provider.apiKey).toBe('from-file');
  });

  it('keeps supported settings and warns about every unsupported one by name', () => {
    const result = load(`
model_list:
  - model_name: m
    litellm_params: { model: openai/m, api_base: "http://h/v1", api_version: "2024-01-01", stream_timeout: 30 }
  - model_name: b
    litellm_params: { model: bedrock/anthropic.claude-v2 }
router_settings:
  routing_strategy: simple-shuffle
  num_retries: 2
  fallbacks: [{ m: [m] }]
  redis_host: localhost
  model_group_alias: { fast: m }
litellm_settings:
  drop_params: true
  set_verbose: true
  success_callback: [langfuse]
general_settings:
  master_key: sk-1
  database_url: postgres://x
  store_model_in_db: true
guardrails: []
`);
    const config = okConfig(result);
    expect(config.extensions.litellm_router_settings).toMatchObject({ routing_strategy: 'simple-shuffle', num_retries: 2, fallbacks: [{ m: ['m'] }] });
    expect(config.extensions.litellm_settings).toEqual({ drop_params: true });
    expect([...config.aliases]).toEqual([['fast', 'm']]);
    expect(config.models.has('b')).toBe(false);
    // stream_timeout times streamed calls only; a non-streamed one keeps its total timeout.
    expect(config.models.get('m')?.[0]).toMatchObject({ streamFirstByteTimeoutMs: 30_000, idleTimeoutMs: 30_000 });
    expect(config.models.get('m')?.[0]?.firstByteTimeoutMs).toBeUndefined();
    expect(result.warnings.map((w) => w.path).sort()).toEqual([
      'general_settings.database_url',
      'general_settings.store_model_in_db',
      'guardrails',
      'litellm_settings.set_verbose',
      'litellm_settings.success_callback',
      'model_list[0].litellm_params.api_version',
      'model_list[1].litellm_params.model',
      'router_settings.redis_host',
    ]);
    expect(result.warnings.find((w) => w.path === 'model_list[1].litellm_params.model')?.message).toMatch(/"bedrock" is not supported/);
  });

  it('accepts native server, store and extension sections in a LiteLLM file', () => {
    const config = okConfig(load(`
model_list:
  - { model_name: m, litellm_params: { model: openai/m, api_base: "http://h/v1" } }
server: { port: 8081 }
store: { kind: redis, url: "redis://127.0.0.1:6379" }
budgets: { global: { daily_usd: 5 } }
`));
    expect(config.server.port).toBe(8081);
    expect(config.store.kind).toBe('redis');
    expect(config.extensions.budgets).toMatchObject({ kind: 'switchyard.budgets', limits: [{ name: 'global:daily', scope: 'global', window: 'daily', maxMicros: 5_000_000 }] });
  });

  it('drops an alias whose model is skipped, with a warning', () => {
    const result = load(`
model_list:
  - { model_name: ok, litellm_params: { model: openai/ok, api_base: "http://h/v1" } }
  - { model_name: az, litellm_params: { model: azure/gpt-4o } }
router_settings: { model_group_alias: { fast: az, good: { model: ok, hidden: true } } }
`);
    const config = okConfig(result);
    expect(Object.fromEntries(config.aliases)).toEqual({ good: 'ok' });
    expect(result.warnings.find((w) => w.path === 'router_settings.model_group_alias.fast')?.message).toMatch(/dropped/);
  });

  it('reports schema problems inside model_list entries with their path', () => {
    const result = load(`
model_list:
  - model_name: m
    litellm_params: { model: openai/m, api_base: "http://h/v1", rpm: lots }
  - litellm_params: { model: openai/n }
  - model_name: p
    litellm_params: { model: litellm_proxy/x }
router_settings: { model_group_alias: { fast: nowhere } }
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatDiagnostics(result.errors).split('\n')).toEqual([
      'error    model_list[0].litellm_params.rpm: expected a number, got "lots"',
      'error    model_list[1].model_name: required: add a string value here',
      'error    model_list[2].litellm_params.api_base: required for litellm_proxy/ models: the URL of the OpenAI-compatible server',
      'error    router_settings.model_group_alias.fast: alias "fast" points at "nowhere", which no model serves; use one of: m, p',
    ]);
  });
});
