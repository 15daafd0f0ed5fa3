import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium, type HeadlessChromium } from '../support/chromium.js';
import { consoleDemoConfig } from '../support/console-gateway.js';
import { jsonOf, MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

// Real headless Chromium (Debian's package, installed by .ci/run) against a real gateway on the demo provider.
// Skipped only on a developer machine without Chromium (with a warning); under CI its absence is an error.
const runs = chromiumAvailable();
if (!runs) {
  if (process.env.CI) throw new Error(`Chromium is required under CI (expected at ${CHROMIUM_PATH}; .ci/run installs it with apt-get)`);
  console.warn(`web console browser test skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
}

const PROMPTS = [
  'What is the capital of France?',
  'Design the architecture for a multi-tenant billing service. First plan the data model and the API, then describe the migration step by step and justify the trade-offs.',
  'Rename the variable x to count in utils.ts',
];

// Skipped only on a developer machine without Chromium (see `runs` above); under CI it always runs.
describe.runIf(runs)('web console in headless Chromium', () => {
  let gateway: TestGateway;
  let chromium: HeadlessChromium;
  let page: Page;
  let cleanup: () => void;
  let format: { usd: (v: string | number) => string; micros: (m: number) => string };
  const problems: string[] = [];
  const sent: Array<{ id: string; tier: string; cost: string }> = [];
  const speed = process.env.SWITCHYARD_DEMO_SPEED;
  const admin = (path: string, init: RequestInit = {}) =>
    jsonOf(fetch(`${gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json', ...init.headers } }));
  /** The console is driven with an admin virtual key the master key minted through the API. */
  let adminKey: { key: string; id: string };
  const signIn = async (key: string) => {
    await page.goto(`${gateway.url}/ui`);
    await page.getByLabel('Key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  beforeAll(async () => {
    process.env.SWITCHYARD_DEMO_SPEED = '0';
    const demo = consoleDemoConfig(MASTER_KEY);
    cleanup = demo.cleanup;
    gateway = await startTestGateway(demo.config);
    // the page's own formatting, so the test compares what the page must show, not a copy of its rules
    format = await import(pathToFileURL(resolve(__dirname, '../../ui/format.js')).href);
    for (const prompt of PROMPTS) {
      const res = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json', 'user-agent': 'opencode/1.0' },
        body: JSON.stringify({ model: 'auto', max_tokens: 200, messages: [{ role: 'user', content: prompt }] }),
      });
      expect(res.status).toBe(200);
      await res.text();
      sent.push({ id: res.headers.get('x-switchyard-request-id')!, tier: res.headers.get('x-switchyard-tier')!, cost: res.headers.get('x-switchyard-cost-usd')! });
    }
    adminKey = await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ alias: 'console-admin', admin: true }) });
    expect(adminKey).toMatchObject({ admin: true });
    chromium = await launchChromium();
    page = await chromium.browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (err) => problems.push(String(err)));
  }, 90_000);

  afterAll(async () => {
    await chromium?.close();
    await gateway?.close();
    cleanup?.();
    if (speed === undefined) delete process.env.SWITCHYARD_DEMO_SPEED;
    else process.env.SWITCHYARD_DEMO_SPEED = speed;
  });

  it('refuses a virtual key without the admin role at sign-in, saying why, and keeps nothing', async () => {
    const plain = await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ alias: 'agent-only' }) });
    await signIn(plain.key);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/virtual key without the admin role.*master key or an admin virtual key/);
    await signIn('sk-sy-no-such-key');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/unknown, revoked or expired/);
    expect(await page.getByTestId('spend-today').count()).toBe(0);
    expect(await page.evaluate('Object.keys(sessionStorage).length')).toBe(0);
    // Chromium logs each refused fetch as a console error: exactly the two refusals, no script error
    expect(problems).toEqual([
      'Failed to load resource: the server responded with a status of 403 (Forbidden)',
      'Failed to load resource: the server responded with a status of 401 (Unauthorized)',
    ]);
    problems.length = 0;
  });

  it('signs in with an admin virtual key, held in the tab only, and shows the spend /admin/spend reports', async () => {
    await signIn(adminKey.key);
    const today = page.getByTestId('spend-today');
    await today.waitFor();
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('console-admin (admin key)');

    let spend: any;
    await expect.poll(async () => (spend = await admin('/admin/spend?by=day')).total.requests).toBe(PROMPTS.length);
    expect(Number(spend.total.cost_usd)).toBeGreaterThan(0);
    await expect.poll(() => today.locator('.value').textContent()).toBe(format.usd(spend.total.cost_usd));
    expect(await today.locator('.sub').textContent()).toBe(`${PROMPTS.length} requests`);

    expect(page.url()).not.toContain(adminKey.key);
    expect(await page.context().cookies()).toEqual([]);
    expect(await page.evaluate('Object.values(sessionStorage)')).toEqual([adminKey.key]);
    expect(await page.evaluate('Object.keys(localStorage).length')).toBe(0);
  });

  it('lists those requests with their tier and cost', async () => {
    await page.goto(`${gateway.url}/ui/#/requests`);
    const rows = page.getByTestId('request-row');
    await expect.poll(() => rows.count()).toBe(PROMPTS.length);
    const api = (await admin('/admin/requests')).requests as Array<{ id: string; costMicros: number }>;
    for (const request of sent) {
      const row = page.locator(`[data-testid=request-row]:has(td[title="${request.id}"])`);
      expect(await row.locator('.tier').textContent()).toBe(request.tier);
      const micros = api.find((r) => r.id === request.id)!.costMicros;
      expect(micros / 1e6).toBeCloseTo(Number(request.cost), 6);
      expect(await row.getByTestId('cost').textContent()).toBe(format.micros(micros));
    }
    // the filter narrows to one tier
    const tier = sent[0]!.tier;
    await page.getByLabel('filter tier').fill(tier);
    await page.getByLabel('filter tier').press('Enter');
    await expect.poll(() => rows.count()).toBe(sent.filter((s) => s.tier === tier).length);
  });

  it('creates a key, shows it once, and revokes it; an admin key cannot mint admin keys', async () => {
    await page.goto(`${gateway.url}/ui/#/keys`);
    await page.locator('[data-testid=key-row][data-alias="console-admin"]').waitFor();
    expect(await page.locator('[data-testid=key-row][data-alias="console-admin"] [data-testid=key-role]').textContent()).toBe('admin');
    expect(await page.locator('[data-testid=key-row][data-alias="agent-only"] [data-testid=key-role]').textContent()).toBe('api');
    expect(await page.getByLabel(/Admin/).isDisabled()).toBe(true);
    await page.getByLabel('Alias').fill('browser-made');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByTestId('new-key').locator('code.key');
    await secret.waitFor();
    const key = (await secret.textContent())!;
    expect(key).toMatch(/^sk-sy-/);
    expect((await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);

    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.content()).not.toContain(key);

    const row = page.locator('[data-testid=key-row][data-alias="browser-made"]');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Confirm revoke' }).click();
    await row.getByText('revoked').waitFor();
    const listed = (await admin('/admin/keys')).keys.find((k: { alias: string }) => k.alias === 'browser-made');
    expect(listed).toMatchObject({ admin: false, createdBy: adminKey.id, revokedAt: expect.any(String) });
    await expect.poll(async () => (await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status, { timeout: 10_000 }).toBe(401);
  });

  it('explains where a typed prompt would go, as the route explain endpoint does', async () => {
    const prompt = PROMPTS[1]!;
    await page.goto(`${gateway.url}/ui/#/routing`);
    await page.getByLabel(/Type a prompt/).fill(prompt);
    await page.getByRole('button', { name: 'Explain' }).click();
    const result = page.getByTestId('explain-result');
    await result.waitFor();
    const explained = await admin('/admin/route/explain', { method: 'POST', body: JSON.stringify({ prompt }) });
    expect(await result.locator('.tier').textContent()).toBe(explained.decision.tier);
    expect(await result.textContent()).toContain(explained.model);
    expect(await result.textContent()).toContain(explained.decision.rule);
    // the decisions table shows the routed requests
    await expect.poll(() => page.getByTestId('decisions').locator('tbody tr').count()).toBe(PROMPTS.length);
  });

  it('renders every page without a console error', async () => {
    for (const name of ['overview', 'routing', 'requests', 'keys', 'budgets', 'models']) {
      await page.goto(`${gateway.url}/ui/#/${name}`);
      await page.locator('section.page > header h1').waitFor();
      await page.locator('section.page table, section.page .budget, section.page .cards').first().waitFor();
    }
    expect(await page.getByTestId('models').locator('tbody tr').count()).toBe(3);
    expect(problems).toEqual([]);
  });

  it('the master key signs in too and mints an admin key with the checkbox, which signs in until it is revoked', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(MASTER_KEY);
    await page.getByTestId('signed-in-as').waitFor();
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('master key');
    await page.goto(`${gateway.url}/ui/#/keys`);
    await page.getByLabel('Alias').fill('second-admin');
    await page.getByLabel(/Admin/).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByTestId('new-key');
    await secret.waitFor();
    expect(await secret.textContent()).toContain('second-admin (admin key)');
    const key = (await secret.locator('code.key').textContent())!;
    await page.getByRole('button', { name: 'Done' }).click();
    await page.locator('[data-testid=key-row][data-alias="second-admin"]').waitFor();
    expect(await page.locator('[data-testid=key-row][data-alias="second-admin"] [data-testid=key-role]').textContent()).toBe('admin');
    expect((await admin('/admin/keys')).keys.find((k: { alias: string }) => k.alias === 'second-admin')).toMatchObject({ admin: true, createdBy: 'master' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(key);
    await page.getByTestId('spend-today').waitFor();
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('second-admin (admin key)');
    expect(problems).toEqual([]);

    // revoked while signed in: the next call is refused and the page is back at sign-in, the key forgotten
    const id = (await admin('/admin/keys')).keys.find((k: { alias: string }) => k.alias === 'second-admin').id;
    expect((await fetch(`${gateway.url}/admin/keys/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${MASTER_KEY}` } })).status).toBe(200);
    await page.goto(`${gateway.url}/ui/#/keys`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate('Object.keys(sessionStorage).length')).toBe(0);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p === 'Failed to load resource: the server responded with a status of 401 (Unauthorized)')).toBe(true);
  });
});
