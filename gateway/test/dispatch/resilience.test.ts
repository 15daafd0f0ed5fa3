import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_UPSTREAM_ANSWER, refusedUrl, startFaultUpstream, type FaultUpstream } from '../support/fault-upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { chat, foldStream, resilientConfig } from './resilience-harness.js';

let a: FaultUpstream;
let b: FaultUpstream;
let big: FaultUpstream;
let gw: TestGateway;
let dead: string;

beforeAll(async () => {
  [a, b, big] = await Promise.all([startFaultUpstream(), startFaultUpstream(), startFaultUpstream()]);
  dead = await refusedUrl();
  gw = await startTestGateway(
    resilientConfig(
      [
        { name: 'primary', baseUrl: a.url, firstByteTimeoutMs: 300, idleTimeoutMs: 300, contextWindow: 8000 },
        { name: 'backup', baseUrl: b.url },
        { name: 'large', baseUrl: big.url, contextWindow: 1_000_000 },
        { name: 'retrying', baseUrl: a.url },
        { name: 'nowhere', baseUrl: dead },
        { name: 'pair', baseUrl: a.url },
        { name: 'pair', baseUrl: b.url },
      ],
      {
        resilience: {
          backoff_base_ms: 5,
          retries_by_class: {},
          max_retry_after_s: 1,
          fallbacks: { primary: ['backup'], retrying: ['backup'], nowhere: ['backup'] },
          context_window_fallbacks: { primary: ['large'] },
          cooldown: { failures: 1000 },
        },
      },
    ),
  );
});
afterAll(async () => {
  await gw.close();
  await Promise.all([a.close(), b.close(), big.close()]);
});
afterEach(() => {
  for (const u of [a, b, big]) {
    u.setPlan({});
    u.given.length = 0;
  }
});

async function answer(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  return ((await res.json()) as any).choices[0].message.content;
}

describe('fallback chains', () => {
  it('moves to the configured fallback group on 429, 5xx and 529', async () => {
    for (const status of [429, 500, 502, 503, 529]) {
      a.enqueue({ kind: 'status', status });
      expect(await answer(await chat(gw.url, { model: 'primary' }))).toBe(FAULT_UPSTREAM_ANSWER);
    }
    expect(a.given).toEqual(Array(5).fill('status'));
    expect(b.given).toEqual(Array(5).fill('ok'));
  });

  it('does not retry or fall back on 400, 401, 403, 404, 413 and 422', async () => {
    for (const status of [400, 401, 403, 404, 413, 422]) {
      a.enqueue({ kind: 'status', status, message: 'caller error' });
      const res = await chat(gw.url, { model: 'primary' });
      expect(res.status).toBe(status);
    }
    expect(b.given).toEqual([]);
  });

  it('falls back on a refused connection, a reset, a hang before headers, a truncated or malformed first chunk', async () => {
    expect(await answer(await chat(gw.url, { model: 'nowhere' }))).toBe(FAULT_UPSTREAM_ANSWER);
    a.enqueue({ kind: 'reset-before-headers' }, { kind: 'hang-before-headers' }, { kind: 'truncated-stream', afterChunks: 0 }, { kind: 'malformed-json', afterChunks: 0 });
    for (let i = 0; i < 4; i++) {
      const folded = foldStream(await (await chat(gw.url, { model: 'primary', stream: true })).text());
      expect(folded).toEqual({ content: FAULT_UPSTREAM_ANSWER, done: true });
    }
    expect(b.given.length).toBe(5);
  });

  it('moves a prompt that overflowed the context window to a larger model', async () => {
    a.enqueue({ kind: 'status', status: 400, message: "This model's maximum context length is 8000 tokens" });
    expect(await answer(await chat(gw.url, { model: 'primary' }))).toBe(FAULT_UPSTREAM_ANSWER);
    expect(big.given).toEqual(['ok']);
    expect(b.given).toEqual([]);
  });

  it('sends a prompt estimated past the window straight to the larger model', async () => {
    const long = 'lorem ipsum dolor sit amet '.repeat(3000);
    const res = await chat(gw.url, { model: 'primary', messages: [{ role: 'user', content: long }] });
    expect(await answer(res)).toBe(FAULT_UPSTREAM_ANSWER);
    // the 8k primary is skipped; its fallback (128k in the test config) fits, ahead of the context fallback
    expect(a.given).toEqual([]);
    expect(b.given).toEqual(['ok']);
  });
});

describe('streams', () => {
  it('never retries or falls back after the first byte: a reset mid-stream ends in an error event', async () => {
    a.enqueue({ kind: 'reset-mid-stream', afterChunks: 2 });
    const res = await chat(gw.url, { model: 'primary', stream: true });
    expect(res.status).toBe(200);
    const folded = foldStream(await res.text());
    expect(folded.done).toBe(false);
    expect(folded.error).toBeDefined();
    expect(folded.content.length).toBeGreaterThan(0);
    expect(b.given).toEqual([]);
  });

  it('ends a stream that stalls mid-way after the idle timeout, with an error event', async () => {
    a.enqueue({ kind: 'hang-mid-stream', afterChunks: 2 });
    const folded = foldStream(await (await chat(gw.url, { model: 'primary', stream: true })).text());
    expect(folded.done).toBe(false);
    expect(folded.error?.message).toMatch(/no chunk within 300 ms/);
    expect(b.given).toEqual([]);
  });

  it('relays a slow drip whole when every gap is under the idle timeout', async () => {
    a.enqueue({ kind: 'slow-drip', chunkDelayMs: 20 });
    expect(foldStream(await (await chat(gw.url, { model: 'primary', stream: true })).text())).toEqual({ content: FAULT_UPSTREAM_ANSWER, done: true });
    expect(b.given).toEqual([]);
  });
});
