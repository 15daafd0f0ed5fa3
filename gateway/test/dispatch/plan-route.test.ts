import { describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../src/config/types.js';
import { memoryCooldowns } from '../../src/dispatch/cooldowns.js';
import { planRoute } from '../../src/dispatch/plan-route.js';
import type { CompiledRouters, CompiledTier } from '../../src/routing/compile-routers.js';
import type { Route } from '../../src/routing/resolve-model.js';
import { testConfig } from '../support/test-gateway.js';

const tier = (name: string, models: string[]): [string, CompiledTier] => [name, { name, models, order: 'listed', weights: new Map() }];

function config(resilience: Record<string, unknown>): GatewayConfig {
  const base = testConfig(['cheap-a', 'cheap-b', 'std', 'premium', 'big'].map((name) => ({ name, baseUrl: 'http://127.0.0.1:1/v1' })));
  const routers: CompiledRouters = {
    kind: 'switchyard.routers',
    byName: new Map([['auto', { name: 'auto', ruleSet: {} as never, explore: 0, tiers: new Map([tier('cheap', ['cheap-a', 'cheap-b']), tier('standard', ['std']), tier('premium', ['premium'])]) }]]),
  };
  return { ...base, extensions: { routers, resilience } };
}

const routed = (c: GatewayConfig, t: string, models: string[]): Route => ({
  modelAsked: 'auto',
  modelName: models[0]!,
  candidates: models.flatMap((m) => c.models.get(m)!),
  decision: { router: 'auto', tier: t, ruleId: 'r', reason: 'test' },
});
const ids = (r: Route) => r.candidates.map((d) => d.modelName);
const state = { cooldowns: memoryCooldowns() };

describe('planRoute', () => {
  it('falls back from a router tier to the next tier only when configured', () => {
    const on = config({ tier_fallback: true });
    expect(ids(planRoute(on, routed(on, 'cheap', ['cheap-a', 'cheap-b']), state))).toEqual(['cheap-a', 'cheap-b', 'std']);
    expect(ids(planRoute(on, routed(on, 'premium', ['premium']), state))).toEqual(['premium']);
    const off = config({});
    expect(ids(planRoute(off, routed(off, 'cheap', ['cheap-a', 'cheap-b']), state))).toEqual(['cheap-a', 'cheap-b']);
  });

  it('appends fallback groups once each, after the route', () => {
    const c = config({ fallbacks: { std: ['premium', 'std', 'premium'] } });
    const route: Route = { modelAsked: 'std', modelName: 'std', candidates: c.models.get('std')! };
    const planned = planRoute(c, route, state);
    expect(ids(planned)).toEqual(['std', 'premium']);
    expect(planned.resilience?.policy.fallbacks.get('std')).toBeDefined();
    // no fallbacks configured: the route's own candidate list is reused as is
    const plain = planRoute(c, { modelAsked: 'big', modelName: 'big', candidates: c.models.get('big')! }, state);
    expect(plain.candidates).toBe(c.models.get('big'));
  });

  it('puts larger windows first when the estimate does not fit, without estimating otherwise', () => {
    const c = config({ context_window_fallbacks: { std: ['big'] } });
    const small = { ...c, models: new Map([...c.models].map(([n, ds]) => [n, ds.map((d) => ({ ...d, contextWindow: n === 'big' ? 1_000_000 : 1000 }))])) };
    const route: Route = { modelAsked: 'std', modelName: 'std', candidates: small.models.get('std')! };
    expect(ids(planRoute(small, route, state, () => 5000))).toEqual(['big']);
    expect(ids(planRoute(small, route, state, () => 500))).toEqual(['std']);
    let estimated = false;
    planRoute(small, { modelAsked: 'big', modelName: 'big', candidates: small.models.get('big')! }, state, () => ((estimated = true), 1));
    expect(estimated).toBe(false);
  });
});
