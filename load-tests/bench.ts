/**
 * `npm run bench`: the gateway against a bare undici pass-through proxy (the floor), both in front of the
 * same scripted mock upstream, in the same run. Prints req/s, p50, p99 and the gateway/floor ratios.
 * Flags: --duration S (per measured run, default 5), --quick (2 s runs, short warm-ups),
 *        --targets=floor,gateway   --scenarios=a,b,c   --rebuild (build gateway/dist even if present)
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { checkAnswer, runAutocannon, runSerial, type LoadResult } from './bench-load.js';
import { ensureGatewayBuilt, killAllChildren, spawnBenchServer, startGateway, type Running } from './bench-processes.js';

type Mode = 'json' | 'stream';
interface Scenario {
  id: 'a' | 'b' | 'c';
  label: string;
  upstream: 'instant' | 'slow';
  connections: number;
}
interface TargetKind {
  name: 'floor' | 'gateway';
  start(upstream: Running): Promise<Running>;
}
interface Row {
  scenario: Scenario;
  mode: Mode;
  target: string;
  result?: LoadResult;
  problem?: string;
}

const SCENARIOS: Scenario[] = [
  { id: 'a', label: '(a) 64 conns, instant upstream', upstream: 'instant', connections: 64 },
  { id: 'b', label: '(b) 1 conn, instant upstream', upstream: 'instant', connections: 1 },
  { id: 'c', label: '(c) 256 conns, 50 ms upstream', upstream: 'slow', connections: 256 },
];

const TARGETS: TargetKind[] = [
  { name: 'floor', start: (up) => spawnBenchServer(['floor', '--upstream', new URL(up.url).origin]) },
  { name: 'gateway', start: (up) => startGateway(up.url) },
];

const USER_PROMPT =
  'In src/cart/total.ts the function sumPrices(items) sometimes returns NaN for carts that look fine in the UI. ' +
  'It loops with `for (let i = 0; i <= items.length; i++) total += items[i].price * items[i].qty;` and is called ' +
  'from checkout and from the order summary. Find the bug, explain it in two sentences, and show the corrected ' +
  'loop. Keep the function signature unchanged, do not add dependencies, and add one unit test with vitest that ' +
  'would have caught it. Answer briefly; the reviewer only needs the diff and the reason.';

function chatBody(stream: boolean): string {
  return JSON.stringify({
    model: 'bench-model',
    max_tokens: 256,
    messages: [
      { role: 'system', content: 'You are a careful senior TypeScript engineer. Answer with minimal diffs.' },
      { role: 'user', content: USER_PROMPT },
    ],
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    duration: { type: 'string' },
    quick: { type: 'boolean' },
    rebuild: { type: 'boolean' },
    targets: { type: 'string' },
    scenarios: { type: 'string' },
  },
});
// `npm run bench -- --quick` from the repo root reaches the nested workspace script as npm config (npm_config_*).
const npmFlag = (name: string): string | undefined => {
  const v = process.env[`npm_config_${name}`];
  return v && v !== 'true' ? v : undefined;
};
const quick = values.quick ?? process.env.npm_config_quick === 'true';
const seconds = Number(values.duration ?? npmFlag('duration') ?? (quick ? 2 : 5));
const warmSeconds = quick ? 0.5 : 1;
const targetNames = (values.targets ?? npmFlag('targets') ?? 'floor,gateway').split(',');
const targets = TARGETS.filter((t) => targetNames.includes(t.name));
const scenarios = SCENARIOS.filter((s) => (values.scenarios ?? npmFlag('scenarios') ?? 'a,b,c').split(',').includes(s.id));
if (positionals.length > 0) process.stderr.write(`bench: ignoring ${positionals.join(' ')} (write flags as --name=value)\n`);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

function measure(s: Scenario, url: string, body: string, secs: number): Promise<LoadResult> {
  return s.connections === 1 ? runSerial(url, body, secs) : runAutocannon(url, body, s.connections, secs);
}

/** Starts each target in front of `upstream`; a target that cannot start is reported, not fatal. */
async function startTargets(upstream: Running, skipped: Map<string, string>): Promise<Map<string, Running>> {
  const running = new Map<string, Running>();
  for (const t of targets) {
    if (skipped.has(t.name)) continue;
    try {
      const r = await t.start(upstream);
      for (const mode of ['json', 'stream'] as const) {
        const problem = await checkAnswer(r.url, chatBody(mode === 'stream'), mode === 'stream');
        if (problem) throw new Error(`${mode} answer is wrong: ${problem}`);
        await runAutocannon(r.url, chatBody(mode === 'stream'), 64, warmSeconds * 2); // JIT warm-up
      }
      running.set(t.name, r);
    } catch (err) {
      skipped.set(t.name, (err as Error).message);
      log(`${t.name}: skipped (${(err as Error).message})`);
    }
  }
  return running;
}

