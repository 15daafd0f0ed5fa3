import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultUpstream, type FaultUpstream } from '../support/fault-upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { chat, resilientConfig } from '../dispatch/resilience-harness.js';

let a: FaultUpstream;
let b: FaultUpstream;
let gw: TestGateway;

beforeAll(async () => {
  [a, b] = await Promise.all([startFaultUpstream(), startFaultUpstream()]);
  gw = await startTestGateway(
    resilientConfig([
      { name: 'by-rpm', baseUrl: a.url, rpm: 2 },
      { name: 'by-rpm', baseUrl: b.url },
      { name: 'by-tpm', baseUrl: a.url, tpm: 10 },
      { name: 'by-tpm', baseUrl: b.url },
      { name: 'alone', baseUrl: a.url, rpm: 1 },
    ]),
  );
});
afterAll(async () => {
  await gw.close();
  await Promise.all([a.close(), b.close()]);
});

describe('per-deployment provider limits', () => {
  it('routes to the next deployment once one has used its requests for the minute', async () => {
    for (let i = 0; i < 4; i++) expect((await chat(gw.url, { model: 'by-rpm' })).status).toBe(200);
    expect(a.given.length).toBe(2);
    expect(b.given.length).toBe(2);
  });

  it('routes elsewhere once a deployment served its tokens for the minute', async () => {
    a.given.length = 0;
    b.given.length = 0;
    expect((await chat(gw.url, { model: 'by-tpm' })).status).toBe(200);
    // the usage is counted when the request settles, just after the answer
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await chat(gw.url, { model: 'by-tpm' })).status).toBe(200);
    expect(a.given.length).toBe(1);
    expect(b.given.length).toBe(1);
  });

  it('answers 503 with retry-after when every deployment is at its limit', async () => {
    expect((await chat(gw.url, { model: 'alone' })).status).toBe(200);
    const res = await chat(gw.url, { model: 'alone' });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
