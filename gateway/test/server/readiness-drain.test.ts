import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { redisAvailable, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

async function readiness(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/health/readiness`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Polls readiness until it answers `status` (bounded: the probe must settle within a few seconds). */
async function readinessBecomes(url: string, status: number): Promise<{ status: number; body: Record<string, unknown> }> {
  let last = await readiness(url);
  for (let i = 0; i < 100 && last.status !== status; i++) {
    await new Promise((r) => setTimeout(r, 100));
    last = await readiness(url);
  }
  return last;
}

// Runs only with a real redis-server; redisAvailable() is always true under CI (a missing binary then fails), so
// this skips only on a developer machine without Redis, with a warning.
describe.runIf(redisAvailable())('readiness follows the Redis store', () => {
  let redis: RedisServer;
  let gw: TestGateway;
  beforeAll(async () => {
    redis = await startRedisServer();
    gw = await startTestGateway({ ...testConfig([{ name: 'm', baseUrl: 'http://127.0.0.1:9/v1' }]), store: { kind: 'redis', url: redis.url, dataDir: '.data' } });
  });
  afterAll(async () => {
    await gw?.close();
    await redis?.stop();
  });

  it('is ready while Redis answers, 503 while it is down, ready again once it is back; liveliness stays up', async () => {
    const up = await readiness(gw.url);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ ready: true, status: 'ready', store: 'redis' });

    const port = redis.port;
    await redis.stop();
    const down = await readinessBecomes(gw.url, 503);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ ready: false, status: 'store_unreachable', store: 'redis' });
    expect(String(down.body.error)).not.toBe('');
    // the process is alive: a liveness probe must not restart it for a dependency's outage
    expect((await fetch(`${gw.url}/health/liveliness`)).status).toBe(200);

    redis = await startRedisServer({ port });
    const back = await readinessBecomes(gw.url, 200);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ ready: true, store: 'redis' });
  });

  it('is 503 when Redis was never reachable since start, without a crash', async () => {
    const nowhere = await startTestGateway({ ...testConfig([{ name: 'm', baseUrl: 'http://127.0.0.1:9/v1' }]), store: { kind: 'redis', url: 'redis://127.0.0.1:9', dataDir: '.data' } });
    try {
      const r = await readiness(nowhere.url);
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ status: 'store_unreachable' });
      expect((await readiness(nowhere.url)).status).toBe(503);
    } finally {
      await nowhere.close();
    }
  });
});

describe('SIGTERM drains requests in flight', () => {
  let upstream: MockOpenAI;
  let gw: GatewayProcess | undefined;
  beforeAll(async () => {
    upstream = await startMockOpenAI();
  });
  afterAll(async () => {
    await gw?.kill9();
    await upstream.close();
  });

  it('finishes a running stream, refuses new connections, then exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-drain-'));
    const config = join(dir, 'switchyard.yaml');
    writeFileSync(config, `
providers:
  up: { kind: openai-compatible, base_url: "${upstream.url}" }
models:
  - { name: m, provider: up, model: mock-model }
`);
    gw = await startGatewayProcess(config, dir, { env: { SWITCHYARD_DRAIN_TIMEOUT_S: '20' } });
    const text = 'a stream that is still running when the gateway is asked to stop';
    upstream.enqueue({ kind: 'text', text, chunkSize: 4, chunkDelayMs: 40 });
    const stream = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);

    gw.child.kill('SIGTERM');
    // the drain has begun once the listener is closed: a new connection is refused
    let refused = false;
    for (let i = 0; i < 100 && !refused; i++) {
      refused = await fetch(`${gw.url}/health/liveliness`).then(() => false, () => true);
      if (!refused) await new Promise((r) => setTimeout(r, 50));
    }
    expect(refused).toBe(true);

    let body = new TextDecoder().decode(first.value);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      body += new TextDecoder().decode(value);
    }
    const content = body
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => (JSON.parse(l.slice(6)) as { choices: Array<{ delta?: { content?: string } }> }).choices[0]?.delta?.content ?? '')
      .join('');
    expect(content).toBe(text);
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(await gw.exited).toBe(0);
    expect(gw.output()).toMatch(/SIGTERM received: draining/);
  });
});
