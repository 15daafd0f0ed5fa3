/**
 * `npm run bench`: the gateway (a plain and a full config) against a bare undici pass-through proxy (the
 * floor), all in front of the same scripted mock upstream, interleaved in one run. Prints req/s, latency,
 * CPU per request and RSS, and the gateway/floor ratios against the goals (load-tests/README.md).
 * Flags: --duration=S (per measured run, default 3)  --repeat=N (rounds, default 2)  --quick  --long
 *        --targets=floor,plain,full  --scenarios=a,b,c,d,s  --streams=N (default 2000)  --rebuild  --record
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkAnswer, runAutocannon, runPacedStreams, runSerial, runWrk, wrkInstalled, type LoadResult, type StreamsResult } from './bench-load.js';
import { chatBody } from './bench-bodies.js';
import { cpuMs, ensureGatewayBuilt, killAllChildren, rssMb, spawnBenchServer, spawnFloor, startGateway, type GatewayConfigKind, type Running } from './bench-processes.js';

type Mode = 'json' | 'stream';
type TargetName = 'floor' | GatewayConfigKind;
interface Scenario {
  id: 'a' | 'b' | 'c' | 'd';
  label: string;
  upstream: 'instant' | 'slow';
  connections: number;
  /** `agent`: the size of what a coding agent sends (system prompt, tool schemas, history), about 60 KB. */
  prompt?: 'agent';
}
interface Measured {
  result: LoadResult;
  /** CPU time of the server process per completed request, µs. */
  cpuUs: number;
}

const SCENARIOS: Scenario[] = [
  { id: 'a', label: '(a) 64 conns, instant upstream', upstream: 'instant', connections: 64 },
  { id: 'b', label: '(b) 1 conn, instant upstream', upstream: 'instant', connections: 1 },
  { id: 'c', label: '(c) 256 conns, 50 ms upstream', upstream: 'slow', connections: 256 },
  { id: 'd', label: '(d) 16 conns, 60 KB agent prompt', upstream: 'instant', connections: 16, prompt: 'agent' },
];
const TARGET_LABEL: Record<TargetName, string> = { floor: 'floor', plain: 'gateway plain', full: 'gateway full' };
const GOAL = { a: 0.6, aStretch: 0.75, bAddedUs: 150, c: 0.9, restMb: 70, streamsMb: 150 };
/** Paced upstream: 15 content chunks one `PACE_MS` apart (bench-server.ts), so each stream lasts about 18 s. */
const PACE_MS = 1000;
const PACED_CONTENT_CHUNKS = 15;
/** Streams are opened over this long, so that a listen backlog never overflows: all are open long before the first ends. */
const RAMP_MS = 3000;
/** How long each target idles before its resting RSS is read: past V8's memory-reducing collections. */
const IDLE_MS = 20_000;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    duration: { type: 'string' },
    repeat: { type: 'string' },
    streams: { type: 'string' },
    quick: { type: 'boolean' },
    long: { type: 'boolean' },
    rebuild: { type: 'boolean' },
    record: { type: 'boolean' },
    targets: { type: 'string' },
    scenarios: { type: 'string' },
    loader: { type: 'string' },
  },
});
// `npm run bench -- --quick` from the repo root reaches the nested workspace script as npm config (npm_config_*).
const npmFlag = (name: string): string | undefined => {
  const v = process.env[`npm_config_${name}`];
  return v && v !== 'true' ? v : undefined;
};
const npmBool = (name: string): boolean => process.env[`npm_config_${name}`] === 'true';
const quick = values.quick ?? npmBool('quick');
const long = values.long ?? npmBool('long');
const seconds = Math.max(1, Number(values.duration ?? npmFlag('duration') ?? (quick ? 1 : long ? 10 : 3)));
const rounds = Math.max(1, Number(values.repeat ?? npmFlag('repeat') ?? (quick ? 1 : long ? 3 : 2)));
const streamCount = Math.max(1, Number(values.streams ?? npmFlag('streams') ?? (quick ? 500 : 2000)));
const record = values.record ?? npmBool('record');
const targetNames = (values.targets ?? npmFlag('targets') ?? 'floor,plain,full').split(',').map((t) => (t === 'gateway' ? 'plain' : t)) as TargetName[];
const scenarioIds = (values.scenarios ?? npmFlag('scenarios') ?? 'a,b,c,d,s').split(',');
const scenarios = SCENARIOS.filter((s) => scenarioIds.includes(s.id));
const loader = (values.loader ?? npmFlag('loader') ?? (wrkInstalled() ? 'wrk' : 'autocannon')) as 'wrk' | 'autocannon';
if (positionals.length > 0) process.stderr.write(`bench: ignoring ${positionals.join(' ')} (write flags as --name=value)\n`);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

