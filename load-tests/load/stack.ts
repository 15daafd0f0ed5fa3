/** The processes a self-contained load run needs: mock upstream, floor proxy and the gateway (from gateway/dist). */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '../..');
const GATEWAY_MAIN = join(REPO_ROOT, 'gateway/dist/cli/main.js');

export interface Server {
  /** OpenAI base URL, including /v1. */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
/** Kills every process the runner started (on exit or interrupt). */
export function killStack(): void {
  for (const child of children) child.kill('SIGKILL');
}

function own(child: ChildProcess): () => Promise<void> {
  children.add(child);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.once('exit', () => children.delete(child));
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function stackServer(args: string[]): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'stack-server.ts'), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = own(child);
  const line = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`stack-server ${args.join(' ')} did not start within 30 s`)), 30_000);
    child.once('exit', (code) => rej(new Error(`stack-server ${args.join(' ')} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      res(l);
    });
  });
  return { url: (JSON.parse(line) as { url: string }).url, pid: child.pid!, stop };
}

/** The scripted upstream, waiting `thinkMs` before each answer. */
export const startUpstream = (thinkMs: number) => stackServer(['--role', 'upstream', '--think-ms', String(thinkMs)]);
/** The floor: a bare pass-through proxy to `upstreamUrl`. */
export const startFloor = (upstreamUrl: string) => stackServer(['--role', 'floor', '--upstream', upstreamUrl]);

/**
 * `switchyard serve` from gateway/dist with one model on the mock upstream, a budget (so spend is recorded as
 * in production) and the memory store in a temporary directory. Its logs go to /dev/null.
 */
export async function startGateway(upstreamUrl: string, model: string): Promise<Server> {
  if (!existsSync(GATEWAY_MAIN)) throw new Error(`${GATEWAY_MAIN} is missing: run \`npm run build\` first`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-load-'));
  const config = join(dir, 'switchyard.yaml');
  writeFileSync(
    config,
    [
      `server: { host: 127.0.0.1, port: ${port} }`,
      `store: { kind: memory, data_dir: "${join(dir, 'data')}" }`,
      'providers:',
      `  mock: { kind: openai-compatible, base_url: "${upstreamUrl}" }`,
      'models:',
      `  - { name: ${model}, provider: mock, model: mock-model, prices: { input: 1, output: 2 } }`,
      'budgets:',
      '  global: { daily_usd: 1000000 }',
      '',
    ].join('\n'),
  );
  const child = spawn(process.execPath, [GATEWAY_MAIN, 'serve', '--config', config], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = own(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode}`);
    if (await fetch(`${url}/health/liveliness`).then((r) => r.ok, () => false)) break;
    if (i > 300) throw new Error('the gateway did not answer /health/liveliness within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `${url}/v1`, pid: child.pid!, stop };
}
