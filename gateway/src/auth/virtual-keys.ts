import { hash as cryptoHash, randomBytes } from 'node:crypto';
import { GatewayError } from '../core/errors.js';
import type { Runtime } from '../server/runtime.js';
import { storeOf } from '../spend/runtime-store.js';
import type { KeyBudgets, Principal } from './authenticate.js';

const COLLECTION = 'keys';
const CACHE_MS = 5_000;

/** A virtual key as stored: only the SHA-256 of the key, never the key itself. */
export interface VirtualKey {
  id: string;
  hash: string;
  /** The first characters of the key, so a person can tell keys apart. */
  preview: string;
  alias: string;
  team?: string;
  user?: string;
  /** Model or router names this key may use; all when absent. */
  models?: string[];
  budgets?: KeyBudgets;
  /** May use the admin API and the web console as well; only the master key creates (or rotates) such keys. */
  admin?: boolean;
  /** Who created it: `master`, `anonymous` (no auth configured) or the id of the admin key that did. */
  createdBy?: string;
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
}

/** A key as the admin API lists it: no hash, and `admin` always present (records written before it lack it). */
export type ListedKey = Omit<VirtualKey, 'hash' | 'admin'> & { admin: boolean };

export interface KeySpec {
  alias: string;
  budgets?: KeyBudgets;
  team?: string;
  user?: string;
  models?: string[];
  expiresAt?: string;
  admin?: boolean;
  createdBy?: string;
}

const sha256 = (value: string): string => cryptoHash('sha256', value, 'hex');
const cache = new Map<string, { principal: Principal | undefined; until: number }>();

/** Creates a key; the plain key is returned here once and never stored. `id` is kept when rotating. */
export async function createVirtualKey(runtime: Runtime, spec: KeySpec, id = `key_${randomBytes(6).toString('hex')}`): Promise<{ key: string; record: VirtualKey }> {
  const key = `sk-sy-${randomBytes(24).toString('base64url')}`;
  const record: VirtualKey = {
    id,
    hash: sha256(key),
    preview: `${key.slice(0, 10)}…`,
    alias: spec.alias,
    ...(spec.team ? { team: spec.team } : {}),
    ...(spec.user ? { user: spec.user } : {}),
    ...(spec.models?.length ? { models: spec.models } : {}),
    ...(spec.budgets && Object.keys(spec.budgets).length ? { budgets: spec.budgets } : {}),
    ...(spec.admin ? { admin: true } : {}),
    ...(spec.createdBy ? { createdBy: spec.createdBy } : {}),
    createdAt: new Date().toISOString(),
    ...(spec.expiresAt ? { expiresAt: spec.expiresAt } : {}),
  };
  await (await storeOf(runtime)).putDoc(COLLECTION, record.hash, JSON.stringify(record));
  return { key, record };
}

/** A stored key as the admin API shows it. */
export const shownKey = ({ hash: _hash, admin, ...rest }: VirtualKey): ListedKey => ({ ...rest, admin: admin === true });

/** Every key, newest first, without hashes. */
export async function listVirtualKeys(runtime: Runtime): Promise<ListedKey[]> {
  const docs = await (await storeOf(runtime)).listDocs(COLLECTION);
  return docs
    .map((d) => JSON.parse(d) as VirtualKey)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map(shownKey);
}

/** The active (not revoked) key with this id or alias, if any. */
export async function findActiveKey(runtime: Runtime, idOrAlias: string): Promise<VirtualKey | undefined> {
  const docs = await (await storeOf(runtime)).listDocs(COLLECTION);
  return docs.map((d) => JSON.parse(d) as VirtualKey).find((k) => !k.revokedAt && (k.id === idOrAlias || k.alias === idOrAlias));
}

/**
 * Revokes a key by id or alias; undefined when there is none. This instance forgets it at once; other
 * instances within CACHE_MS for API calls, and at once for the admin API (which reads the store every time).
 */
export async function revokeVirtualKey(runtime: Runtime, idOrAlias: string): Promise<VirtualKey | undefined> {
  const found = await findActiveKey(runtime, idOrAlias);
  if (!found) return undefined;
  await (await storeOf(runtime)).putDoc(COLLECTION, found.hash, JSON.stringify({ ...found, revokedAt: new Date().toISOString() }));
  cache.delete(found.hash);
  return found;
}

/** Replaces a key's secret: the old key stops working, the new one keeps its id (so its budgets) and its admin role. */
export async function rotateVirtualKey(runtime: Runtime, idOrAlias: string): Promise<{ key: string; record: VirtualKey } | undefined> {
  const old = await revokeVirtualKey(runtime, idOrAlias);
  if (!old) return undefined;
  const { alias, team, user, models, budgets, expiresAt, admin, createdBy } = old;
  return createVirtualKey(runtime, { alias, team, user, models, budgets, expiresAt, admin, createdBy }, old.id);
}

/**
 * The principal of a virtual key, or undefined when the key is unknown, revoked or expired. Cached briefly;
 * `fresh` reads the store regardless (the admin API does, so a revoked admin key loses access on every instance at once).
 */
export async function lookupVirtualKey(runtime: Runtime, key: string, opts: { fresh?: boolean } = {}): Promise<Principal | undefined> {
  const hash = sha256(key);
  const now = Date.now();
  const hit = opts.fresh ? undefined : cache.get(hash);
  if (hit && hit.until > now) return hit.principal;
  const doc = await (await storeOf(runtime)).getDoc(COLLECTION, hash);
  const record = doc ? (JSON.parse(doc) as VirtualKey) : undefined;
  const live = record && !record.revokedAt && (!record.expiresAt || Date.parse(record.expiresAt) > now);
  const principal: Principal | undefined = live
    ? { keyId: record.id, alias: record.alias, ...(record.team ? { team: record.team } : {}), ...(record.user ? { user: record.user } : {}), ...(record.models ? { models: record.models } : {}), ...(record.budgets ? { budgetsUsd: record.budgets } : {}), ...(record.admin ? { admin: true } : {}) }
    : undefined;
  if (cache.size > 10_000) cache.clear();
  cache.set(hash, { principal, until: now + CACHE_MS });
  return principal;
}

/** Refuses (403) a model or router the key may not use. */
export function assertModelAllowed(principal: Principal | undefined, model: string): void {
  if (!principal?.models || principal.models.includes(model)) return;
  throw new GatewayError('permission', `This key may not use model '${model}'. Allowed: ${principal.models.join(', ')}`, { code: 'model_not_allowed', param: 'model' });
}
