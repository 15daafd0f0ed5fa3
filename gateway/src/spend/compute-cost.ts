import type { Deployment, ModelPrices } from '../config/types.js';
import type { Usage } from '../core/chat-response.js';
import { builtinPrices } from './price-table.js';

/** Money is integer micro-dollars (1 USD = 1,000,000) everywhere, so sums never drift. */
export type Micros = number;

/** What to do with a model whose price is unknown: refuse it, let it through at zero, or charge a default price. */
export type UnpricedPolicy = { kind: 'block' } | { kind: 'allow_unpriced' } | { kind: 'default_price'; prices: ModelPrices };

/** A deployment's effective prices: config prices over the built-in table, field by field; undefined when unknown. */
export function pricesOf(deployment: Deployment): ModelPrices | undefined {
  const own = deployment.prices;
  const builtin = builtinPrices(deployment.upstreamModel) ?? builtinPrices(deployment.modelName);
  const input = own.input ?? builtin?.input;
  const output = own.output ?? builtin?.output;
  if (input === undefined || output === undefined) return undefined;
  return { input, output, cacheRead: own.cacheRead ?? builtin?.cacheRead, cacheWrite: own.cacheWrite ?? builtin?.cacheWrite };
}

/** Prices to charge under the unpriced policy: undefined means the model is blocked. */
export function chargeablePrices(deployment: Deployment, policy: UnpricedPolicy): ModelPrices | undefined {
  const known = pricesOf(deployment);
  if (known) return known;
  if (policy.kind === 'default_price') return policy.prices;
  if (policy.kind === 'allow_unpriced') return ZERO;
  return undefined;
}

const ZERO: ModelPrices = Object.freeze({ input: 0, output: 0 });

/** USD → micro-dollars, rounded up so a fraction of a micro-dollar is never free. */
export function usdToMicros(usd: number): Micros {
  return Math.ceil(Math.round(usd * 1e9) / 1000);
}

/** Micro-dollars as a USD decimal string (`0.001234`) for headers and reports. */
export function microsToUsd(micros: Micros): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  return `${sign}${Math.floor(abs / 1e6)}.${String(abs % 1e6).padStart(6, '0')}`;
}

/** Cost of `tokens` at `perMillion` USD per million tokens, in micro-dollars (USD/M equals micros per token). */
function tokensCost(tokens: number, perMillion: number | undefined): number {
  return tokens > 0 && perMillion ? tokens * perMillion : 0;
}

/**
 * Cost of a request from its usage: the upstream-reported cost when present (OpenRouter's `usage.cost`), else
 * the prices; cached input at the cache-read price and cache writes at the cache-write price when known.
 */
export function costFromUsage(usage: Usage, prices: ModelPrices): Micros {
  if (typeof usage.cost === 'number' && Number.isFinite(usage.cost) && usage.cost >= 0) return usdToMicros(usage.cost);
  const cached = usage.prompt_tokens_details?.cached_tokens ?? usage.cache_read_input_tokens ?? 0;
  const written = usage.prompt_tokens_details?.cache_creation_tokens ?? usage.cache_creation_input_tokens ?? 0;
  const cacheRead = prices.cacheRead ?? prices.input;
  const cacheWrite = prices.cacheWrite ?? prices.input;
  const plain = Math.max(0, (usage.prompt_tokens ?? 0) - cached - written);
  const total =
    tokensCost(plain, prices.input) +
    tokensCost(cached, cacheRead) +
    tokensCost(written, cacheWrite) +
    tokensCost(usage.completion_tokens ?? 0, prices.output);
  return Math.ceil(total - 1e-9);
}

/** Worst-case cost before dispatch: estimated input tokens plus the full output allowance at the prices. */
export function worstCaseCost(inputTokens: number, maxOutputTokens: number, prices: ModelPrices): Micros {
  return Math.ceil(tokensCost(inputTokens, prices.input) + tokensCost(maxOutputTokens, prices.output) - 1e-9);
}
