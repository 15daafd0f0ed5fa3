import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reapAtFileEnd } from './reap-children.js';
import { commandRuns, toolRuns } from './required-tool.js';

/** A real Prometheus (the Debian `prometheus` binary) on a free loopback port, with its own data folder. */
export interface PrometheusServer {
  url: string;
  /** Instant query through the HTTP API; resolves with the API's JSON (status, data or error). */
  query(expr: string): Promise<{ status: string; data?: { resultType: string; result: unknown[] }; error?: string }>;
  get(path: string): Promise<any>;
  output(): string;
  close(): Promise<void>;
}

/** Whether a real Prometheus can run here; in CI it must (the caller fails instead of skipping). */
export function prometheusAvailable(): boolean {
  return toolRuns(commandRuns('prometheus', ['--version']), 'prometheus is not on the PATH: the dashboard queries are not proven against it, SKIPPED (apt-get install prometheus to run them)');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts Prometheus with `config` (YAML text) and resolves once it reports ready. */
export async function startPrometheus(config: string): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-prom-'));
  const file = join(dir, 'prometheus.yml');
  writeFileSync(file, config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = reapAtFileEnd(spawn('prometheus', [
    `--config.file=${file}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], { stdio: ['ignore', 'pipe', 'pipe'] }));
  child.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${output}`);
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`prometheus did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const get = async (path: string): Promise<any> => (await fetch(`${url}${path}`)).json();
  return {
    url,
    get,
    query: (expr) => get(`/api/v1/query?query=${encodeURIComponent(expr)}`),
    output: () => output,
    close,
  };
}
