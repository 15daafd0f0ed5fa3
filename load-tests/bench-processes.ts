/** Starting and stopping the benchmark's servers, each in its own child process. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');
const gatewayDir = join(repoRoot, 'gateway');
// SWITCHYARD_BENCH_GATEWAY points at another build's main.js, e.g. to compare two commits.
const gatewayMain = process.env.SWITCHYARD_BENCH_GATEWAY ?? join(gatewayDir, 'dist/cli/main.js');
const serverScript = join(here, 'bench-server.ts');

/** A running server under test or upstream; `url` is the OpenAI base URL including /v1. */
export interface Running {
  url: string;
  /** The server's process id, for its CPU time and RSS. */
  pid: number;
  stop(): Promise<void>;
}

/** CPU time (user + system) a process has used so far, in ms; NaN where /proc is missing. */
export function cpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** Resident set size of a process in MB; NaN where /proc is missing. */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** How long a server may take to start: generous, as a busy machine slows start-up several times. */
const START_TIMEOUT_MS = 60_000;

const children = new Set<ChildProcess>();

/** Kills every child still running (exit and signal handlers call this). */
export function killAllChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

function track(child: ChildProcess): () => Promise<void> {
  children.add(child);
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  child.once('exit', () => children.delete(child));
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
}

/** Runs load-tests/bench-server.ts with `args` in a child (through tsx) and waits for its URL line. */
export function spawnBenchServer(args: string[]): Promise<Running> {
  return spawnServer(['--import', 'tsx', serverScript, ...args], `bench-server ${args.join(' ')}`);
}

/**
 * Starts the floor proxy (gateway/test/support/floor-proxy.ts) as plain JavaScript, transpiled into
 * load-tests/.floor, instead of through tsx: tsx's loader cost the floor about 12 MB of RSS and CPU per
 * request, which the gateway (run from dist) does not pay.
 */
export function spawnFloor(upstreamOrigin: string, wrap?: Wrapper): Promise<Running> {
  const dir = join(here, '.floor');
  mkdirSync(dir, { recursive: true });
  const source = readFileSync(join(gatewayDir, 'test/support/floor-proxy.ts'), 'utf8');
  const options = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 };
  writeFileSync(join(dir, 'floor-proxy.mjs'), ts.transpileModule(source, { compilerOptions: options }).outputText);
  writeFileSync(
    join(dir, 'floor-server.mjs'),
    `import { startFloorProxy } from './floor-proxy.mjs';
const server = await startFloorProxy(process.argv[2]);
const stop = () => void server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop).resume();
process.stdout.write(JSON.stringify({ url: server.url }) + '\\n');
`,
  );
  return spawnServer([join(dir, 'floor-server.mjs'), upstreamOrigin], 'floor proxy', wrap);
}

/** Spawns `node ...args` (under `wrap`) and waits for the one JSON line `{"url": …}` it prints once listening. */
async function spawnServer(args: string[], label: string, wrap?: Wrapper): Promise<Running> {
  const child = spawnNode(args, { cwd: gatewayDir, stdio: ['pipe', 'pipe', 'inherit'] }, wrap);
  const stop = track(child);
  const line = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${label} did not start within 60 s`)), START_TIMEOUT_MS);
    child.once('exit', (code) => rej(new Error(`${label} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      res(l);
    });
  });
  const { url } = JSON.parse(line) as { url: string };
  return { url: url.endsWith('/v1') ? url : `${url}/v1`, pid: child.pid!, stop };
}

/** Builds gateway/dist when it is missing (or always with `force`); returns why the gateway cannot run, if it cannot. */
export function ensureGatewayBuilt(force: boolean): string | undefined {
  if (existsSync(gatewayMain) && !force) return undefined;
  process.stderr.write('building the gateway: `npm run build -w gateway` …\n');
  const build = spawnSync('npm', ['run', 'build', '-w', 'gateway'], { cwd: repoRoot, encoding: 'utf8' });
  if (build.status !== 0) return `build failed: ${(build.stdout + build.stderr).trim().split('\n').slice(-3).join(' | ')}`;
  return existsSync(gatewayMain) ? undefined : 'build produced no dist/cli/main.js';
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((res) => srv.close(() => res()));
  return port;
}

