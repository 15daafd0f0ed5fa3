import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASTER_KEY, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

const MAIN = resolve(__dirname, '../../src/cli/main.ts');
const TSX = import.meta.resolve('tsx');
const run = promisify(execFile);

describe('switchyard keys', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    const base = testConfig([{ name: 'm', baseUrl: 'http://127.0.0.1:1/v1' }], { masterKey: MASTER_KEY });
    gw = await startTestGateway({ ...base, store: { kind: 'memory', dataDir: mkdtempSync(join(tmpdir(), 'sy-keys-cli-')) } });
  });
  afterAll(() => gw?.close());

  const keys = (...args: string[]) =>
    run(process.execPath, ['--import', TSX, MAIN, 'keys', ...args, '--url', gw.url], { env: { ...process.env, SWITCHYARD_MASTER_KEY: MASTER_KEY } });

  it('creates, lists and revokes a key against a running gateway', async () => {
    const created = await keys('create', '--alias', 'laptop', '--team', 'core', '--models', 'm,auto', '--daily-usd', '2');
    const key = created.stdout.split('\n')[0]!;
    expect(key).toMatch(/^sk-sy-/);
    const listed = await keys('list');
    expect(JSON.parse((await keys('list', '--json')).stdout).keys[0].budgets).toEqual({ daily_usd: 2 });
    expect(listed.stdout).toMatch(/key_\w+\tlaptop\tcore\t-\tactive\tsk-sy-\S+\tapi\n/);
    expect(listed.stdout).not.toContain(key);
    const models = await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(models.status).toBe(200);
    const rotated = (await keys('rotate', 'laptop')).stdout.split('\n')[0]!;
    expect(rotated).toMatch(/^sk-sy-/);
    expect((await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    expect((await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${rotated}` } })).status).toBe(200);
    expect((await keys('revoke', 'laptop')).stdout).toContain('revoked laptop');
    expect((await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${rotated}` } })).status).toBe(401);
    await expect(keys('revoke', 'laptop')).rejects.toMatchObject({ stderr: expect.stringContaining('404') });
  }, 120_000); // six CLI processes, each compiling TypeScript through tsx: slow on a loaded machine

  it('creates an admin key, which then works as the CLI key but cannot mint another admin key', async () => {
    const created = await keys('create', '--alias', 'ops', '--admin');
    const adminKey = created.stdout.split('\n')[0]!;
    expect(created.stdout).toContain('alias ops, admin:');
    const asAdmin = (...args: string[]) => keys(...args, '--master-key', adminKey);
    expect((await asAdmin('list')).stdout).toMatch(/key_\w+\tops\t-\t-\tactive\tsk-sy-\S+\tadmin\n/);
    await expect(asAdmin('create', '--alias', 'ops2', '--admin')).rejects.toMatchObject({ stderr: expect.stringContaining('403 Only the master key may create an admin key') });
  }, 90_000);
});
