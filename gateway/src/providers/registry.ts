import type { ProviderKind } from '../config/types.js';
import { anthropicAdapter } from './anthropic/adapter.js';
import { demoAdapter } from './demo/adapter.js';
import { openaiCompatibleAdapter } from './openai-compatible/adapter.js';
import type { ProviderAdapter } from './types.js';

/** Every provider kind the gateway speaks; config validation guarantees the kind exists here. */
export const PROVIDERS: Readonly<Record<ProviderKind, ProviderAdapter>> = {
  'openai-compatible': openaiCompatibleAdapter,
  anthropic: anthropicAdapter,
  demo: demoAdapter,
};