/**
 * The gateway configs the bench measures. `plain`: one OpenAI-compatible provider and one model, defaults
 * otherwise (info logging, metrics). `full`: what a user runs on — a master key, three priced models behind a
 * router with the bundled coding-agents rules, a global budget (reserved and settled per request, spend
 * journaled) and per-key rate limits (concurrency, requests and tokens per minute), all far above the load so
 * nothing is refused. Clients ask `plain` for `bench-model` and `full` for the router `auto`.
 */
export type GatewayConfigKind = 'plain' | 'full';

export const MODEL_ASKED: Record<GatewayConfigKind, string> = { plain: 'bench-model', full: 'auto' };

function configYaml(kind: GatewayConfigKind, port: number, upstreamUrl: string): string {
  const head = [`server: { host: 127.0.0.1, port: ${port} }`, 'providers:', `  mock: { kind: openai-compatible, base_url: "${upstreamUrl}" }`];
  if (kind === 'plain') return [...head, 'models:', '  - { name: bench-model, provider: mock, model: bench-model }', ''].join('\n');
  return [
    ...head,
    'auth: { master_key: bench }',
    'store: { kind: memory, data_dir: ./.data }',
    'models:',
    '  - { name: bench-cheap, provider: mock, model: bench-model, tier: cheap, prices: { input: 0.15, output: 0.6 }, context_window: 128000 }',
    '  - { name: bench-standard, provider: mock, model: bench-model, tier: standard, prices: { input: 0.3, output: 1.2 }, context_window: 128000 }',
    '  - { name: bench-premium, provider: mock, model: bench-model, tier: premium, prices: { input: 3, output: 15 }, context_window: 200000 }',
    'routers:',
    '  auto:',
    '    rules: coding-agents',
    '    tiers: { cheap: [bench-cheap], standard: [bench-standard], premium: [bench-premium] }',
    'budgets:',
    '  global: { daily_usd: 1000000, monthly_usd: 10000000 }',
    'limits:',
    '  per_key: { rpm: 100000000, tpm: 1000000000000, max_concurrent: 100000 }',
    '',
  ].join('\n');
}

/** A command the server runs under (e.g. valgrind with its options), and node options for it. */
export interface Wrapper {
  command: string[];
  nodeArgs?: string[];
}

/** `node [nodeArgs] args`, or the same under the wrapper's command. */
function spawnNode(args: string[], opts: Parameters<typeof spawn>[2], wrap?: Wrapper): ChildProcess {
  const nodeArgs = [...(wrap?.nodeArgs ?? []), ...args];
  return wrap ? spawn(wrap.command[0]!, [...wrap.command.slice(1), process.execPath, ...nodeArgs], opts) : spawn(process.execPath, nodeArgs, opts);
}

/** Starts `switchyard serve` from gateway/dist with the `kind` config in front of `upstreamUrl`. */
export async function startGateway(upstreamUrl: string, kind: GatewayConfigKind, mainPath = gatewayMain, wrap?: Wrapper): Promise<Running> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  const config = join(dir, 'switchyard.yaml');
  writeFileSync(config, configYaml(kind, port, upstreamUrl));
  // Request logs go to /dev/null: the gateway still formats and writes them, as in production.
  const child = spawnNode([mainPath, 'serve', '--config', config, '--port', String(port)], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, SWITCHYARD_LOG_LEVEL: 'info' },
  }, wrap);
  const stop = track(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-2000)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}: ${stderr.trim()}`);
    try {
      await (await fetch(`${base}/health`)).arrayBuffer();
      return { url: `${base}/v1`, pid: child.pid!, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stop();
  throw new Error(`gateway did not listen on ${base} within 60 s: ${stderr.trim()}`);
}
