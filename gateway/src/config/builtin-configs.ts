import { DEMO_BASE_URL, DEMO_MODELS, DEMO_PROVIDER_NAME } from '../providers/demo/catalog.js';
import { OPENROUTER_BASE_URL, OPENROUTER_HEADERS } from './defaults.js';

/** The built-in demo config in native form: every demo model plus cheap / standard / premium aliases. */
export function demoConfigDocument(): Record<string, unknown> {
  return {
    providers: { [DEMO_PROVIDER_NAME]: { kind: 'demo', base_url: DEMO_BASE_URL } },
    models: DEMO_MODELS.map((m) => ({
      name: m.name,
      provider: DEMO_PROVIDER_NAME,
      tier: m.tier,
      prices: { input: m.prices.input, output: m.prices.output, cache_read: m.prices.cacheRead, cache_write: m.prices.cacheWrite },
      context_window: m.contextWindow,
      max_output_tokens: m.maxOutputTokens,
      capabilities: { ...m.capabilities },
    })),
    aliases: tierAliases(DEMO_MODELS),
    routers: builtinRouters(DEMO_MODELS),
  };
}

/** `auto` (coding-agents rules over the cheap / standard / premium tiers), `pipeline` (the role pipeline's rules over the same tiers) and `auto:yolo` (fastest measured). */
function builtinRouters(models: readonly { name: string; tier?: string }[]): Record<string, unknown> {
  const tiers: Record<string, unknown> = {};
  for (const tier of ['cheap', 'standard', 'premium']) {
    const names = models.filter((m) => m.tier === tier).map((m) => m.name);
    if (names.length > 0) tiers[tier] = { models: names, order: 'cheapest' };
  }
  return {
    auto: { description: 'Cheapest model that will do the job', rules: 'coding-agents', tiers },
    pipeline: { description: 'The role pipeline: tier by role, risk and area', rules: 'pipeline', tiers },
    'auto:yolo': { description: 'Fastest model by measured latency', rules: 'yolo', tiers: { fast: { models: models.map((m) => m.name), order: 'fastest' } }, explore: 0.05 },
  };
}

function tierAliases(models: readonly { name: string; tier?: string }[]): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const tier of ['cheap', 'standard', 'premium']) {
    const first = models.find((m) => m.tier === tier);
    if (first) aliases[tier] = first.name;
  }
  return aliases;
}

const all = { tools: true, vision: true, caching: true, reasoning: true };

/** OpenRouter prices (USD per million tokens) and limits as last known; check them against openrouter.ai/models. */
const OPENROUTER_MODELS = [
  {
    name: 'openai/gpt-4o-mini',
    tier: 'cheap',
    prices: { input: 0.15, output: 0.6, cache_read: 0.075 },
    context_window: 128_000,
    max_output_tokens: 16_384,
    capabilities: { ...all, reasoning: false },
  },
  {
    name: 'google/gemini-2.5-flash',
    tier: 'cheap',
    prices: { input: 0.3, output: 2.5, cache_read: 0.03 },
    context_window: 1_048_576,
    max_output_tokens: 65_535,
    capabilities: all,
  },
  {
    name: 'deepseek/deepseek-v3.2',
    tier: 'standard',
    prices: { input: 0.28, output: 0.42, cache_read: 0.028 },
    context_window: 163_840,
    max_output_tokens: 65_536,
    capabilities: { ...all, vision: false },
  },
  {
    name: 'anthropic/claude-sonnet-4.5',
    tier: 'premium',
    prices: { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 },
    // 1M tokens are available, but past 200K OpenRouter bills at a higher rate than the prices above.
    context_window: 200_000,
    max_output_tokens: 64_000,
    capabilities: all,
  },
];

/** The built-in OpenRouter config in native form, used when OPENROUTER_API_KEY is set and no file is given. */
export function openrouterConfigDocument(apiKey: string): Record<string, unknown> {
  return {
    providers: {
      openrouter: { kind: 'openai-compatible', base_url: OPENROUTER_BASE_URL, api_key: apiKey, headers: { ...OPENROUTER_HEADERS } },
    },
    models: OPENROUTER_MODELS.map((m) => ({ ...m, provider: 'openrouter', model: m.name })),
    aliases: tierAliases(OPENROUTER_MODELS),
    routers: builtinRouters(OPENROUTER_MODELS),
  };
}
