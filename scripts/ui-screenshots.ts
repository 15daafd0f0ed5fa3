/**
 * Regenerates the web console screenshots under docs/ (run: `npm run screenshots -w gateway`): a real gateway
 * on the demo provider with budgets, some routed traffic, virtual keys (one with the admin role), photographed page by page in
 * headless Chromium (the same set-up as the browser test).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { startGateway } from '../gateway/src/server/start.js';
import { createLogger } from '../gateway/src/telemetry/logger.js';
import { launchChromium } from '../gateway/test/support/chromium.js';
import { consoleDemoConfig } from '../gateway/test/support/console-gateway.js';

const MASTER = 'sk-screenshots-master-key';
const DOCS = resolve(import.meta.dirname, '../docs');
const PROMPTS = [
  'What is the capital of France?',
  'Rename the variable x to count in utils.ts',
  'Design the architecture for a multi-tenant billing service. First plan the data model and the API, then describe the migration from our monolith step by step, compare event sourcing with a relational schema and justify the trade-offs.',
  'Why does this test fail? TypeError: cannot read properties of undefined (reading "id") at parseUser (user.ts:14)',
  'Write a haiku about gateways',
  'Implement a function that merges two sorted arrays in TypeScript, with tests.',
];

// a twentieth of the demo models' latency profiles: real first-token times and speeds, quickly
process.env.SWITCHYARD_DEMO_SPEED = '0.05';
process.env.SWITCHYARD_LOG_LEVEL ??= 'warn';
// a local webhook receiver, so the budget alerts have somewhere to go
const hooks = createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks/switchyard`;
const { config, cleanup } = consoleDemoConfig(MASTER, {
  global: { daily_usd: 0.02, weekly_usd: 0.5, monthly_usd: 2 },
  teams: { core: { monthly_usd: 0.05 } },
  alerts: [{ url: hookUrl, format: 'slack', thresholds: [0.25, 0.5, 0.8] }],
});
const gateway = await startGateway({ config, port: 0, host: '127.0.0.1', logger: createLogger() });
const headers = { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` };
const post = async (path: string, body: unknown, extra: Record<string, string> = {}) => {
  const res = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
};

const created = JSON.parse((await post('/admin/keys', { alias: 'roo-laptop', team: 'core', budgets: { daily_usd: 1 } })).text) as { key: string };
await post('/admin/keys', { alias: 'ci-pipeline', team: 'platform', models: ['auto', 'demo-cheap'] });
await post('/admin/keys', { alias: 'ops-dashboard', admin: true });
const agents = ['opencode/1.0', 'Roo-Code/3.20', 'claude-cli/1.0.80 (external, cli)', 'Cline/3.17'];
for (let i = 0; i < 36; i++) {
  const prompt = PROMPTS[i % PROMPTS.length]!;
  const auth = i % 3 === 0 ? { authorization: `Bearer ${created.key}` } : {};
  await post('/v1/chat/completions', { model: i % 7 === 6 ? 'auto:yolo' : 'auto', stream: i % 2 === 0, max_tokens: 300, messages: [{ role: 'user', content: prompt }] }, { 'user-agent': agents[i % agents.length]!, ...auth });
}
await post('/v1/chat/completions', { model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] });
await new Promise((r) => setTimeout(r, 500));

const chromium = await launchChromium();
try {
  const page = await chromium.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${gateway.url}/ui/`);
  await page.getByLabel('Key').fill(MASTER);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('spend-today').waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${DOCS}/ui-overview.png`, fullPage: true });
  for (const [hash, file] of [['routing', 'ui-routing'], ['requests', 'ui-requests'], ['keys', 'ui-keys'], ['budgets', 'ui-budgets'], ['models', 'ui-models']] as const) {
    await page.goto(`${gateway.url}/ui/#/${hash}`);
    await page.locator('section.page table, section.page .budget').first().waitFor();
    if (hash === 'routing') {
      await page.getByLabel(/Type a prompt/).fill('Refactor the payment module to use the strategy pattern and explain the trade-offs');
      await page.getByRole('button', { name: 'Explain' }).click();
      await page.getByTestId('explain-result').waitFor();
    }
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${DOCS}/${file}.png`, fullPage: hash !== 'requests' });
  }
  if (problems.length) throw new Error(`the console logged errors:\n${problems.join('\n')}`);
  console.log(`screenshots written to ${DOCS}`);
} finally {
  await chromium.close();
  await gateway.close();
  hooks.close();
  cleanup();
}
