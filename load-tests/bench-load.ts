/**
 * Load generators for the benchmark: wrk when installed (a C client that costs the machine far less than a
 * Node one), autocannon otherwise; a serial undici loop for µs-precise latency without wrk; and the paced
 * stream run that counts how many streams are open at once.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'undici';

/** One measured run. Latencies in milliseconds. */
export interface LoadResult {
  rps: number;
  /** Requests completed in the run. */
  requests: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export const BENCH_HEADERS = { 'content-type': 'application/json', authorization: 'Bearer bench' };

/** True when the `wrk` binary is on the PATH. */
export function wrkInstalled(): boolean {
  return spawnSync('wrk', ['-v'], { encoding: 'utf8' }).error === undefined;
}

let scriptDir: string | undefined;
/** A wrk Lua script that POSTs `body` and prints one JSON summary line (latencies in µs) when done. */
function wrkScript(body: string): string {
  scriptDir ??= mkdtempSync(join(tmpdir(), 'switchyard-wrk-'));
  const file = join(scriptDir, `post-${body.length}-${body.includes('"stream":true') ? 's' : 'j'}.lua`);
  const headers = Object.entries(BENCH_HEADERS).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`);
  writeFileSync(
    file,
    [
      'wrk.method = "POST"',
      ...headers,
      `wrk.body = ${luaString(body)}`,
      'done = function(summary, latency, requests)',
      '  local e = summary.errors',
      '  io.write(string.format("WRKJSON {\\"requests\\":%d,\\"duration_us\\":%d,\\"connect\\":%d,\\"read\\":%d,\\"write\\":%d,\\"timeout\\":%d,\\"status\\":%d,\\"p50\\":%d,\\"p99\\":%d}\\n",',
      '    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status, latency:percentile(50), latency:percentile(99)))',
      'end',
      '',
    ].join('\n'),
  );
  return file;
}

/** A Lua long string that cannot be closed by the body's own text. */
function luaString(s: string): string {
  let eq = '';
  while (s.includes(`]${eq}]`)) eq += '=';
  return `[${eq}[${s}]${eq}]`;
}

/** Drives `connections` keep-alive connections for `seconds` with wrk (one thread: the machine has few cores). */
export async function runWrk(baseUrl: string, body: string, connections: number, seconds: number): Promise<LoadResult> {
  const args = ['-t1', `-c${connections}`, `-d${Math.max(1, Math.round(seconds))}s`, '--timeout', '30s', '-s', wrkScript(body), `${baseUrl}/chat/completions`];
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => void (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (text += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}: ${text.trim().slice(-300)}`))));
  });
  const line = out.split('\n').find((l) => l.startsWith('WRKJSON '));
  if (!line) throw new Error(`wrk printed no summary: ${out.trim().slice(-300)}`);
  const s = JSON.parse(line.slice(8)) as Record<string, number>;
  const secs = s.duration_us! / 1e6;
  // wrk counts a non-2xx answer both as a request and as a `status` error.
  return {
    rps: s.requests! / secs,
    requests: s.requests!,
    p50: s.p50! / 1000,
    p99: s.p99! / 1000,
    errors: s.connect! + s.read! + s.write! + s.timeout!,
    non2xx: s.status!,
  };
}

/** Drives `connections` keep-alive connections for `seconds` with autocannon (latency in whole ms). */
export async function runAutocannon(baseUrl: string, body: string, connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url: `${baseUrl}/chat/completions`,
    method: 'POST',
    headers: BENCH_HEADERS,
    body,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 30,
  });
  return {
    rps: result.requests.total / Math.max(result.duration, seconds),
    requests: result.requests.total,
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
        const res = await client.request({ path: url.pathname, method: 'POST', headers: BENCH_HEADERS, body });
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
  const requests = samples.length + non2xx;
  return { rps: requests / ((performance.now() - started) / 1000), requests, p50: at(0.5), p99: at(0.99), errors, non2xx };
}

