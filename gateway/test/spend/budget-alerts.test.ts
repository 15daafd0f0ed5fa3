import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileBudgets } from '../../src/spend/budget-config.js';
import { alertBody } from '../../src/spend/deliver-webhook.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

const SECRET = 'whsec-test';
const USAGE = { prompt_tokens: 1000, completion_tokens: 2000, total_tokens: 3000 }; // 5000 micro-dollars

interface Received {
  status: number;
  body: string;
  signature: string | undefined;
}

/** A webhook receiver that answers 500 to its first `failFirst` deliveries. */
async function startReceiver(failFirst: number): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const status = received.length < failFirst ? 500 : 204;
      received.push({ status, body, signature: req.headers['x-switchyard-signature'] as string | undefined });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, received, server };
}

describe('budget alert webhooks', () => {
  let upstream: MockOpenAI;
  let gw: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const retry = process.env.SWITCHYARD_ALERT_RETRY_MS;
  beforeAll(async () => {
    process.env.SWITCHYARD_ALERT_RETRY_MS = '20';
    upstream = await startMockOpenAI();
    upstream.setDefault({ kind: 'text', text: 'ok', usage: USAGE });
    receiver = await startReceiver(2);
    const budgets = compileBudgets({ global: { daily_usd: 0.02 }, alerts: [{ url: receiver.url, secret: SECRET }] }).budgets;
    const base = testConfig([{ name: 'm', baseUrl: upstream.url }]);
    gw = await startTestGateway({ ...base, store: { kind: 'memory', dataDir: mkdtempSync(join(tmpdir(), 'sy-alerts-')) }, extensions: { budgets } });
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
    receiver?.server.close();
    if (retry === undefined) delete process.env.SWITCHYARD_ALERT_RETRY_MS;
    else process.env.SWITCHYARD_ALERT_RETRY_MS = retry;
  });

  it('fires 50 %, 80 % and 100 % once each, signed, retrying a failing receiver', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', max_tokens: 2000, messages: [{ role: 'user', content: 'hi' }] }),
      });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    for (let i = 0; i < 200 && receiver.received.filter((r) => r.status === 204).length < 3; i++) await new Promise((r) => setTimeout(r, 10));

    const ok = receiver.received.filter((r) => r.status === 204);
    expect(ok.map((r) => JSON.parse(r.body).threshold).sort()).toEqual([0.5, 0.8, 1]);
    expect(receiver.received).toHaveLength(5); // two failed attempts of the first alert, then three deliveries
    for (const r of receiver.received) expect(r.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`);
    const full = JSON.parse(ok.find((r) => JSON.parse(r.body).threshold === 1)!.body);
    expect(full).toMatchObject({ type: 'budget.threshold', level: 'hard', budget: 'global:daily', spent_usd: '0.020000', limit_usd: '0.020000' });
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.received).toHaveLength(5);
  });

  it('formats Slack and Discord payloads', () => {
    const alert = { type: 'budget.threshold', level: 'soft', budget: 'global:daily', scope: 'global', subject: 'all', window: 'daily', window_id: '2026-11-23', threshold: 0.8, spent_usd: '8.000000', limit_usd: '10.000000', resets_at: '2026-11-24T00:00:00.000Z', at: 'now' } as const;
    expect(JSON.parse(alertBody(alert, 'slack')).text).toMatch(/'global:daily' \(all\) is at 80 %: \$8\.000000 of \$10\.000000/);
    expect(Object.keys(JSON.parse(alertBody(alert, 'discord')))).toEqual(['content']);
  });
});
