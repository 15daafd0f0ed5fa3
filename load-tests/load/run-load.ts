/**
 * `npm run load -- <scenario> [flags]`: runs one scenario of load-tests/scenarios.json and prints, per stage,
 * throughput, p50/p95/p99, errors, the gateway's RSS and the latency it adds over the floor proxy measured in
 * the same run. See load-tests/README.md.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runUndici, runWrk, wrkVersion, type LoadSpec, type StageResult } from './drive-load.js';
import { sampleRss, type RssSummary } from './sample-rss.js';
import { readScenarios, requestBodies, type Scenario } from './scenarios.js';
import { killStack, REPO_ROOT, startFloor, startGateway, startUpstream } from './stack.js';

const HELP = `Usage: npm run load -- <scenario> [--url URL [--model NAME] [--key KEY] [--pid PID]] [--floor-seconds N] [--driver wrk|undici] [--scenarios FILE] [--json]

Scenarios are defined in load-tests/scenarios.json (smoke, steady, spike, streaming, soak).
Without --url the runner starts a mock upstream, the floor proxy and the gateway (gateway/dist) itself and
measures the floor and the gateway stage by stage. With --url it loads that running gateway only (its RSS
when --pid is given).

  --floor-seconds N   seconds of each stage measured on the floor (default: the stage's, at most 15)
  --driver            load generator (default: wrk when installed, else undici)
  --scenarios FILE    another scenario file of the same shape
  --json              print the results as JSON too
`;

interface TargetRun {
  target: 'floor' | 'gateway';
  stage: number;
  connections: number;
  result: StageResult;
  rss?: RssSummary;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      model: { type: 'string' },
      key: { type: 'string' },
      pid: { type: 'string' },
      'floor-seconds': { type: 'string' },
      driver: { type: 'string' },
      scenarios: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const file = readScenarios(values.scenarios ?? join(REPO_ROOT, 'load-tests/scenarios.json'));
  const name = positionals[0];
  if (values.help || !name) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const scenario = file.scenarios[name];
  if (!scenario) {
    process.stderr.write(`unknown scenario '${name}': one of ${Object.keys(file.scenarios).join(', ')}\n`);
    return 2;
  }
  const driverName = values.driver ?? (wrkVersion() ? 'wrk' : 'undici');
  if (driverName !== 'wrk' && driverName !== 'undici') throw new Error(`--driver must be wrk or undici, got '${driverName}'`);
  if (driverName === 'wrk' && !wrkVersion()) throw new Error('--driver wrk: wrk is not installed (apt-get install wrk)');
  const drive = driverName === 'wrk' ? runWrk : runUndici;
  const floorSeconds = values['floor-seconds'] === undefined ? 15 : Number(values['floor-seconds']);
  if (!Number.isInteger(floorSeconds) || floorSeconds < 1) throw new Error(`--floor-seconds must be a whole number of seconds >= 1, got '${values['floor-seconds']}'`);
  const model = values.model ?? file.request.model;
  const bodies = requestBodies(file.request, model);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(values.key ? { authorization: `Bearer ${values.key}` } : {}) };

  const total = scenario.stages.reduce((s, x) => s + x.seconds, 0);
  process.stdout.write(
    `scenario ${name}: ${scenario.description}\n` +
      `  ${scenario.stages.map((s) => `${s.seconds} s × ${s.connections}`).join(', ')}; ${Math.round(scenario.stream_share * 100)} % streamed; ` +
      `load generator: ${driverName === 'wrk' ? wrkVersion() : 'undici (wrk not installed)'}\n`,
  );

  const targets: Array<{ target: TargetRun['target']; url: string; pid?: number; seconds: (s: number) => number }> = [];
  const stops: Array<() => Promise<void>> = [];
  try {
    if (values.url) {
      targets.push({ target: 'gateway', url: values.url.replace(/\/+$/, '').replace(/(\/v1)?$/, '/v1'), pid: values.pid ? Number(values.pid) : undefined, seconds: (s) => s });
    } else {
      process.stdout.write(`  upstream: the test suite's mock, ${scenario.upstream_think_ms} ms before each answer; gateway: gateway/dist; ${total} s on the gateway\n`);
      const upstream = await startUpstream(scenario.upstream_think_ms);
      stops.push(upstream.stop);
      const [floor, gateway] = await Promise.all([startFloor(upstream.url), startGateway(upstream.url, model)]);
      stops.push(floor.stop, gateway.stop);
      targets.push({ target: 'floor', url: floor.url, seconds: (s) => Math.min(s, floorSeconds) });
      targets.push({ target: 'gateway', url: gateway.url, pid: gateway.pid, seconds: (s) => s });
    }
    for (const t of targets) {
      const problem = await checkAnswers(t.url, bodies, headers);
      if (problem) throw new Error(`${t.target} at ${t.url} does not answer correctly: ${problem}`);
      // warm-up: JIT and connection pools
      await drive(spec(t.url, scenario, bodies, headers, Math.min(8, scenario.stages[0]!.connections), 2));
    }

    const runs: TargetRun[] = [];
    for (const [i, stage] of scenario.stages.entries()) {
      for (const t of targets) {
        const rss = t.pid === undefined ? undefined : sampleRss(t.pid);
        const result = await drive(spec(t.url, scenario, bodies, headers, stage.connections, t.seconds(stage.seconds)));
        runs.push({ target: t.target, stage: i + 1, connections: stage.connections, result, ...(rss ? { rss: rss.stop() } : {}) });
      }
    }
    process.stdout.write(report(runs));
    if (values.json) process.stdout.write(JSON.stringify({ scenario: name, driver: driverName, date: new Date().toISOString(), runs }, null, 2) + '\n');
    return runs.some((r) => r.result.errors + r.result.non2xx > 0) ? 1 : 0;
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

function spec(base: string, scenario: Scenario, bodies: LoadSpec['bodies'], headers: Record<string, string>, connections: number, seconds: number): LoadSpec {
  return { url: `${base}/chat/completions`, bodies, streamShare: scenario.stream_share, connections, seconds, headers };
}

/** One plain and one streamed answer, checked before loading a target; a problem or undefined. */
async function checkAnswers(base: string, bodies: LoadSpec['bodies'], headers: Record<string, string>): Promise<string | undefined> {
  for (const [kind, body] of Object.entries(bodies)) {
    const res = await fetch(`${base}/chat/completions`, { method: 'POST', headers, body }).catch((err: Error) => err);
    if (res instanceof Error) return `${kind}: ${res.message}`;
    const text = await res.text();
    if (res.status !== 200) return `${kind}: HTTP ${res.status} ${text.slice(0, 200)}`;
    if (kind === 'stream' && !text.trimEnd().endsWith('data: [DONE]')) return `stream without [DONE]: …${text.slice(-120)}`;
    if (kind === 'plain' && !text.includes('"choices"')) return `not a chat completion: ${text.slice(0, 120)}`;
  }
  return undefined;
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
const signed = (x: number) => (x >= 0 ? `+${ms(x)}` : ms(x));
const pad = (s: string | number, n: number) => String(s).padStart(n);

function report(runs: TargetRun[]): string {
  const lines = [
    '',
    `${'stage'.padEnd(6)}${'target'.padEnd(9)}${pad('conns', 6)}${pad('secs', 6)}${pad('req/s', 10)}${pad('p50 ms', 9)}${pad('p95 ms', 9)}${pad('p99 ms', 9)}${pad('errors', 8)}${pad('non-2xx', 9)}  RSS MB start / max / end`,
  ];
  for (const r of runs) {
    const rss = r.rss ? `${r.rss.startMb.toFixed(0)} / ${r.rss.maxMb.toFixed(0)} / ${r.rss.endMb.toFixed(0)}` : '';
    lines.push(
      `${String(r.stage).padEnd(6)}${r.target.padEnd(9)}${pad(r.connections, 6)}${pad(r.result.seconds.toFixed(0), 6)}${pad(r.result.rps.toFixed(0), 10)}${pad(ms(r.result.p50), 9)}${pad(ms(r.result.p95), 9)}${pad(ms(r.result.p99), 9)}${pad(r.result.errors, 8)}${pad(r.result.non2xx, 9)}  ${rss}`,
    );
  }
  const stages = [...new Set(runs.map((r) => r.stage))];
  const added = stages
    .map((s) => [runs.find((r) => r.stage === s && r.target === 'floor'), runs.find((r) => r.stage === s && r.target === 'gateway')] as const)
    .filter(([f, g]) => f && g)
    .map(([f, g], i) => `  stage ${stages[i]}: p50 ${signed(g!.result.p50 - f!.result.p50)} ms, p95 ${signed(g!.result.p95 - f!.result.p95)} ms, p99 ${signed(g!.result.p99 - f!.result.p99)} ms; throughput ${((100 * g!.result.rps) / f!.result.rps).toFixed(0)} % of the floor's`);
  if (added.length > 0) lines.push('', 'gateway added latency over the floor proxy (same run):', ...added);
  for (const r of runs.filter((x) => (x.rss?.everyMinuteMb.length ?? 0) > 1)) lines.push(`gateway RSS each minute of stage ${r.stage} (MB): ${r.rss!.everyMinuteMb.join(', ')}`);
  const failed = runs.filter((r) => r.result.errors + r.result.non2xx > 0);
  lines.push('', failed.length === 0 ? 'errors: none' : `errors: ${failed.map((r) => `stage ${r.stage} ${r.target}: ${r.result.errors} connection errors, ${r.result.non2xx} non-2xx`).join('; ')}`, '');
  return lines.join('\n');
}

const interrupt = () => {
  killStack();
  process.exit(130);
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);
main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`load: ${err instanceof Error ? err.message : String(err)}\n`);
    killStack();
    process.exit(1);
  },
);
