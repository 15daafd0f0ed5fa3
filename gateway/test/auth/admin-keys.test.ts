import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../src/config/types.js';
import { startGatewayProcess } from '../support/gateway-process.js';
import { redisAvailable, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { jsonOf, MASTER_KEY, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

// Admin virtual keys: the master key mints them; they open the admin API (and so the web console) like the
// master key, except minting or rotating other admin keys. Run against both stores.
const ADMIN_READS = ['/admin/overview', '/admin/requests', '/admin/routing', '/admin/models', '/admin/alerts', '/admin/budgets', '/admin/spend', '/admin/keys', '/admin/session'];

const STORES = [
  { store: 'memory', runs: true },
  // true under CI whatever the machine (a missing redis-server fails); false only on a dev machine without Redis
  { store: 'redis', runs: redisAvailable() },
] as const;

describe.each(STORES)('admin virtual keys ($store store)', ({ store, runs }) => {
  let redis: RedisServer | undefined;
  let gw: TestGateway;
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-admin-keys-'));
  const config = (): GatewayConfig => ({
    ...testConfig([{ name: 'm', baseUrl: 'http://127.0.0.1:1/v1' }], { masterKey: MASTER_KEY }),
    store: store === 'redis' ? { kind: 'redis', url: redis!.url, dataDir } : { kind: 'memory', dataDir },
  });
  const call = (path: string, key: string | undefined, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${gw.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const create = async (spec: Record<string, unknown>, key = MASTER_KEY) => {
    const res = await call('/admin/keys', key, { method: 'POST', body: spec });
    expect(res.status, JSON.stringify(spec)).toBe(201);
    return (await res.json()) as { key: string; id: string; admin: boolean; createdBy: string; alias: string };
  };
  const listed = async (alias: string) => ((await jsonOf(call('/admin/keys', MASTER_KEY))).keys as Array<Record<string, unknown>>).filter((k) => k.alias === alias);

  beforeAll(async () => {
    if (!runs) return;
    if (store === 'redis') redis = await startRedisServer();
    gw = await startTestGateway(config());
  });
  afterAll(async () => {
    await gw?.close();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Every test here runs unless `runs` is false, which only the Redis store on a developer machine without
  // redis-server makes it (see STORES); under CI redisAvailable() is true and a missing binary fails.
  it.runIf(runs)('the master key mints an admin key, listed with its role, which opens every admin read', async () => {
    const ops = await create({ alias: 'ops', admin: true });
    expect(ops).toMatchObject({ alias: 'ops', admin: true, createdBy: 'master' });
    const plain = await create({ alias: 'plain' });
    expect(plain).toMatchObject({ admin: false, createdBy: 'master' });
    expect(await listed('ops')).toEqual([expect.objectContaining({ id: ops.id, admin: true })]);
    expect(await listed('plain')).toEqual([expect.objectContaining({ id: plain.id, admin: false })]);
    expect(JSON.stringify(await jsonOf(call('/admin/keys', ops.key)))).not.toContain(ops.key);

    for (const path of ADMIN_READS) expect((await call(path, ops.key)).status, path).toBe(200);
    // this config has no router: the admin key gets the same answer the master key does
    const explain = (key: string) => call('/admin/route/explain', key, { method: 'POST', body: { prompt: 'hello' } }).then(async (r) => [r.status, await r.json()]);
    expect(await explain(ops.key)).toEqual(await explain(MASTER_KEY));
    expect(await jsonOf(call('/admin/session', ops.key))).toEqual({ key_id: ops.id, alias: 'ops', role: 'admin_key', can_manage_admin_keys: false });
    expect(await jsonOf(call('/admin/session', MASTER_KEY))).toEqual({ key_id: 'master', role: 'master', can_manage_admin_keys: true });
    // an admin key is still an API key
    expect((await call('/v1/models', ops.key)).status).toBe(200);
  });

  it.runIf(runs)('answers 401 for a missing, unknown or expired key and 403 for a key without the admin role, in the admin error shape', async () => {
    const plain = await create({ alias: 'plain-2' });
    const expired = await create({ alias: 'old-admin', admin: true, expires_at: '2020-01-01T00:00:00Z' });
    for (const [path, method] of [['/admin/overview', 'GET'], ['/admin/keys', 'GET'], ['/admin/keys', 'POST'], ['/admin/keys/x/rotate', 'POST'], ['/admin/no-such-page', 'GET']] as const) {
      const body = method === 'POST' ? { alias: 'never' } : undefined;
      const missing = await call(path, undefined, { method, body });
      expect(missing.status, path).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer');
      expect(await missing.json()).toMatchObject({ error: { type: 'authentication_error', code: 'missing_api_key' } });
      for (const key of ['sk-sy-unknown', expired.key]) {
        const res = await call(path, key, { method, body });
        expect(res.status, `${path} ${key}`).toBe(401);
        expect(await res.json()).toMatchObject({ error: { type: 'authentication_error', code: 'invalid_api_key' } });
      }
      const refused = await call(path, plain.key, { method, body });
      expect(refused.status, path).toBe(403);
      expect(refused.headers.get('www-authenticate')).toBeNull();
      expect(await refused.json()).toEqual({ error: { message: expect.stringMatching(/no admin role/), type: 'permission_error', code: 'admin_only', param: null } });
    }
    expect(await listed('never')).toEqual([]);
    // the non-admin key keeps working where it belongs
    expect((await call('/v1/models', plain.key)).status).toBe(200);
  });

  it.runIf(runs)('an admin key manages ordinary keys but cannot mint or rotate admin keys', async () => {
    const ops = await create({ alias: 'ops-2', admin: true });
    const other = await create({ alias: 'other-admin', admin: true });

    const made = await create({ alias: 'made-by-ops', models: ['m'] }, ops.key);
    expect(made).toMatchObject({ admin: false, createdBy: ops.id });
    expect((await call('/v1/models', made.key)).status).toBe(200);
    expect((await call('/admin/overview', made.key)).status).toBe(403);

    const mint = await call('/admin/keys', ops.key, { method: 'POST', body: { alias: 'escalated', admin: true } });
    expect(mint.status).toBe(403);
    expect(await mint.json()).toMatchObject({ error: { type: 'permission_error', code: 'admin_key_needs_master' } });
    expect(await listed('escalated')).toEqual([]);

    const rotatedPlain = await jsonOf(call(`/admin/keys/${made.id}/rotate`, ops.key, { method: 'POST' }));
    expect(rotatedPlain).toMatchObject({ id: made.id, admin: false });
    const steal = await call(`/admin/keys/${other.id}/rotate`, ops.key, { method: 'POST' });
    expect(steal.status).toBe(403);
    expect(((await steal.json()) as any).error.code).toBe('admin_key_needs_master');
    expect((await call('/admin/overview', other.key)).status).toBe(200);

    // the master key rotates an admin key: same id, still admin, the old secret stops at once
    const rotated = await jsonOf(call('/admin/keys/other-admin/rotate', MASTER_KEY, { method: 'POST' }));
    expect(rotated).toMatchObject({ id: other.id, alias: 'other-admin', admin: true, createdBy: 'master' });
    expect((await call('/admin/overview', other.key)).status).toBe(401);
    expect((await call('/admin/overview', rotated.key)).status).toBe(200);

    const revoked = await call(`/admin/keys/${made.id}`, ops.key, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect((await call('/v1/models', rotatedPlain.key)).status).toBe(401);
  });

  it.runIf(runs)('a revoked admin key loses access at once, even while its API use is cached', async () => {
    const ops = await create({ alias: 'ops-3', admin: true });
    expect((await call('/admin/keys', ops.key)).status).toBe(200);
    expect((await call('/v1/models', ops.key)).status).toBe(200);
    expect((await call(`/admin/keys/${ops.id}`, MASTER_KEY, { method: 'DELETE' })).status).toBe(200);
    expect((await call('/admin/keys', ops.key)).status).toBe(401);
    expect((await call('/v1/models', ops.key)).status).toBe(401);
    expect(await listed('ops-3')).toEqual([expect.objectContaining({ admin: true, revokedAt: expect.any(String) })]);
  });

  it.runIf(runs)('admin keys and their role survive a restart', async () => {
    const ops = await create({ alias: 'ops-4', admin: true });
    const plain = await create({ alias: 'plain-4' });
    await gw.close();
    gw = await startTestGateway(config());
    expect((await call('/admin/overview', ops.key)).status).toBe(200);
    expect((await call('/admin/overview', plain.key)).status).toBe(403);
    expect(await listed('ops-4')).toEqual([expect.objectContaining({ id: ops.id, admin: true })]);
  });

  // only the Redis store is shared between processes: the memory-store run has no such case (not a skip)
  if (store === 'redis') it.runIf(runs)('a revocation on one instance locks the admin key out of another process on the same Redis at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-admin-keys-proc-'));
    const file = join(dir, 'switchyard.yaml');
    writeFileSync(file, `
providers:
  up: { kind: openai-compatible, base_url: "http://127.0.0.1:1/v1" }
models:
  - { name: m, provider: up, model: m, prices: { input: 1, output: 2 } }
auth: { master_key: "${MASTER_KEY}" }
store: { kind: redis, url: "${redis!.url}" }
`);
    const other = await startGatewayProcess(file, dir);
    try {
      const ops = await create({ alias: 'ops-5', admin: true });
      const onOther = () => fetch(`${other.url}/admin/overview`, { headers: { authorization: `Bearer ${ops.key}` } });
      expect((await onOther()).status).toBe(200);
      // the other process has the key in its API cache now; the admin API must not trust that cache
      expect((await fetch(`${other.url}/v1/models`, { headers: { authorization: `Bearer ${ops.key}` } })).status).toBe(200);
      expect((await call(`/admin/keys/${ops.id}`, MASTER_KEY, { method: 'DELETE' })).status).toBe(200);
      expect((await onOther()).status).toBe(401);
    } finally {
      await other.kill9();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('admin keys at the edges', () => {
  let gw: TestGateway | undefined;
  const openDir = mkdtempSync(join(tmpdir(), 'sy-admin-keys-none-'));
  afterAll(async () => {
    await gw?.close();
    rmSync(openDir, { recursive: true, force: true });
  });

  it('never writes a key to the log, and names who created, rotated or revoked one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sy-admin-keys-log-'));
    gw = await startTestGateway({ ...testConfig([{ name: 'm', baseUrl: 'http://127.0.0.1:1/v1' }], { masterKey: MASTER_KEY }), store: { kind: 'memory', dataDir } });
    const post = (path: string, key: string, body?: unknown) =>
      jsonOf(fetch(`${gw!.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) }));
    const ops = await post('/admin/keys', MASTER_KEY, { alias: 'ops', admin: true });
    const made = await post('/admin/keys', ops.key, { alias: 'made' });
    const rotated = await post(`/admin/keys/${made.id}/rotate`, ops.key);
    await fetch(`${gw.url}/admin/keys/${made.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${ops.key}` } });
    const logs = gw.rawLogs.join('');
    for (const secret of [MASTER_KEY, ops.key, made.key, rotated.key]) expect(logs).not.toContain(secret);
    const audit = gw.logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('virtual key '));
    expect(audit.map((l) => [l.msg, l.alias, l.by])).toEqual([
      ['virtual key created', 'ops', 'master'],
      ['virtual key created', 'made', ops.id],
      ['virtual key rotated', 'made', ops.id],
      ['virtual key revoked', 'made', ops.id],
    ]);
    await gw.close();
    gw = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 for a virtual key while the key store is unreachable, and still lets the master key in', async () => {
    gw = await startTestGateway({ ...testConfig([{ name: 'm', baseUrl: 'http://127.0.0.1:1/v1' }], { masterKey: MASTER_KEY }), store: { kind: 'redis', url: 'redis://127.0.0.1:1', dataDir: '.' } });
    const res = await fetch(`${gw.url}/admin/overview`, { headers: { authorization: 'Bearer sk-sy-some-admin-key' } });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'key_store_unavailable', message: expect.stringMatching(/master key still works/) } });
    expect((await fetch(`${gw.url}/admin/routing`, { headers: { authorization: `Bearer ${MASTER_KEY}` } })).status).toBe(200);
    await gw.close();
    gw = undefined;
  });

  it('without auth, the admin API is open on loopback as before, and the caller may mint admin keys', async () => {
    gw = await startTestGateway({ ...testConfig([{ name: 'm', baseUrl: 'http://127.0.0.1:1/v1' }]), store: { kind: 'memory', dataDir: openDir } });
    expect(await jsonOf(fetch(`${gw.url}/admin/session`))).toEqual({ key_id: 'anonymous', role: 'anonymous', can_manage_admin_keys: true });
    const res = await fetch(`${gw.url}/admin/keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ alias: 'ops', admin: true }) });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ admin: true, createdBy: 'anonymous' });
  });
});
