/** Starting and stopping the benchmark's servers, each in its own child process. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');
const gatewayDir = join(repoRoot, 'gateway');
// SWITCHYARD_BENCH_GATEWAY points at another build's main.js, e.g. to compare two commits.
const gatewayMain = process.env.SWITCHYARD_BENCH_GATEWAY ?? join(gatewayDir, 'dist/cli/main.js');
const serverScript = join(here, 'bench-server.ts');

/** A running server under test or upstream; `url` is the OpenAI base URL including /v1. */
export interface Running {
  url: string;
  stop(): Promise<void>;
}

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
export async function spawnBenchServer(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', serverScript, ...args], { cwd: gatewayDir, stdio: ['pipe', 'pipe', 'inherit'] });
  const stop = track(child);
  const line = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`bench-server ${args.join(' ')} did not start within 20 s`)), 20_000);
    child.once('exit', (code) => rej(new Error(`bench-server ${args.join(' ')} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      res(l);
    });
  });
  const { url } = JSON.parse(line) as { url: string };
  return { url: url.endsWith('/v1') ? url : `${url}/v1`, stop };
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

/** Starts `switchyard serve` from gateway/dist with one OpenAI-compatible provider pointing at `upstreamUrl`. */
export async function startGateway(upstreamUrl: string, mainPath = gatewayMain): Promise<Running> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  const config = join(dir, 'switchyard.yaml');
  writeFileSync(
    config,
    [
      `server: { host: 127.0.0.1, port: ${port} }`,
      'providers:',
      `  mock: { kind: openai-compatible, base_url: "${upstreamUrl}" }`,
      'models:',
      '  - { name: bench-model, provider: mock, model: bench-model }',
      '',
    ].join('\n'),
  );
  // Request logs go to /dev/null: the gateway still formats and writes them, as in production.
  const child = spawn(process.execPath, [mainPath, 'serve', '--config', config, '--port', String(port)], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const stop = track(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-2000)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}: ${stderr.trim()}`);
    try {
      await (await fetch(`${base}/health`)).arrayBuffer();
      return { url: `${base}/v1`, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stop();
  throw new Error(`gateway did not listen on ${base} within 20 s: ${stderr.trim()}`);
}
