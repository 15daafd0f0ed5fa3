/** Load generators: wrk when it is installed (a Lua script mixes plain and streamed bodies), else an undici loop. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { isStreamed } from './scenarios.js';

/** One measured stage against one target. Latencies in milliseconds. */
export interface StageResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Answers with a status other than 2xx. */
  non2xx: number;
}

export interface LoadSpec {
  /** Full URL of the chat completions endpoint. */
  url: string;
  bodies: { plain: string; stream: string };
  streamShare: number;
  connections: number;
  seconds: number;
  headers: Record<string, string>;
}

/** `wrk`'s version line when it is on the PATH. */
export function wrkVersion(): string | undefined {
  const res = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (res.error) return undefined;
  return (res.stdout + res.stderr).trim().split(/\s+/).slice(0, 2).join(' ') || 'wrk';
}

const luaString = (s: string) => `[==[${s}]==]`;

function wrkScript(spec: LoadSpec): string {
  const headers = Object.entries(spec.headers).map(([k, v]) => `[ ${luaString(k)} ] = ${luaString(v)}`).join(', ');
  return `
local plain = ${luaString(spec.bodies.plain)}
local stream = ${luaString(spec.bodies.stream)}
local share = ${spec.streamShare}
local headers = { ${headers} }
local n = 0
request = function()
  n = n + 1
  local streamed = math.floor(n * share) > math.floor((n - 1) * share)
  return wrk.format("POST", nil, headers, streamed and stream or plain)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\n{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p95":%d,"p99":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
`;
}

/** Runs wrk (one thread, `connections` keep-alive connections) and reads the JSON line its Lua `done` prints. */
export async function runWrk(spec: LoadSpec): Promise<StageResult> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-wrk-'));
  const script = join(dir, 'load.lua');
  writeFileSync(script, wrkScript(spec));
  const args = ['-t', '1', '-c', String(spec.connections), '-d', `${spec.seconds}s`, '--timeout', '60s', '-s', script, spec.url];
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (b: Buffer) => (text += b.toString()));
    child.stderr.on('data', (b: Buffer) => (text += b.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}: ${text}`))));
  });
  const line = out.split('\n').find((l) => l.startsWith('{"requests"'));
  if (!line) throw new Error(`no summary from wrk:\n${out}`);
  const r = JSON.parse(line) as Record<string, number>;
  const seconds = r.duration_us! / 1e6;
  return {
    requests: r.requests!,
    seconds,
    rps: r.requests! / seconds,
    p50: r.p50! / 1000,
    p95: r.p95! / 1000,
    p99: r.p99! / 1000,
    errors: r.connect! + r.read! + r.write! + r.timeout!,
    // wrk counts answers with a status of 400 and above
    non2xx: r.status!,
  };
}

/** The fallback without wrk: `connections` clients on an undici pool, each request timed with hrtime. */
export async function runUndici(spec: LoadSpec): Promise<StageResult> {
  const url = new URL(spec.url);
  const pool = new Pool(url.origin, { connections: spec.connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 60_000, bodyTimeout: 60_000 });
  const samples: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let n = 0;
  const started = performance.now();
  const deadline = started + spec.seconds * 1000;
  const client = async () => {
    while (performance.now() < deadline) {
      const body = isStreamed(++n, spec.streamShare) ? spec.bodies.stream : spec.bodies.plain;
      const t0 = process.hrtime.bigint();
      try {
        const res = await pool.request({ path: url.pathname, method: 'POST', headers: spec.headers, body });
        await res.body.arrayBuffer();
        if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
        samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch {
        errors++;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: spec.connections }, client));
  } finally {
    await pool.close();
  }
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? Number.NaN;
  return { requests: samples.length + errors, seconds, rps: samples.length / seconds, p50: at(0.5), p95: at(0.95), p99: at(0.99), errors, non2xx };
}
