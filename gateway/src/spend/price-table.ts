import type { ModelPrices } from '../config/types.js';

/**
 * Built-in list prices, USD per million tokens (input, output, cache read, cache write), keyed by the bare model
 * name (no provider prefix, no date suffix). Config prices override these field by field.
 */
const TABLE: Record<string, ModelPrices> = {
  // OpenAI
  'gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075 },
  'gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25 },
  'gpt-4.1': { input: 2, output: 8, cacheRead: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cacheRead: 0.1 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cacheRead: 0.025 },
  'gpt-5': { input: 1.25, output: 10, cacheRead: 0.125 },
  'gpt-5.1': { input: 1.25, output: 10, cacheRead: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cacheRead: 0.025 },
  'gpt-5-nano': { input: 0.05, output: 0.4, cacheRead: 0.005 },
  'o3': { input: 2, output: 8, cacheRead: 0.5 },
  'o4-mini': { input: 1.1, output: 4.4, cacheRead: 0.275 },
  // Anthropic
  'claude-opus-4.5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'claude-opus-4.1': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  'claude-opus-4': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  'claude-sonnet-4.5': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'claude-sonnet-4': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'claude-3.7-sonnet': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'claude-haiku-4.5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  'claude-3.5-haiku': { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 },
  // Google
  'gemini-2.5-pro': { input: 1.25, output: 10, cacheRead: 0.31 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5, cacheRead: 0.075 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4, cacheRead: 0.025 },
  // Others common behind OpenRouter
  'deepseek-v3.2': { input: 0.28, output: 0.42, cacheRead: 0.028 },
  'deepseek-chat': { input: 0.28, output: 0.42, cacheRead: 0.028 },
  'deepseek-reasoner': { input: 0.28, output: 0.42, cacheRead: 0.028 },
  'grok-4.1-fast': { input: 0.2, output: 0.5, cacheRead: 0.05 },
  'grok-4': { input: 3, output: 15, cacheRead: 0.75 },
  'grok-code-fast-1': { input: 0.2, output: 1.5, cacheRead: 0.02 },
  'glm-4.6': { input: 0.6, output: 2.2, cacheRead: 0.11 },
  'nova-2-lite-v1': { input: 0.3, output: 2.5 },
  'qwen3-30b-a3b': { input: 0.08, output: 0.28 },
  'qwen3-coder': { input: 0.22, output: 0.95 },
  'kat-coder-pro': { input: 0.3, output: 1.2, cacheRead: 0.06 },
  'devstral-2512': { input: 0.4, output: 2 },
  'mimo-v2-flash': { input: 0.1, output: 0.3 },
  'llama-3.3-70b-instruct': { input: 0.13, output: 0.4 },
};

const FREE: ModelPrices = Object.freeze({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
const DATE_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;
const cache = new Map<string, ModelPrices | undefined>();

/**
 * The built-in price of a model id as providers spell it (`openrouter/openai/gpt-4o-mini`, `gpt-4o-mini-2024-07-18`,
 * `anthropic/claude-sonnet-4-5`); OpenRouter's `:free` variants cost nothing. Undefined when unknown.
 */
export function builtinPrices(modelId: string): ModelPrices | undefined {
  if (cache.has(modelId)) return cache.get(modelId);
  const found = lookup(modelId);
  if (cache.size > 10_000) cache.clear();
  cache.set(modelId, found);
  return found;
}

function lookup(modelId: string): ModelPrices | undefined {
  const id = modelId.toLowerCase();
  if (id.endsWith(':free')) return FREE;
  const bare = (id.slice(id.lastIndexOf('/') + 1).split(':')[0] ?? '').replace(DATE_SUFFIX, '').replace(/-latest$/, '');
  // Anthropic writes versions with a dash (claude-sonnet-4-5), OpenRouter with a dot (claude-sonnet-4.5).
  const dotted = bare.replace(/-(\d)-(\d)(?=$|-)/, '-$1.$2');
  return TABLE[bare] ?? TABLE[dotted];
}
