import type { ModelCapabilities, ModelPrices } from '../../config/types.js';

/** A fake model served by the demo provider: deterministic answers with a latency and price profile. */
export interface DemoModelSpec {
  name: string;
  tier: 'cheap' | 'standard' | 'premium';
  prices: ModelPrices;
  contextWindow: number;
  maxOutputTokens: number;
  capabilities: ModelCapabilities;
  /** Simulated time to first token. */
  ttftMs: number;
  /** Simulated output speed. */
  tokensPerSecond: number;
}

const all: ModelCapabilities = { tools: true, vision: true, caching: true, reasoning: true };

/** The demo provider's models. Prices are realistic so spend and savings look like real ones. */
export const DEMO_MODELS: readonly DemoModelSpec[] = [
  { name: 'demo-cheap', tier: 'cheap', prices: { input: 0.1, output: 0.4, cacheRead: 0.025 }, contextWindow: 128_000, maxOutputTokens: 16_384, capabilities: { ...all, reasoning: false, caching: false }, ttftMs: 80, tokensPerSecond: 400 },
  { name: 'demo-standard', tier: 'standard', prices: { input: 0.6, output: 2.4, cacheRead: 0.15 }, contextWindow: 200_000, maxOutputTokens: 32_000, capabilities: all, ttftMs: 250, tokensPerSecond: 150 },
  { name: 'demo-premium', tier: 'premium', prices: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 }, contextWindow: 200_000, maxOutputTokens: 64_000, capabilities: all, ttftMs: 600, tokensPerSecond: 60 },
];

/** The provider entry the built-in demo config uses. */
export const DEMO_PROVIDER_NAME = 'switchyard-demo';
export const DEMO_BASE_URL = 'demo://switchyard';
