import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_UPSTREAM_ANSWER, startFaultUpstream, type Fault, type FaultUpstream } from '../support/fault-upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { chat, foldStream, resilientConfig } from './resilience-harness.js';

const REQUESTS = 1000;
const CONCURRENCY = 50;

/** 30 % of traffic, spread over every fault that can strike before the first byte reaches the client. */
const FAULTS: Fault[] = [
  { kind: 'status', status: 429 },
  { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
  { kind: 'status', status: 500 },
  { kind: 'status', status: 502 },
  { kind: 'status', status: 503 },
  { kind: 'status', status: 529 },
  { kind: 'reset-before-headers' },
  { kind: 'truncated-stream', afterChunks: 0 },
  { kind: 'malformed-json', afterChunks: 0 },
  { kind: 'hang-before-headers' },
];
const shares = (seed: number) => ({ seed, shares: FAULTS.map((fault) => ({ share: 0.3 / FAULTS.length, fault })) });

let flaky1: FaultUpstream;
let flaky2: FaultUpstream;
let healthy: FaultUpstream;
let gw: TestGateway;

beforeAll(async () => {
  [flaky1, flaky2, healthy] = await Promise.all([startFaultUpstream(shares(7)), startFaultUpstream(shares(11)), startFaultUpstream()]);
  gw = await startTestGateway(
    resilientConfig(
      [
        { name: 'chaos', baseUrl: flaky1.url, firstByteTimeoutMs: 1000, timeoutMs: 3000 },
        { name: 'chaos', baseUrl: flaky2.url, firstByteTimeoutMs: 1000, timeoutMs: 3000 },
        { name: 'chaos', baseUrl: healthy.url, firstByteTimeoutMs: 1000, timeoutMs: 3000 },
        { name: 'baseline', baseUrl: healthy.url },
      ],
      // cooldowns off, so that every request meets the faults at their full rate; a hung upstream, streamed or
      // not, is left after the first-byte timeout (1 s; a non-streamed answer's first byte is its headers). The
      // timeouts leave room for a loaded CI machine: a healthy answer must never be cut by them.
      { resilience: { backoff_base_ms: 10, cooldown: { failures: 1_000_000 } } },
    ),
  );
});
afterAll(async () => {
  await gw.close();
  await Promise.all([flaky1.close(), flaky2.close(), healthy.close()]);
});

/** Sends REQUESTS requests (every other one streamed) with bounded concurrency; returns latencies and failures. */
async function run(model: string, requests = REQUESTS): Promise<{ latencies: number[]; failures: string[] }> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      const i = next++;
      const stream = i % 2 === 0;
      const started = performance.now();
      const res = await chat(gw.url, { model, stream });
      if (res.status !== 200) {
        failures.push(`#${i}: HTTP ${res.status} ${await res.text()}`);
        continue;
      }
      if (stream) {
        const folded = foldStream(await res.text());
        if (!folded.done || folded.error || folded.content !== FAULT_UPSTREAM_ANSWER) failures.push(`#${i}: broken stream ${JSON.stringify(folded)}`);
      } else {
        const body = (await res.json()) as any;
        if (body.choices?.[0]?.message?.content !== FAULT_UPSTREAM_ANSWER) failures.push(`#${i}: wrong body`);
      }
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { latencies, failures };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

describe('chaos run', () => {
  it('serves 1,000 requests over two 30 %-faulty deployments and one healthy one without a client-visible failure', async () => {
    await run('baseline', 300); // warm-up: connections, JIT
    const baseline = await run('baseline');
    const chaos = await run('chaos');
    expect(baseline.failures).toEqual([]);
    expect(chaos.failures).toEqual([]);
    expect(chaos.latencies.length).toBe(REQUESTS);
    const faults = [...flaky1.given, ...flaky2.given].filter((k) => k !== 'ok').length;
    expect(faults).toBeGreaterThan(200);
    const [b50, b99, c50, c99] = [percentile(baseline.latencies, 50), percentile(baseline.latencies, 99), percentile(chaos.latencies, 50), percentile(chaos.latencies, 99)];
    console.log(
      `chaos run: ${REQUESTS} requests (half streamed), ${faults} injected faults absorbed; ` +
        `p50 ${c50.toFixed(1)} ms vs ${b50.toFixed(1)} ms healthy, p99 ${c99.toFixed(1)} ms vs ${b99.toFixed(1)} ms healthy ` +
        `(added p99 ${(c99 - b99).toFixed(1)} ms)`,
    );
  }, 120_000);
});
