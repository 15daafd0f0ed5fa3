import type { Deployment } from '../../config/types.js';
import type { ProviderCall } from '../types.js';

/** The API version whose wire format the translators speak. */
export const ANTHROPIC_VERSION = '2023-06-01';

/** `${baseUrl}/v1/messages`, without doubling a `/v1` the configured base URL already ends in. */
export function anthropicMessagesUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return /\/v1$/.test(base) ? `${base}/messages` : `${base}/v1/messages`;
}

/** Upstream headers: key, API version, the provider's extra headers, and the client's `anthropic-beta` flags. */
export function encodeAnthropicHeaders(deployment: Deployment, call: Pick<ProviderCall, 'forwardHeaders'>, stream: boolean): Record<string, string> {
  const { provider } = deployment;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
    'anthropic-version': ANTHROPIC_VERSION,
  };
  if (provider.apiKey) headers['x-api-key'] = provider.apiKey;
  for (const [name, value] of Object.entries(provider.headers)) headers[name.toLowerCase()] = value;
  const betas = mergeBetas(headers['anthropic-beta'], call.forwardHeaders?.['anthropic-beta']);
  if (betas) headers['anthropic-beta'] = betas;
  return headers;
}

function mergeBetas(...lists: Array<string | undefined>): string | undefined {
  const flags = new Set<string>();
  for (const list of lists) for (const flag of list?.split(',') ?? []) if (flag.trim()) flags.add(flag.trim());
  return flags.size > 0 ? [...flags].join(',') : undefined;
}
