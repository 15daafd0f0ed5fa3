/**
 * Instructions per request, counted by valgrind's callgrind: the floor and the gateway configs, each run
 * under callgrind in front of the instant mock upstream, with requests sent one at a time.
 *
 *   npm run bench:instructions [-- --requests=300 --targets=floor,plain,full --modes=json,stream]
 *
 * Wall-clock numbers on a shared machine swing 2× between runs; instruction counts repeat within about 1 %
 * whatever else runs, so this is the measure to compare two commits' per-request CPU work (set
 * SWITCHYARD_BENCH_GATEWAY to another build's dist/cli/main.js). It counts user-space work only: syscalls,
 * which `npm run bench` includes, are not in it, and SIMD code counts one per instruction. Each target is
 * warmed up with as many requests as it is measured with, and V8 runs with --single-threaded, so no
 * background compiler or GC thread adds to the count while it is on.
 *
 * The optimizing compiler (TurboFan) and full (mark-compact) GCs are counted apart and left out of the
 * per-request figure. Under callgrind the compiler never settles: functions that requests create anew
 * (closures) lose their optimized code at each full GC when none is alive, which one request at a time makes
 * the rule, and are compiled again. That work was half the count and swung with anything that moved the GCs,
 * though a request's own path was unchanged. A full GC's marking lands in a 300-request window or not, and
 * moved a figure by up to 20 % between runs of one build.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chatBody } from './bench-bodies.js';
import { ensureGatewayBuilt, killAllChildren, spawnBenchServer, spawnFloor, startGateway, type Running, type Wrapper } from './bench-processes.js';

type Target = 'floor' | 'plain' | 'full';
type Mode = 'json' | 'stream';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '300' }, targets: { type: 'string', default: 'floor,plain,full' }, modes: { type: 'string', default: 'json,stream' } },
});
const requests = Number(values.requests);
const targets = values.targets.split(',') as Target[];
const modes = values.modes.split(',') as Mode[];

async function main(): Promise<void> {
  if (spawnSync('valgrind', ['--version']).status !== 0) throw new Error('valgrind is not installed (Debian: apt-get install valgrind)');
  const unbuilt = ensureGatewayBuilt(false);
  if (unbuilt) throw new Error(unbuilt);
  const upstream = await spawnBenchServer(['mock']);
  const counts = new Map<string, number>();
  try {
    for (const mode of modes) {
      for (const target of targets) {
        const { perRequest, compilerPerRequest, fullGcPerRequest } = await measure(target, mode, upstream);
        counts.set(`${target} ${mode}`, perRequest);
        const apart = `+ ${(compilerPerRequest / 1e6).toFixed(3)} M in the optimizing compiler, ${(fullGcPerRequest / 1e6).toFixed(3)} M in full GCs`;
        process.stderr.write(`${target} ${mode}: ${(perRequest / 1e6).toFixed(3)} M instructions per request (${apart})\n`);
      }
    }
  } finally {
    await upstream.stop();
  }
  const lines = [
    `Instructions per request outside the optimizing compiler and full GCs (valgrind callgrind, ${requests} requests after ${requests} warm-up, one at a time):`,
    '',
    `| mode | ${targets.join(' | ')} |`,
    `|---|${targets.map(() => '---').join('|')}|`,
    ...modes.map((mode) => {
      const floor = counts.get(`floor ${mode}`);
      const cells = targets.map((t) => {
        const n = counts.get(`${t} ${mode}`)!;
        return `${(n / 1e6).toFixed(2)} M${floor && t !== 'floor' ? ` (×${(n / floor).toFixed(2)})` : ''}`;
      });
      return `| ${mode} | ${cells.join(' | ')} |`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * Starts `target` under callgrind with instrumentation off, warms it up, counts `requests` requests, stops it;
 * returns the instructions per request outside the optimizing compiler and full GCs, and those inside each.
 */
async function measure(target: Target, mode: Mode, upstream: Running): Promise<{ perRequest: number; compilerPerRequest: number; fullGcPerRequest: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-callgrind-'));
  const wrap: Wrapper = {
    command: ['valgrind', '--tool=callgrind', '--instr-atstart=no', '--smc-check=all-non-file', `--callgrind-out-file=${join(dir, 'callgrind.out.%p')}`],
    nodeArgs: ['--single-threaded'],
  };
  const server = target === 'floor' ? await spawnFloor(new URL(upstream.url).origin, wrap) : await startGateway(upstream.url, target, undefined, wrap);
  try {
    const body = chatBody(target, mode === 'stream');
    await send(server.url, body, requests);
    callgrindControl('--instr=on', server.pid);
    await send(server.url, body, requests);
    callgrindControl('--instr=off', server.pid);
    callgrindControl('--dump', server.pid);
  } finally {
    await server.stop();
  }
  let total = 0;
  let compiler = 0;
  let fullGc = 0;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    const m = /^totals: (\d+)/m.exec(readFileSync(file, 'utf8'));
    if (!m) continue;
    total += Number(m[1]);
    const inclusive = inclusiveCosts(file);
    compiler += inclusive(OPTIMIZING_COMPILER_ENTRY);
    fullGc += FULL_GC_ENTRIES.reduce((sum, fn) => sum + inclusive(fn), 0);
  }
  if (total === 0) throw new Error(`callgrind recorded nothing for ${target} ${mode} (files in ${dir})`);
  return { perRequest: (total - compiler - fullGc) / requests, compilerPerRequest: compiler / requests, fullGcPerRequest: fullGc / requests };
}

/** V8's runtime entry for an optimizing compile; with --single-threaded the whole compile runs inside it. */
const OPTIMIZING_COMPILER_ENTRY = 'v8::internal::Runtime_CompileOptimized(';
/** A full GC: its incremental marking steps (run from allocations) and its final pause; they do not nest. */
const FULL_GC_ENTRIES = ['v8::internal::IncrementalMarking::Step(', 'v8::internal::MarkCompactCollector::CollectGarbage('];

/** The instructions spent in a function and everything it called, from callgrind_annotate's inclusive view. */
function inclusiveCosts(file: string): (fn: string) => number {
  const run = spawnSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`callgrind_annotate failed: ${run.stderr}`);
  const lines = run.stdout.split('\n');
  return (fn) => {
    const line = lines.find((l) => l.includes(fn));
    return line ? Number(line.trim().split(/\s+/)[0]!.replaceAll(',', '')) : 0;
  };
}

function callgrindControl(action: string, pid: number): void {
  const run = spawnSync('callgrind_control', [action, String(pid)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`callgrind_control ${action} failed: ${run.stderr || run.stdout}`);
}

/** Sends `n` requests one after another; any answer but a 200 stops the run. */
async function send(baseUrl: string, body: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench' }, body });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${baseUrl}: ${res.status} ${text.slice(0, 300)}`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    killAllChildren();
    process.stderr.write(`bench:instructions: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
