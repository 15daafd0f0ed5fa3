import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Deployment } from '../../src/config/types.js';
import { chargeablePrices, costFromUsage, microsToUsd, pricesOf, usdToMicros, worstCaseCost } from '../../src/spend/compute-cost.js';
import { builtinPrices } from '../../src/spend/price-table.js';

const deployment = (upstreamModel: string, prices: Deployment['prices'] = {}): Deployment => ({
  id: `${upstreamModel}#0`,
  modelName: upstreamModel,
  provider: { name: 'p', kind: 'openai-compatible', baseUrl: 'http://x', headers: {} },
  upstreamModel,
  prices,
  capabilities: { tools: true, vision: false, caching: false, reasoning: false },
});

describe('price table', () => {
  it('prices every model of the Roo Code harness config', () => {
    const fixture = new URL('../fixtures/litellm_config.roo-harness.yaml', import.meta.url);
    const models = (parse(readFileSync(fixture, 'utf8')) as { model_list: Array<{ litellm_params: { model: string } }> }).model_list.map((m) => m.litellm_params.model);
    expect(models.length).toBeGreaterThan(10);
    for (const model of models) expect(builtinPrices(model), model).toMatchObject({ input: expect.any(Number), output: expect.any(Number) });
    expect(builtinPrices('openrouter/qwen/qwen3-coder:free')).toMatchObject({ input: 0, output: 0 });
  });

  it('finds a model under its provider prefixes, date suffixes and version spellings', () => {
    expect(builtinPrices('gpt-4o-mini-2024-07-18')).toEqual(builtinPrices('openai/gpt-4o-mini'));
    expect(builtinPrices('claude-sonnet-4-5-20250929')).toEqual(builtinPrices('openrouter/anthropic/claude-sonnet-4.5'));
    expect(builtinPrices('anthropic/claude-3-5-haiku-latest')).toMatchObject({ input: 0.8 });
    expect(builtinPrices('some/unknown-model')).toBeUndefined();
  });

  it('lets config prices override the table field by field', () => {
    expect(pricesOf(deployment('openai/gpt-4o-mini', { output: 1 }))).toEqual({ input: 0.15, output: 1, cacheRead: 0.075, cacheWrite: undefined });
    expect(pricesOf(deployment('local/llama'))).toBeUndefined();
  });

  it('applies the unpriced policy', () => {
    const unknown = deployment('local/llama');
    expect(chargeablePrices(unknown, { kind: 'block' })).toBeUndefined();
    expect(chargeablePrices(unknown, { kind: 'allow_unpriced' })).toEqual({ input: 0, output: 0 });
    expect(chargeablePrices(unknown, { kind: 'default_price', prices: { input: 1, output: 2 } })).toEqual({ input: 1, output: 2 });
  });
});

describe('cost', () => {
  it('is integer micro-dollars from tokens, cache reads and cache writes', () => {
    const prices = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
    // 1000 plain input, 2000 cached, 400 written, 500 output
    const usage = { prompt_tokens: 3400, completion_tokens: 500, total_tokens: 3900, prompt_tokens_details: { cached_tokens: 2000, cache_creation_tokens: 400 } };
    expect(costFromUsage(usage, prices)).toBe(1000 * 3 + 2000 * 0.3 + 400 * 3.75 + 500 * 15);
    expect(Number.isInteger(costFromUsage({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 }, { input: 0.15, output: 0.6 }))).toBe(true);
  });

  it('prefers the upstream-reported cost', () => {
    expect(costFromUsage({ prompt_tokens: 10, completion_tokens: 10, total_tokens: 20, cost: 0.00123 }, { input: 100, output: 100 })).toBe(1230);
  });

  it('converts between USD and micro-dollars without float drift', () => {
    expect(usdToMicros(0.1 + 0.2)).toBe(300_000);
    expect(usdToMicros(0.0000001)).toBe(1);
    expect(microsToUsd(1_234_567)).toBe('1.234567');
    expect(microsToUsd(42)).toBe('0.000042');
    expect(worstCaseCost(1000, 4096, { input: 3, output: 15 })).toBe(3000 + 4096 * 15);
  });
});
