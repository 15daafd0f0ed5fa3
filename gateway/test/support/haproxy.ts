import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server.js';
import { reapAtFileEnd } from './reap-children.js';
import { commandRuns, toolRuns } from './required-tool.js';

export interface Backend {
  name: string;
  port: number;
}

export interface ServerStat {
  name: string;
  /** `UP`, `DOWN`, `UP 1/2`, `DOWN 1/2`, `MAINT` … as HAProxy reports it. */
  status: string;
  /** Sessions (requests, in HTTP mode) sent to this server so far. */
  total: number;
}

export interface Haproxy {
  /** The balanced frontend, e.g. http://127.0.0.1:PORT. */
  url: string;
  /** Every backend server's state, from the stats page (CSV). */
  servers(): Promise<ServerStat[]>;
  /** Polls the stats page until `ok(servers)` holds (bounded); returns the last servers seen. */
  waitFor(ok: (servers: ServerStat[]) => boolean, what: string): Promise<ServerStat[]>;
  output(): string;
  stop(): Promise<void>;
}

/** Whether the `haproxy` binary (Debian package) is here; in CI it must be (the caller fails instead of skipping). */
export function haproxyAvailable(): boolean {
  return toolRuns(commandRuns('haproxy', ['-v']), 'haproxy is not on the PATH: the scale-out test is SKIPPED (apt-get install haproxy to run it)');
}

/**
 * The balancer config: round robin over the gateways, each health-checked on `/health/readiness` every 100 ms
 * (down after 2 failures, up after 2 passes). A connection refused by a dead server is retried on another one;
 * a request already sent is never resent (a POST may have been billed). Each answer names its server.
 */
export function haproxyConfig(frontPort: number, statsPort: number, backends: readonly Backend[]): string {
  return `
global
  maxconn 4096
  log stdout format raw local0

defaults
  mode http
  log global
  option httplog
  timeout connect 1s
  timeout client 60s
  timeout server 60s
  timeout check 1s
  retries 3
  option redispatch 1

frontend gateway
  bind 127.0.0.1:${frontPort}
  default_backend gateways

backend gateways
  balance roundrobin
  option httpchk GET /health/readiness
  http-check expect status 200
  default-server inter 100ms fall 2 rise 2
  http-response set-header x-served-by %[srv_name]
${backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check`).join('\n')}

listen stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats
`;
}

/** Starts HAProxy in the foreground on free loopback ports and resolves once its stats page answers. */
export async function startHaproxy(backends: readonly Backend[]): Promise<Haproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-haproxy-'));
  const [frontPort, statsPort] = [await freePort(), await freePort()];
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, haproxyConfig(frontPort, statsPort, backends));
  const check = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy rejected its config:\n${check.stdout}${check.stderr}`);
  const child: ChildProcess = reapAtFileEnd(spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));

  const statsUrl = `http://127.0.0.1:${statsPort}/stats;csv`;
  const servers = async (): Promise<ServerStat[]> => {
    const csv = await (await fetch(statsUrl)).text();
    const [header, ...rows] = csv.trim().split('\n');
    const cols = header!.replace(/^# /, '').split(',');
    const at = (name: string) => cols.indexOf(name);
    return rows
      .map((r) => r.split(','))
      .filter((r) => r[at('pxname')] === 'gateways' && r[at('svname')] !== 'BACKEND')
      .map((r) => ({ name: r[at('svname')]!, status: r[at('status')]!, total: Number(r[at('stot')]) }));
  };
  const waitFor = async (ok: (s: ServerStat[]) => boolean, what: string): Promise<ServerStat[]> => {
    let last: ServerStat[] = [];
    for (let i = 0; i < 300; i++) {
      last = await servers().catch(() => []);
      if (last.length > 0 && ok(last)) return last;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`HAProxy never reported ${what}: ${JSON.stringify(last)}\n${out}`);
  };
  await waitFor(() => true, 'its stats page');
  return {
    url: `http://127.0.0.1:${frontPort}`,
    servers,
    waitFor,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