function measureLoad(s: Scenario, url: string, body: string, secs: number): Promise<LoadResult> {
  if (loader === 'wrk') return runWrk(url, body, s.connections, secs);
  return s.connections === 1 ? runSerial(url, body, secs) : runAutocannon(url, body, s.connections, secs);
}

async function measure(s: Scenario, r: Running, body: string, secs: number): Promise<Measured> {
  const cpu0 = cpuMs(r.pid);
  const result = await measureLoad(s, r.url, body, secs);
  const cpuUs = ((cpuMs(r.pid) - cpu0) * 1000) / Math.max(1, result.requests);
  return { result, cpuUs };
}

function startTarget(name: TargetName, upstream: Running): Promise<Running> {
  return name === 'floor' ? spawnFloor(new URL(upstream.url).origin) : startGateway(upstream.url, name);
}

/** Starts each target in front of `upstream` and checks one answer of each kind; a target that cannot start is reported, not fatal. */
async function startTargets(upstream: Running, skipped: Map<TargetName, string>): Promise<Map<TargetName, Running>> {
  const running = new Map<TargetName, Running>();
  for (const name of targetNames) {
    if (skipped.has(name)) continue;
    try {
      const r = await startTarget(name, upstream);
      running.set(name, r);
      for (const stream of [false, true]) {
        const problem = await checkAnswer(r.url, chatBody(name, stream), stream);
        if (problem) throw new Error(`${stream ? 'stream' : 'json'} answer is wrong: ${problem}`);
      }
    } catch (err) {
      await running.get(name)?.stop();
      running.delete(name);
      skipped.set(name, (err as Error).message);
      log(`${name}: skipped (${(err as Error).message})`);
    }
  }
  return running;
}

/** results[scenario][mode][target] = one Measured per round. */
type Results = Map<string, Measured[]>;
const key = (s: Scenario, mode: Mode, t: TargetName): string => `${s.id}|${mode}|${t}`;

interface RssRow {
  target: TargetName;
  restMb: number;
  idleMb: number;
  peakMb: number;
  streams: StreamsResult;
}

