import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestListener } from '../../src/server/app.js';
import type { Runtime } from '../../src/server/runtime.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { lineSink } from '../support/line-sink.js';
import { jsonOf, MASTER_KEY, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

let upstream: MockOpenAI;
let gw: TestGateway;
const auth = { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' };
const chatBody = JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] });

beforeAll(async () => {
  upstream = await startMockOpenAI();
  gw = await startTestGateway(testConfig([{ name: 'gpt-test', baseUrl: upstream.url }], { masterKey: MASTER_KEY }));
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

describe('the API surfaces, routed before the Hono app', () => {
  it('serves a surface whatever query string the client adds, and a percent-encoded spelling of its path through Hono', async () => {
    for (const path of ['/v1/chat/completions?api-version=2024-10-21', '/v1/chat/completion%73']) {
      upstream.enqueue({ kind: 'text', text: 'ok' });
      const res = await fetch(`${gw.url}${path}`, { method: 'POST', headers: auth, body: chatBody });
      expect(res.status).toBe(200);
      expect((await jsonOf(res)).choices[0].message.content).toBe('ok');
    }
  });

  it('leaves other methods on a surface path to the app, which answers 404 in the OpenAI shape', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, { headers: auth });
    expect(res.status).toBe(404);
    expect((await jsonOf(res)).error.code).toBe('route_not_found');
  });
});

describe('requestListener', () => {
  let server: Server;
  let url: string;
  const { sink, lines } = lineSink();
  beforeAll(async () => {
    const runtime: Runtime = { config: {} as Runtime['config'], logger: createLogger(sink), startedAt: Date.now() };
    const routes = new Map([
      ['/throws', async () => Promise.reject(new Error('boom at /secret/path'))],
      ['/answers', async () => ({ status: 201, body: '{"ok":true}', headers: { 'content-type': 'application/json' } })],
    ]);
    server = createServer(requestListener(runtime, routes, (_req, res) => res.writeHead(418).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('writes the JSON answer a surface resolves to, and sends anything else to the app', async () => {
    const res = await fetch(`${url}/answers`, { method: 'POST' });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ ok: true });
    expect((await fetch(`${url}/answers`)).status).toBe(418);
  });

  it('answers a surface that throws with a 500 in the OpenAI shape, logged, with no stack or message of the cause', async () => {
    const res = await fetch(`${url}/throws`, { method: 'POST' });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text).error.type).toBeDefined();
    expect(text).not.toContain('/secret/path');
    expect(lines.some((line) => line.includes('unhandled error'))).toBe(true);
  });
});
