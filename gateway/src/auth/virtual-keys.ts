import { createHash, randomBytes } from 'node:crypto';
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
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
}

export interface KeySpec {
  alias: string;
  budgets?: KeyBudgets;
  team?: string;
  user?: string;
  models?: string[];
  expiresAt?: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
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
    createdAt: new Date().toISOString(),
    ...(spec.expiresAt ? { expiresAt: spec.expiresAt } : {}),
  };
  await (await storeOf(runtime)).putDoc(COLLECTION, record.hash, JSON.stringify(record));
  return { key, record };
}

/** Every key, newest first, without hashes. */
export async function listVirtualKeys(runtime: Runtime): Promise<Array<Omit<VirtualKey, 'hash'>>> {
  const docs = await (await storeOf(runtime)).listDocs(COLLECTION);
  return docs
    .map((d) => JSON.parse(d) as VirtualKey)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map(({ hash: _hash, ...rest }) => rest);
}

/** Revokes a key by id or alias; undefined when there is none. Other instances notice within a few seconds. */
export async function revokeVirtualKey(runtime: Runtime, idOrAlias: string): Promise<VirtualKey | undefined> {
  const store = await storeOf(runtime);
  const found = (await store.listDocs(COLLECTION)).map((d) => JSON.parse(d) as VirtualKey).find((k) => !k.revokedAt && (k.id === idOrAlias || k.alias === idOrAlias));
  if (!found) return undefined;
  await store.putDoc(COLLECTION, found.hash, JSON.stringify({ ...found, revokedAt: new Date().toISOString() }));
  cache.delete(found.hash);
  return found;
}

/** Replaces a key's secret: the old key stops working, the new one keeps its id (and so its budgets). */
export async function rotateVirtualKey(runtime: Runtime, idOrAlias: string): Promise<{ key: string; record: VirtualKey } | undefined> {
  const old = await revokeVirtualKey(runtime, idOrAlias);
  if (!old) return undefined;
  return createVirtualKey(runtime, { alias: old.alias, team: old.team, user: old.user, models: old.models, budgets: old.budgets, expiresAt: old.expiresAt }, old.id);
}

/** The principal of a virtual key, or undefined when the key is unknown, revoked or expired. Cached briefly. */
export async function lookupVirtualKey(runtime: Runtime, key: string): Promise<Principal | undefined> {
  const hash = sha256(key);
  const now = Date.now();
  const hit = cache.get(hash);
  if (hit && hit.until > now) return hit.principal;
  const doc = await (await storeOf(runtime)).getDoc(COLLECTION, hash);
  const record = doc ? (JSON.parse(doc) as VirtualKey) : undefined;
  const live = record && !record.revokedAt && (!record.expiresAt || Date.parse(record.expiresAt) > now);
  const principal: Principal | undefined = live
    ? { keyId: record.id, alias: record.alias, ...(record.team ? { team: record.team } : {}), ...(record.user ? { user: record.user } : {}), ...(record.models ? { models: record.models } : {}), ...(record.budgets ? { budgetsUsd: record.budgets } : {}) }
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
