import type { Deployment, GatewayConfig } from '../config/types.js';
import type { CompiledRouter, CompiledTier } from './compile-routers.js';
import type { LatencyEstimates } from './latency-estimates.js';

/** What a request needs from a deployment. */
export interface Needs {
  contextTokens: number;
  tools: boolean;
  vision: boolean;
  /** Public model names the request excluded (`x-switchyard-exclude-models`). */
  excluded?: ReadonlySet<string>;
}

export interface Selection {
  tier: string;
  candidates: Deployment[];
  /** Set when the chosen tier had no deployment that fits and another tier's were used. */
  escalatedFrom?: string;
  /** Deployments skipped for the request's needs, with the reason. */
  skipped: Array<{ deployment: string; reason: string }>;
}

/**
 * The tier's deployments that can serve the request, in the tier's order. When none fits, the next tiers
 * (in config order, then the earlier ones) are tried, so a vision or long-context request still gets served.
 */
export function selectDeployments(config: GatewayConfig, router: CompiledRouter, tierName: string, needs: Needs, latency?: LatencyEstimates, random: () => number = Math.random): Selection {
  const names = [...router.tiers.keys()];
  const start = Math.max(0, names.indexOf(tierName));
  const order = [...names.slice(start), ...names.slice(0, start).reverse()];
  const skipped: Selection['skipped'] = [];
  for (const name of order) {
    const tier = router.tiers.get(name)!;
    const fitting: Deployment[] = [];
    for (const model of tier.models) {
      for (const d of config.models.get(model) ?? []) {
        const why = unfit(d, needs);
        if (why) skipped.push({ deployment: d.id, reason: why });
        else fitting.push(d);
      }
    }
    if (fitting.length > 0) {
      const candidates = orderTier(tier, fitting, latency, router.explore, random);
      return name === tierName ? { tier: name, candidates, skipped } : { tier: name, candidates, escalatedFrom: tierName, skipped };
    }
  }
  return { tier: tierName, candidates: [], skipped };
}

function unfit(d: Deployment, needs: Needs): string | undefined {
  if (needs.excluded?.has(d.modelName)) return 'excluded by the request (x-switchyard-exclude-models)';
  if (d.contextWindow !== undefined && needs.contextTokens > d.contextWindow) return `context window ${d.contextWindow} < ~${needs.contextTokens} tokens`;
  if (needs.tools && !d.capabilities.tools) return 'no tool support';
  if (needs.vision && !d.capabilities.vision) return 'no vision support';
  return undefined;
}

const price = (d: Deployment) => (d.prices.input ?? Infinity) + (d.prices.output ?? Infinity);

/** Orders a tier's fitting deployments by its policy; sorts are stable, so ties keep config order. */
export function orderTier(tier: CompiledTier, fitting: Deployment[], latency: LatencyEstimates | undefined, explore: number, random: () => number): Deployment[] {
  switch (tier.order) {
    case 'cheapest':
      return fitting.sort((a, b) => price(a) - price(b));
    case 'fastest': {
      if (!latency) return fitting;
      const sorted = fitting.sort((a, b) => latency.expectedMs(a.id) - latency.expectedMs(b.id));
      // A small share of requests lead with another deployment, so every estimate keeps being measured.
      if (sorted.length > 1 && explore > 0 && random() < explore) {
        const i = 1 + Math.floor(random() * (sorted.length - 1));
        const [pick] = sorted.splice(i, 1);
        sorted.unshift(pick!);
      }
      return sorted;
    }
    case 'weighted':
      return weightedOrder(fitting, tier.weights, random);
    default:
      return fitting;
  }
}

/** A weighted random permutation: each next deployment is drawn with probability proportional to its weight. */
function weightedOrder(fitting: Deployment[], weights: ReadonlyMap<string, number>, random: () => number): Deployment[] {
  const pool = fitting.map((d) => ({ d, w: weights.get(d.modelName) ?? 1 }));
  const out: Deployment[] = [];
  while (pool.length > 0) {
    let total = 0;
    for (const p of pool) total += p.w;
    let r = random() * total;
    let i = 0;
    while (i < pool.length - 1 && r >= pool[i]!.w) r -= pool[i++]!.w;
    out.push(pool.splice(i, 1)[0]!.d);
  }
  return out;
}
