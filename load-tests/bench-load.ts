/** Load generators for the benchmark: autocannon for throughput, a serial loop for µs-precise latency. */
import autocannon from 'autocannon';
import { Client } from 'undici';

/** One measured run. Latencies in milliseconds. */
export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const HEADERS = { 'content-type': 'application/json', authorization: 'Bearer bench' };

/** Drives `connections` keep-alive connections for `seconds` with autocannon (latency in whole ms). */
export async function runAutocannon(baseUrl: string, body: string, connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url: `${baseUrl}/chat/completions`,
    method: 'POST',
    headers: HEADERS,
    body,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 30,
  });
  return {
    rps: result.requests.total / Math.max(result.duration, seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/**
 * One connection, one request at a time, each timed with hrtime: autocannon's histogram keeps whole
 * milliseconds, too coarse to see the 100 µs a proxy adds.
 */
export async function runSerial(baseUrl: string, body: string, seconds: number): Promise<LoadResult> {
  const url = new URL(`${baseUrl}/chat/completions`);
  const client = new Client(url.origin, { pipelining: 1, keepAliveTimeout: 60_000 });
  const samples: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  try {
    while (performance.now() < deadline) {
      const t0 = process.hrtime.bigint();
      try {
        const res = await client.request({ path: url.pathname, method: 'POST', headers: HEADERS, body });
        await res.body.arrayBuffer();
        if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
        else samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch {
        errors++;
        if (errors > 100) break;
      }
    }
  } finally {
    await client.close();
  }
  samples.sort((a, b) => a - b);
  const at = (q: number): number => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN;
  return { rps: (samples.length + non2xx) / ((performance.now() - started) / 1000), p50: at(0.5), p99: at(0.99), errors, non2xx };
}

/** One request to check a target answers correctly before it is loaded; returns a problem or undefined. */
export async function checkAnswer(baseUrl: string, body: string, stream: boolean): Promise<string | undefined> {
  try {
    const res = await fetch(`${baseUrl}/chat/completions`, { method: 'POST', headers: HEADERS, body });
    const text = await res.text();
    if (res.status !== 200) return `HTTP ${res.status}: ${text.slice(0, 200)}`;
    if (stream && !(text.includes('"usage"') && text.trimEnd().endsWith('data: [DONE]'))) return `stream without usage or [DONE]: …${text.slice(-200)}`;
    if (!stream && !text.includes('"choices"')) return `not a chat completion: ${text.slice(0, 200)}`;
    return undefined;
  } catch (err) {
    return `request failed: ${(err as Error).message}`;
  }
}