async function main(): Promise<void> {
  process.on('exit', killAllChildren);
  process.on('SIGINT', () => process.exit(130));
  const skipped = new Map<TargetName, string>();
  if (targetNames.some((t) => t !== 'floor')) {
    const reason = ensureGatewayBuilt(values.rebuild ?? npmBool('rebuild'));
    if (reason) for (const t of ['plain', 'full'] as const) skipped.set(t, reason);
  }
  const load0 = loadavg()[0]!;
  log(`bench: ${cpus().length} CPUs, load generator ${loader}, ${seconds} s per run, ${rounds} round(s), targets ${targetNames.join(', ')}`);
  if (load0 > 0.5) log(`bench: load average ${load0.toFixed(1)} before starting: something else is running, expect noisy numbers`);
  const started = Date.now();
  const results: Results = new Map();
  const restRss = new Map<TargetName, number>();
  for (const kind of ['instant', 'slow'] as const) {
    const group = scenarios.filter((s) => s.upstream === kind);
    if (group.length === 0) continue;
    const upstream = await spawnBenchServer(kind === 'slow' ? ['mock', '--think', '50'] : ['mock']);
    const running = await startTargets(upstream, skipped);
    for (const [name, r] of running) if (!restRss.has(name)) restRss.set(name, rssMb(r.pid));
    for (let round = 0; round < rounds; round++) {
      for (const s of group) {
        for (const mode of ['json', 'stream'] as const) {
          for (const [name, r] of running) {
            const body = chatBody(name, mode === 'stream', s.prompt);
            // Warm-up in the first round: JIT, the target's upstream pool at this concurrency.
            if (round === 0) await measureLoad(s, r.url, body, quick ? 1 : 2);
            const m = await measure(s, r, body, seconds);
            const list = results.get(key(s, mode, name)) ?? [];
            list.push(m);
            results.set(key(s, mode, name), list);
            const { result: x } = m;
            const errs = x.errors + x.non2xx > 0 ? `  errors ${x.errors}, non-2xx ${x.non2xx}` : '';
            log(`[${round + 1}/${rounds}] ${s.label} ${mode.padEnd(6)} ${TARGET_LABEL[name].padEnd(13)} ${fmtInt(x.rps).padStart(7)} req/s  p50 ${fmtMs(x.p50)}  p99 ${fmtMs(x.p99)}  cpu ${fmtInt(m.cpuUs)} µs/req${errs}`);
          }
        }
      }
    }
    for (const r of running.values()) await r.stop();
    await upstream.stop();
  }

  const rss: RssRow[] = [];
  if (scenarioIds.includes('s')) {
    const upstream = await spawnBenchServer(['mock', '--pace', String(PACE_MS)]);
    for (const name of targetNames) {
      if (skipped.has(name)) continue;
      let r: Running | undefined;
      try {
        r = await startTarget(name, upstream);
        await new Promise((res) => setTimeout(res, 500));
        const restMb = rssMb(r.pid);
        // V8 keeps the young generation that start-up grew until its memory reducer sees the process idle (a
        // collection about 8 s after the last activity, another about 9 s later): this is the RSS a gateway rests at.
        await new Promise((res) => setTimeout(res, IDLE_MS));
        const idleMb = rssMb(r.pid);
        let peakMb = idleMb;
        const sampler = setInterval(() => void (peakMb = Math.max(peakMb, rssMb(r!.pid))), 200);
        log(`streams: ${streamCount} paced streams through ${TARGET_LABEL[name]} (about ${Math.round(((PACED_CONTENT_CHUNKS + 3) * PACE_MS) / 1000)} s)…`);
        const streams = await runPacedStreams(r.url, chatBody(name, true), streamCount, RAMP_MS, PACED_CONTENT_CHUNKS);
        clearInterval(sampler);
        rss.push({ target: name, restMb, idleMb, peakMb, streams });
        const why = Object.entries(streams.problems).map(([p, n]) => `${n}× ${p}`).join(', ');
        log(`streams ${TARGET_LABEL[name]}: ${streams.intact}/${streams.streams} intact${why ? ` (${why})` : ''}, ${streams.peakOpen} open at once, last first chunk at ${streams.lastFirstChunkS.toFixed(1)} s, last end at ${streams.lastEndS.toFixed(1)} s, RSS ${fmtMb(restMb)} after start, ${fmtMb(idleMb)} idle → peak ${fmtMb(peakMb)} MB`);
      } catch (err) {
        log(`streams ${name}: failed (${(err as Error).message})`);
      } finally {
        await r?.stop();
      }
    }
    await upstream.stop();
  }

  const minutes = (Date.now() - started) / 60_000;
  const report = renderReport(results, restRss, rss, skipped, { load0, load1: loadavg()[0]!, minutes });
  console.log(`\n${report}`);
  if (record) {
    recordInReadme(report);
    log('bench: results recorded in load-tests/README.md');
  }
}

// ---------- report ----------

