import { GatewayError } from '../core/errors.js';
import type { Runtime } from '../server/runtime.js';
import { extractKey, isMasterKey, type Principal } from './authenticate.js';
import { lookupVirtualKey } from './virtual-keys.js';

type HeaderGetter = (name: string) => string | undefined;

/**
 * Who may use the admin API (and so the web console): the master key, or a live virtual key created with
 * `admin: true`. Missing, unknown, revoked or expired keys are a 401; a valid key without the admin role a 403.
 * Virtual keys are read from the store on every call (no cache), so a revoked admin key loses access at once
 * on every instance; admin traffic is a person clicking, not an agent's request stream.
 */
export async function authenticateAdmin(runtime: Runtime, header: HeaderGetter): Promise<Principal> {
  const auth = runtime.config.auth;
  if (auth.mode === 'none') return { keyId: 'anonymous' };
  const key = extractKey(header);
  if (!key) {
    throw new GatewayError('authentication', 'Missing API key: the admin API needs the master key or an admin virtual key, as `Authorization: Bearer <key>` or `x-api-key`', { code: 'missing_api_key' });
  }
  if (auth.masterKey && isMasterKey(key, auth.masterKey)) return { keyId: 'master' };
  const principal = await lookupVirtualKey(runtime, key, { fresh: true }).catch((err: unknown) => {
    runtime.logger.error({ err }, 'key store unreachable');
    throw new GatewayError('unavailable', 'Admin keys cannot be checked right now (the store is unreachable); the master key still works', { code: 'key_store_unavailable' });
  });
  if (!principal) throw new GatewayError('authentication', 'Invalid API key (unknown, revoked or expired)', { code: 'invalid_api_key' });
  if (!principal.admin) {
    throw new GatewayError('permission', 'This virtual key has no admin role: the admin API needs the master key or an admin virtual key', { code: 'admin_only' });
  }
  return principal;
}

/**
 * The master key itself (or no auth configured): what may create or rotate admin keys. An admin virtual key
 * cannot mint another admin credential, so one leaked admin key cannot make itself permanent.
 */
export const isRootPrincipal = (principal: Principal): boolean => principal.keyId === 'master' || principal.keyId === 'anonymous';