async function main(): Promise<void> {
  process.on('exit', killAllChildren);
  process.on('SIGINT', () => process.exit(130));
  const skipped = new Map<string, string>();
  if (targets.some((t) => t.name === 'gateway')) {
    const reason = ensureGatewayBuilt(values.rebuild ?? process.env.npm_config_rebuild === 'true');
    if (reason) skipped.set('gateway', reason);
  }
  log(`bench: ${cpus().length} CPUs, ${seconds} s per run, upstreams, floor and gateway each in a child process`);
  const busy = loadavg()[0]!;
  if (busy > 0.5) log(`bench: load average ${busy.toFixed(1)} before starting: something else is running, expect noisy numbers`);
  const rows: Row[] = [];
  for (const kind of ['instant', 'slow'] as const) {
    const group = scenarios.filter((s) => s.upstream === kind);
    if (group.length === 0) continue;
    const upstream = await spawnBenchServer(kind === 'slow' ? ['mock', '--think', '50'] : ['mock']);
    const running = await startTargets(upstream, skipped);
    for (const s of group) {
      for (const mode of ['json', 'stream'] as const) {
        const body = chatBody(mode === 'stream');
        for (const t of targets) {
          const r = running.get(t.name);
          if (!r) {
            rows.push({ scenario: s, mode, target: t.name, problem: skipped.get(t.name) ?? 'not running' });
            continue;
          }
          await measure(s, r.url, body, warmSeconds);
          const result = await measure(s, r.url, body, seconds);
          rows.push({ scenario: s, mode, target: t.name, result });
          log(`${s.label} ${mode} ${t.name}: ${fmtRps(result.rps)} req/s, p50 ${fmtMs(s, result.p50)} ms, p99 ${fmtMs(s, result.p99)} ms`);
        }
      }
    }
    for (const r of running.values()) await r.stop();
    await upstream.stop();
  }
  printTable(rows);
  printRatios(rows);
}

const fmtRps = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtMs = (s: Scenario, ms: number): string => (s.connections === 1 ? ms.toFixed(3) : ms.toFixed(1));
const pad = (cells: string[], widths: number[]): string => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');

function printTable(rows: Row[]): void {
  const header = ['scenario', 'mode', 'target', 'req/s', 'p50 ms', 'p99 ms', 'errors/non-2xx'];
  const lines = rows.map((r) =>
    r.result
      ? [r.scenario.label, r.mode, r.target, fmtRps(r.result.rps), fmtMs(r.scenario, r.result.p50), fmtMs(r.scenario, r.result.p99), `${r.result.errors}/${r.result.non2xx}`]
      : [r.scenario.label, r.mode, r.target, 'n/a', '', '', ''],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  console.log(`\n${pad(header, widths)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const l of lines) console.log(pad(l, widths));
}

function printRatios(rows: Row[]): void {
  const find = (s: Scenario, mode: Mode, target: string): LoadResult | undefined =>
    rows.find((r) => r.scenario === s && r.mode === mode && r.target === target)?.result;
  console.log('\ngateway vs floor');
  for (const s of scenarios) {
    for (const mode of ['json', 'stream'] as const) {
      const floor = find(s, mode, 'floor');
      const gw = find(s, mode, 'gateway');
      if (!floor || !gw) {
        console.log(`  ${s.label.padEnd(32)} ${mode.padEnd(6)}  n/a (${skipped(rows, 'gateway') ?? 'floor or gateway not measured'})`);
        continue;
      }
      const dirty = floor.errors + floor.non2xx + gw.errors + gw.non2xx > 0 ? '  (errors during the run!)' : '';
      if (s.id === 'b') {
        const added = (gw.p50 - floor.p50) * 1000;
        console.log(`  ${s.label.padEnd(32)} ${mode.padEnd(6)}  added p50 ${added.toFixed(0).padStart(6)} µs   target ≤ 150 µs  ${added <= 150 ? 'ok' : 'MISSED'}${dirty}`);
      } else {
        const ratio = (gw.rps / floor.rps) * 100;
        const min = s.id === 'a' ? 60 : 90;
        console.log(`  ${s.label.padEnd(32)} ${mode.padEnd(6)}  throughput ${ratio.toFixed(1).padStart(5)} %   target ≥ ${min} %    ${ratio >= min ? 'ok' : 'MISSED'}${dirty}`);
      }
    }
  }
}

function skipped(rows: Row[], target: string): string | undefined {
  return rows.find((r) => r.target === target && r.problem)?.problem;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
