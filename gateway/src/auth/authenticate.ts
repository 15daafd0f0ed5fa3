import { hash, timingSafeEqual } from 'node:crypto';
import type { AuthConfig } from '../config/types.js';
import type { Runtime } from '../server/runtime.js';
import { lookupVirtualKey } from './virtual-keys.js';
import { GatewayError } from '../core/errors.js';

/** Who is calling. Later issues add virtual keys with teams, users, limits and budgets. */
export interface Principal {
  keyId: string;
  /** A virtual key's human name. */
  alias?: string;
  team?: string;
  user?: string;
  /** Model or router names a virtual key may use; all when absent. */
  models?: readonly string[];
  /** A virtual key's own spend caps in USD per window, on top of the config's budgets. */
  budgetsUsd?: KeyBudgets;
  /** An admin virtual key: may also use the admin API and the web console (see admin-access.ts). */
  admin?: boolean;
}

export interface KeyBudgets {
  daily_usd?: number;
  weekly_usd?: number;
  monthly_usd?: number;
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

// hex, then bytes: Node 20's `hash(…, 'buffer')` took 1.1 µs where this takes 0.55 µs (microbenchmark)
const digest = (value: string): Buffer => Buffer.from(hash('sha256', value, 'hex'), 'hex');
let masterDigest: { key: string; digest: Buffer } | undefined;
/** Compares in constant time; the configured key's digest is kept, the caller's is taken per request. */
export function isMasterKey(key: string, masterKey: string): boolean {
  if (masterDigest?.key !== masterKey) masterDigest = { key: masterKey, digest: digest(masterKey) };
  return timingSafeEqual(digest(key), masterDigest.digest);
}

/** Checks the caller's key against the config; throws a 401 GatewayError when it is missing or wrong. */
export function authenticate(auth: AuthConfig, header: HeaderGetter): Principal {
  if (auth.mode === 'none') return { keyId: 'anonymous' };
  const key = extractKey(header);
  if (!key) {
    throw new GatewayError('authentication', 'Missing API key: send it as `Authorization: Bearer <key>`, `x-api-key` or `x-litellm-api-key`', { code: 'missing_api_key' });
  }
  if (!auth.masterKey || !isMasterKey(key, auth.masterKey)) {
    throw new GatewayError('authentication', 'Invalid API key', { code: 'invalid_api_key' });
  }
  return { keyId: 'master' };
}

/**
 * Authenticates an API request: the master key, else a virtual key from the store (its team, user and allowed
 * models become the principal). Throws a 401 GatewayError for a missing, unknown, revoked or expired key.
 */
export async function authenticateRequest(runtime: Runtime, header: HeaderGetter): Promise<Principal> {
  const auth = runtime.config.auth;
  if (auth.mode === 'none') return { keyId: 'anonymous' };
  const key = extractKey(header);
  if (key && auth.masterKey && isMasterKey(key, auth.masterKey)) return { keyId: 'master' };
  if (!key) return authenticate(auth, header);
  const principal = await lookupVirtualKey(runtime, key).catch((err: unknown) => {
    runtime.logger.error({ err }, 'key store unreachable');
    throw new GatewayError('unavailable', 'API keys cannot be checked right now (the store is unreachable)', { code: 'key_store_unavailable' });
  });
  if (!principal) throw new GatewayError('authentication', 'Invalid API key', { code: 'invalid_api_key' });
  return principal;
}