const fmtInt = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const fmtMs = (ms: number): string => (ms < 10 ? `${ms.toFixed(3)} ms` : `${ms.toFixed(1)} ms`);
const fmtMb = (mb: number): string => (Number.isFinite(mb) ? mb.toFixed(0) : 'n/a');
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** "0.62 (0.60–0.64)" over the rounds, or just the value for one round. */
const spread = (xs: number[], fmt: (n: number) => string): string =>
  xs.length > 1 ? `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})` : fmt(xs[0]!);

function renderReport(
  results: Results,
  restRss: Map<TargetName, number>,
  rss: RssRow[],
  skipped: Map<TargetName, string>,
  env: { load0: number; load1: number; minutes: number },
): string {
  const gateways = targetNames.filter((t): t is GatewayConfigKind => t !== 'floor');
  const lines: string[] = [];
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  lines.push(
    `Run ${date}: ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ` +
      `${loader}, ${seconds} s × ${rounds} round(s) per cell, load average ${env.load0.toFixed(1)} before / ${env.load1.toFixed(1)} after, ${env.minutes.toFixed(1)} min.`,
    'Ratios are gateway/floor within each round; a cell shows the median over rounds and (min–max).',
    '',
  );
  const header = ['scenario', 'mode', 'floor', ...gateways.map((g) => TARGET_LABEL[g]), 'goal'];
  if (results.size > 0) lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
  let dirty = false;
  for (const s of results.size > 0 ? scenarios : []) {
    for (const mode of ['json', 'stream'] as const) {
      const floor = results.get(key(s, mode, 'floor'));
      const cells = [s.label, mode];
      cells.push(floor ? (s.id === 'b' ? `p50 ${spread(floor.map((m) => m.result.p50 * 1000), fmtInt)} µs` : `${spread(floor.map((m) => m.result.rps), fmtInt)} req/s`) : 'n/a');
      for (const g of gateways) {
        const gw = results.get(key(s, mode, g));
        if (!gw) {
          cells.push(`n/a${skipped.has(g) ? ' (skipped)' : ''}`);
          continue;
        }
        if (!floor) {
          cells.push(s.id === 'b' ? `p50 ${spread(gw.map((m) => m.result.p50 * 1000), fmtInt)} µs` : `${spread(gw.map((m) => m.result.rps), fmtInt)} req/s`);
          continue;
        }
        const n = Math.min(floor.length, gw.length);
        const idx = [...Array(n).keys()];
        if (s.id === 'b') {
          const added = idx.map((i) => (gw[i]!.result.p50 - floor[i]!.result.p50) * 1000);
          const ok = median(added) <= GOAL.bAddedUs;
          cells.push(`+${spread(added, fmtInt)} µs ${ok ? 'ok' : 'MISSED'}`);
        } else {
          const ratio = idx.map((i) => gw[i]!.result.rps / floor[i]!.result.rps);
          const goal = s.id === 'a' ? GOAL.a : s.id === 'c' ? GOAL.c : undefined;
          const m = median(ratio);
          const verdict = goal === undefined ? '' : m >= goal ? ' ok' : ' MISSED';
          cells.push(`${fmtInt(median(gw.map((x) => x.result.rps)))} req/s, **${spread(ratio, (x) => x.toFixed(2))}**${verdict}`);
        }
      }
      cells.push(s.id === 'b' ? `added p50 ≤ ${GOAL.bAddedUs} µs` : s.id === 'a' ? `≥ ${GOAL.a} (stretch ${GOAL.aStretch})` : s.id === 'c' ? `≥ ${GOAL.c}` : 'none: shows what grows with the prompt');
      for (const t of targetNames) for (const m of results.get(key(s, mode, t)) ?? []) if (m.result.errors + m.result.non2xx > 0) dirty = true;
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  // CPU per request: what the server process itself spent (user + system), the most machine-independent cost.
  const cpuRows = scenarios.filter((s) => s.id !== 'b');
  if (cpuRows.length > 0 && results.size > 0) {
    lines.push('', `| CPU per request (µs, server process) | mode | ${targetNames.map((t) => TARGET_LABEL[t]).join(' | ')} |`, `|---|---|${targetNames.map(() => '---').join('|')}|`);
    for (const s of cpuRows) {
      for (const mode of ['json', 'stream'] as const) {
        const cells = targetNames.map((t) => {
          const ms = results.get(key(s, mode, t));
          return ms ? spread(ms.map((m) => m.cpuUs), fmtInt) : 'n/a';
        });
        lines.push(`| ${s.label} | ${mode} | ${cells.join(' | ')} |`);
      }
    }
  }
  if (restRss.size > 0 || rss.length > 0) {
    lines.push(
      '',
      `| memory (RSS, MB) | ${targetNames.map((t) => TARGET_LABEL[t]).join(' | ')} | goal |`,
      `|---|${targetNames.map(() => '---').join('|')}|---|`,
      `| just started, before load | ${targetNames.map((t) => fmtMb(rss.find((r) => r.target === t)?.restMb ?? restRss.get(t) ?? NaN)).join(' | ')} | |`,
    );
    if (rss.length > 0) {
      lines.push(`| at rest: idle ${IDLE_MS / 1000} s after start | ${targetNames.map((t) => fmtMb(rss.find((r) => r.target === t)?.idleMb ?? NaN)).join(' | ')} | ≤ ${GOAL.restMb} |`);
      lines.push(`| peak, ${streamCount} paced streams at once | ${targetNames.map((t) => fmtMb(rss.find((r) => r.target === t)?.peakMb ?? NaN)).join(' | ')} | ≤ ${GOAL.streamsMb} |`);
      const cell = (t: TargetName, f: (x: StreamsResult) => string): string => {
        const r = rss.find((x) => x.target === t);
        return r ? f(r.streams) : 'n/a';
      };
      lines.push(
        `| streams intact | ${targetNames.map((t) => cell(t, (x) => `${x.intact}/${x.streams}`)).join(' | ')} | all |`,
        `| streams open at once (peak) | ${targetNames.map((t) => cell(t, (x) => String(x.peakOpen))).join(' | ')} | all (${streamCount}) |`,
        `| last first chunk / last end (s) | ${targetNames.map((t) => cell(t, (x) => `${x.lastFirstChunkS.toFixed(1)} / ${x.lastEndS.toFixed(1)}`)).join(' | ')} | first chunks within the ramp (~1 s) |`,
      );
    }
  }
  if (dirty) lines.push('', '**Some runs had connection errors or non-2xx answers: their numbers mean little.**');
  for (const [t, why] of skipped) lines.push('', `${TARGET_LABEL[t]} skipped: ${why}`);
  if (env.load0 > 0.5) lines.push('', `The machine was busy before the run (load average ${env.load0.toFixed(1)}): expect noisy numbers.`);
  return lines.join('\n');
}

const README = join(dirname(fileURLToPath(import.meta.url)), 'README.md');
const RESULTS_HEADING = '## Results';

/** Adds the report under `## Results` in load-tests/README.md, newest first. */
function recordInReadme(report: string): void {
  const text = readFileSync(README, 'utf8');
  const entry = `### ${new Date().toISOString().slice(0, 10)}\n\n${report}\n`;
  const at = text.indexOf(`\n${RESULTS_HEADING}\n`);
  if (at < 0) {
    writeFileSync(README, `${text.trimEnd()}\n\n${RESULTS_HEADING}\n\nNewest first; \`npm run bench -- --record\` adds one.\n\n${entry}`);
    return;
  }
  const intro = text.indexOf('\n### ', at + 1);
  const insertAt = intro < 0 ? text.length : intro + 1;
  writeFileSync(README, `${text.slice(0, insertAt).trimEnd()}\n\n${entry}\n${text.slice(insertAt)}`.replace(/\n{3,}/g, '\n\n'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
