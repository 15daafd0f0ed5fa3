import { describe, expect, it } from 'vitest';
import type { Deployment, GatewayConfig } from '../../src/config/types.js';
import type { CompiledRouter, CompiledTier } from '../../src/routing/compile-routers.js';
import { LatencyEstimates } from '../../src/routing/latency-estimates.js';
import { selectDeployments } from '../../src/routing/select-deployments.js';
import { seededRandom } from '../../src/core/seeded-random.js';
import { testConfig } from '../support/test-gateway.js';

function configWith(specs: Array<{ name: string; input: number; context?: number; vision?: boolean; tools?: boolean }>): GatewayConfig {
  const base = testConfig(specs.map((s) => ({ name: s.name, baseUrl: 'http://127.0.0.1:1' })));
  const models = new Map<string, Deployment[]>();
  for (const s of specs) {
    const d = base.models.get(s.name)![0]!;
    models.set(s.name, [{ ...d, prices: { input: s.input, output: s.input * 4 }, contextWindow: s.context ?? 128_000, capabilities: { ...d.capabilities, vision: s.vision ?? false, tools: s.tools ?? true } }]);
  }
  return { ...base, models };
}

const tier = (name: string, models: string[], order: CompiledTier['order'] = 'listed', weights: Record<string, number> = {}): [string, CompiledTier] =>
  [name, { name, models, order, weights: new Map(Object.entries(weights)) }];
const router = (tiers: Array<[string, CompiledTier]>, explore = 0): CompiledRouter =>
  ({ name: 'auto', ruleSet: { source: 'x', rules: [], default: { tier: 'cheap', reason: '' } }, tiers: new Map(tiers), explore });
const needs = { contextTokens: 1000, tools: false, vision: false };
const ids = (s: { candidates: Deployment[] }) => s.candidates.map((d) => d.modelName);

describe('selection within a tier', () => {
  const config = configWith([
    { name: 'small', input: 0.1, context: 8000 },
    { name: 'mid', input: 0.5, vision: true },
    { name: 'notools', input: 0.05, tools: false },
    { name: 'big', input: 3, context: 1_000_000, vision: true },
  ]);

  it('orders by price for cheapest and keeps config order for listed', () => {
    const r = router([tier('cheap', ['mid', 'small', 'notools'], 'cheapest'), tier('premium', ['big'])]);
    expect(ids(selectDeployments(config, r, 'cheap', needs))).toEqual(['notools', 'small', 'mid']);
    const listed = router([tier('cheap', ['mid', 'small'])]);
    expect(ids(selectDeployments(config, listed, 'cheap', needs))).toEqual(['mid', 'small']);
  });

  it('skips models whose window is too small or that lack tools or vision, saying why', () => {
    const r = router([tier('cheap', ['small', 'notools', 'mid'], 'cheapest'), tier('premium', ['big'])]);
    const s = selectDeployments(config, r, 'cheap', { contextTokens: 20_000, tools: true, vision: true });
    expect(ids(s)).toEqual(['mid']);
    expect(s.skipped).toEqual([
      { deployment: 'small#0', reason: 'context window 8000 < ~20000 tokens' },
      { deployment: 'notools#0', reason: 'no tool support' },
    ]);
  });

  it('escalates to the next tier when nothing in the chosen one fits', () => {
    const r = router([tier('cheap', ['small']), tier('standard', ['mid']), tier('premium', ['big'])]);
    const s = selectDeployments(config, r, 'cheap', { contextTokens: 300_000, tools: false, vision: false });
    expect(s).toMatchObject({ tier: 'premium', escalatedFrom: 'cheap' });
    expect(ids(s)).toEqual(['big']);
  });

  it('draws a weighted order that follows the weights', () => {
    const r = router([tier('cheap', ['small', 'mid'], 'weighted', { mid: 9 })]);
    const rand = seededRandom(3);
    let midFirst = 0;
    for (let i = 0; i < 500; i++) if (ids(selectDeployments(config, r, 'cheap', needs, undefined, rand))[0] === 'mid') midFirst++;
    expect(midFirst).toBeGreaterThan(400);
    expect(midFirst).toBeLessThan(500);
  });

  it('puts the fastest measured deployment first and explores the others now and then', () => {
    const latency = new LatencyEstimates();
    for (let i = 0; i < 5; i++) {
      latency.observe('small#0', 900, 100, 1900);
      latency.observe('mid#0', 100, 300, 1100);
    }
    const r = router([tier('fast', ['small', 'mid'], 'fastest')], 0.1);
    const rand = seededRandom(11);
    let explored = 0;
    for (let i = 0; i < 1000; i++) if (ids(selectDeployments(config, r, 'fast', needs, latency, rand))[0] === 'small') explored++;
    expect(explored).toBeGreaterThan(50);
    expect(explored).toBeLessThan(160);
    expect(latency.snapshot()['mid#0']).toMatchObject({ ttft_ms: 100, tokens_per_second: 300, samples: 5 });
  });
});
