import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { compileBudgets } from '../../src/spend/budget-config.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

function demoWithBudget(softThreshold: number) {
  const loaded = loadConfig({ cwd: '/nonexistent-dir', env: {} });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const budgets = compileBudgets({ global: { daily_usd: 1, soft_threshold: softThreshold } }).budgets;
  const store = { kind: 'memory' as const, dataDir: mkdtempSync(join(tmpdir(), 'sy-soft-')) };
  return { ...loaded.config, store, extensions: { ...loaded.config.extensions, budgets } };
}

const ask = (gw: TestGateway, model: string) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: 200, messages: [{ role: 'user', content: 'Refactor this module.' }] }),
  });

describe('soft budget limit', () => {
  const speed = process.env.SWITCHYARD_DEMO_SPEED;
  beforeAll(() => {
    process.env.SWITCHYARD_DEMO_SPEED = '0';
  });
  afterAll(() => {
    if (speed === undefined) delete process.env.SWITCHYARD_DEMO_SPEED;
    else process.env.SWITCHYARD_DEMO_SPEED = speed;
  });

  it('moves a routed request one tier down past the soft threshold and says so', async () => {
    // $1 a day, soft at $0.0001: the first premium request's worst case is already past it
    const gw = await startTestGateway(demoWithBudget(0.0001));
    try {
      const res = await ask(gw, 'auto:premium');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-switchyard-budget-downgrade')).toBe('premium->standard');
      expect(res.headers.get('x-switchyard-tier')).toBe('standard');
      expect(res.headers.get('x-switchyard-model')).toBe('demo-standard');
      expect(Number(res.headers.get('x-switchyard-cost-usd'))).toBeGreaterThan(0);
      // a plain model name is not routed, so it is never moved
      const plain = await ask(gw, 'demo-premium');
      expect(plain.headers.get('x-switchyard-budget-downgrade')).toBeNull();
      expect(plain.headers.get('x-switchyard-model')).toBe('demo-premium');
    } finally {
      await gw.close();
    }
  });

  it('leaves the tier alone below the soft threshold', async () => {
    const gw = await startTestGateway(demoWithBudget(0.8));
    try {
      const res = await ask(gw, 'auto:premium');
      expect(res.headers.get('x-switchyard-budget-downgrade')).toBeNull();
      expect(res.headers.get('x-switchyard-tier')).toBe('premium');
    } finally {
      await gw.close();
    }
  });
});