/** One request to check a target answers correctly before it is loaded; returns a problem or undefined. */
export async function checkAnswer(baseUrl: string, body: string, stream: boolean): Promise<string | undefined> {
  try {
    const res = await fetch(`${baseUrl}/chat/completions`, { method: 'POST', headers: BENCH_HEADERS, body });
    const text = await res.text();
    if (res.status !== 200) return `HTTP ${res.status}: ${text.slice(0, 200)}`;
    if (stream && !(text.includes('"usage"') && text.trimEnd().endsWith('data: [DONE]'))) return `stream without usage or [DONE]: …${text.slice(-200)}`;
    if (!stream && !text.includes('"choices"')) return `not a chat completion: ${text.slice(0, 200)}`;
    return undefined;
  } catch (err) {
    return `request failed: ${(err as Error).message}`;
  }
}

/** What the paced stream run saw. Times in seconds from the first request. */
export interface StreamsResult {
  streams: number;
  /** Streams that ended with `data: [DONE]` and every content chunk. */
  intact: number;
  failed: number;
  /** Most streams that had their first chunk and had not ended, at one moment. */
  peakOpen: number;
  /** When the last stream received its first chunk: near 0 when none waited for a connection. */
  lastFirstChunkS: number;
  /** When the last stream ended. */
  lastEndS: number;
  /** A few reasons streams failed, with counts. */
  problems: Record<string, number>;
}

/**
 * Opens `count` streaming requests (ramped over `rampMs`, so the listen backlog is never the bottleneck)
 * and keeps all of them until their paced answers end. Each connection carries one stream.
 */
export async function runPacedStreams(baseUrl: string, body: string, count: number, rampMs: number, expectChunks: number): Promise<StreamsResult> {
  const url = new URL(`${baseUrl}/chat/completions`);
  const started = performance.now();
  let open = 0;
  let peakOpen = 0;
  let lastFirst = 0;
  let lastEnd = 0;
  let intact = 0;
  let failed = 0;
  const problems: Record<string, number> = {};
  const one = (): Promise<void> =>
    new Promise<void>((resolve) => {
      let firstSeen = false;
      let text = '';
      let done = false;
      const settle = (problem: string | undefined): void => {
        if (done) return;
        done = true;
        if (firstSeen) open--;
        lastEnd = Math.max(lastEnd, performance.now() - started);
        if (problem === undefined) intact++;
        else {
          failed++;
          problems[problem] = (problems[problem] ?? 0) + 1;
        }
        resolve();
      };
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...BENCH_HEADERS, 'content-length': Buffer.byteLength(body) }, agent: false },
        (res: IncomingMessage) => {
          res.setEncoding('utf8');
          res.on('data', (d: string) => {
            if (!firstSeen) {
              firstSeen = true;
              open++;
              peakOpen = Math.max(peakOpen, open);
              lastFirst = Math.max(lastFirst, performance.now() - started);
            }
            text += d;
          });
          res.on('end', () => {
            const chunks = text.split('"content":"').length - 1;
            if (res.statusCode !== 200) settle(`HTTP ${res.statusCode}`);
            else if (!text.trimEnd().endsWith('data: [DONE]')) settle('no [DONE]');
            else settle(chunks >= expectChunks ? undefined : 'chunks missing');
          });
          res.on('error', (err: NodeJS.ErrnoException) => settle(`response ${err.code ?? err.message}`));
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => settle(`request ${err.code ?? err.message}`));
      req.end(body);
    });
  const all: Promise<void>[] = [];
  const batches = Math.max(1, Math.round(rampMs / 50));
  const perBatch = Math.ceil(count / batches);
  for (let sent = 0; sent < count; sent += perBatch) {
    for (let i = sent; i < Math.min(count, sent + perBatch); i++) all.push(one());
    await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.all(all);
  return { streams: count, intact, failed, problems, peakOpen, lastFirstChunkS: lastFirst / 1000, lastEndS: lastEnd / 1000 };
}
