import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { MASTER_KEY, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

let upstream: MockOpenAI;
let gw: TestGateway;
const dataDir = mkdtempSync(join(tmpdir(), 'sy-admin-guard-'));

const PATHS = ['/admin', '/admin/', '/admin/keys', '/admin/budgets', '/admin/spend', '/admin/route/explain', '/admin/keys/k1/rotate', '/admin/nope', '/admin/secret/deep/path', '/ADMIN/keys', '/admin//keys'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
const BAD_CREDENTIALS: Array<Record<string, string>> = [{}, { authorization: 'Bearer sk-wrong' }, { 'x-api-key': 'sk-wrong' }, { authorization: 'Basic YWRtaW46YWRtaW4=' }];

beforeAll(async () => {
  upstream = await startMockOpenAI();
  gw = await startTestGateway({ ...testConfig([{ name: 'gpt-test', baseUrl: upstream.url }], { masterKey: MASTER_KEY }), store: { kind: 'memory', dataDir } });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the /admin namespace', () => {
  it('answers 401 to every method on every admin path, known or not, without the master key', async () => {
    for (const path of PATHS) {
      // /ADMIN is another path (routes are case-sensitive): it must at least not answer as an admin route
      const isAdmin = path.startsWith('/admin');
      for (const method of METHODS) {
        for (const headers of BAD_CREDENTIALS) {
          const res = await fetch(`${gw.url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: method === 'GET' || method === 'OPTIONS' ? undefined : '{}' });
          const body = (await res.json()) as any;
          if (isAdmin) {
            expect({ path, method, status: res.status }).toEqual({ path, method, status: 401 });
            expect(body.error.type).toBe('authentication_error');
          } else {
            expect(res.status).toBe(404);
          }
        }
      }
    }
  }, 90_000); // 264 requests in a row: slow on a loaded machine

  it('lets the master key through to the route, or to a 404 for an unknown one', async () => {
    const auth = { authorization: `Bearer ${MASTER_KEY}` };
    expect((await fetch(`${gw.url}/admin/keys`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${gw.url}/admin/budgets`, { headers: { 'x-api-key': MASTER_KEY } })).status).toBe(200);
    const unknown = await fetch(`${gw.url}/admin/nope`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.code).toBe('route_not_found');
  });

  it('refuses a virtual key without the admin role on admin paths (403), and lets an admin key through', async () => {
    const create = async (spec: object) => {
      const created = await fetch(`${gw.url}/admin/keys`, { method: 'POST', headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(spec) });
      return ((await created.json()) as { key: string }).key;
    };
    const key = await create({ alias: 'dev' });
    for (const path of ['/admin/keys', '/admin/nope']) {
      for (const method of METHODS) {
        const res = await fetch(`${gw.url}${path}`, { method, headers: { authorization: `Bearer ${key}` } });
        expect({ path, method, status: res.status }).toEqual({ path, method, status: 403 });
        expect(((await res.json()) as any).error).toMatchObject({ type: 'permission_error', code: 'admin_only' });
      }
    }
    // the same key works where virtual keys belong
    expect((await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    const adminKey = await create({ alias: 'ops', admin: true });
    expect((await fetch(`${gw.url}/admin/keys`, { headers: { authorization: `Bearer ${adminKey}` } })).status).toBe(200);
    expect((await fetch(`${gw.url}/admin/nope`, { headers: { authorization: `Bearer ${adminKey}` } })).status).toBe(404);
  });
});
