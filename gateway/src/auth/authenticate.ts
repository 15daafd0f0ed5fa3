import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthConfig } from '../config/types.js';
import { GatewayError } from '../core/errors.js';

/** Who is calling. Later issues add virtual keys with teams, users, limits and budgets. */
export interface Principal {
  keyId: string;
  user?: string;
}

type HeaderGetter = (name: string) => string | undefined;

/** The caller's key from `Authorization: Bearer`, `x-api-key` or `x-litellm-api-key`. */
export function extractKey(header: HeaderGetter): string | undefined {
  const auth = header('authorization');
  if (auth) {
    const match = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (match) return match[1]!.trim();
  }
  return header('x-api-key')?.trim() || header('x-litellm-api-key')?.trim() || undefined;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Checks the caller's key against the config; throws a 401 GatewayError when it is missing or wrong. */
export function authenticate(auth: AuthConfig, header: HeaderGetter): Principal {
  if (auth.mode === 'none') return { keyId: 'anonymous' };
  const key = extractKey(header);
  if (!key) {
    throw new GatewayError('authentication', 'Missing API key: send it as `Authorization: Bearer <key>`, `x-api-key` or `x-litellm-api-key`', { code: 'missing_api_key' });
  }
  if (!auth.masterKey || !timingSafeEqual(digest(key), digest(auth.masterKey))) {
    throw new GatewayError('authentication', 'Invalid API key', { code: 'invalid_api_key' });
  }
  return { keyId: 'master' };
}
