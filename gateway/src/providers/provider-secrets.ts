import type { ProviderConfig } from '../config/types.js';
import { GatewayError } from '../core/errors.js';
import { scrubSecrets } from '../core/scrub-secrets.js';

/** What the gateway sends a provider that an upstream could quote back: its API key and credential headers (with and without a scheme). */
export function providerSecrets(provider: ProviderConfig): string[] {
  const secrets = Object.entries(provider.headers).flatMap(([name, value]) => (CREDENTIAL_HEADER.test(name) ? [value, value.replace(/^\S+\s+/, '')] : []));
  if (provider.apiKey) secrets.push(provider.apiKey);
  return secrets;
}

const CREDENTIAL_HEADER = /auth|key|token|secret|password|cookie|signature/i;

/** The same error with credentials removed from its message (upstream text quoted in it may hold them). */
export function scrubUpstreamError(err: unknown, provider: ProviderConfig): unknown {
  if (err instanceof GatewayError) err.message = scrubSecrets(err.message, providerSecrets(provider));
  return err;
}
