import type { ModelCapabilities } from './types.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 4000;
/** Claude Code's first request is ~48 KB, but pasted images and long sessions need far more (CLIENTS.md). */
export const DEFAULT_MAX_BODY_MB = 32;
export const DEFAULT_DATA_DIR = './.data';
export const DEFAULT_CONFIG_FILE = 'switchyard.yaml';

export const DEFAULT_CAPABILITIES: Readonly<ModelCapabilities> = Object.freeze({
  tools: true,
  vision: false,
  caching: false,
  reasoning: false,
});

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
export const OPENROUTER_BASE_URL = 'https://openrouter.ai/api/v1';

/** Upstreams that report each request's cost when asked, so providers default `report_cost` on for them. */
export function reportsCostByDefault(baseUrl: string): boolean {
  return baseUrl.startsWith('https://openrouter.ai/');
}

/** OpenRouter's app attribution headers (https://openrouter.ai/docs/app-attribution). */
export const OPENROUTER_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'HTTP-Referer': 'https://github.com/switchyard-gateway/switchyard',
  'X-Title': 'Switchyard',
});

/** Top-level native sections kept as plain data for later subsystems (routing, budgets, resilience …). */
export const EXTENSION_SECTIONS = [
  'routers',
  'budgets',
  'routing',
  'resilience',
  'limits',
  'telemetry',
  'alerts',
  'keys',
  'teams',
] as const;
