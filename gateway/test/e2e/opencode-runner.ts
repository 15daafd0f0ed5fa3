import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cacheRoot = join(repoRoot, '.e2e-cache');

/** The command that installs the OpenCode binary into the cache (shown when it is missing). */
export const INSTALL_HINT = 'run `scripts/install-opencode.sh` at the repository root, or set OPENCODE_BIN';

/** Path of the OpenCode binary: `OPENCODE_BIN`, else the one `scripts/install-opencode.sh` put in the cache; undefined when absent. */
export function findOpencodeBin(): string | undefined {
  const fromEnv = process.env.OPENCODE_BIN;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  for (const pkg of ['opencode-linux-x64', 'opencode-linux-x64-baseline', 'opencode-linux-arm64', 'opencode-darwin-arm64', 'opencode-darwin-x64']) {
    const bin = join(cacheRoot, 'opencode', 'node_modules', pkg, 'bin', 'opencode');
    if (existsSync(bin)) return bin;
  }
  return undefined;
}

/** An isolated OpenCode installation: a project dir holding `opencode.json` and a private HOME / XDG tree. */
export interface OpencodeSandbox {
  root: string;
  projectDir: string;
  env: Record<string, string>;
  dispose(): Promise<void>;
}

/** Creates a temp sandbox whose OpenCode config points provider `gw` at `baseURL` with the key taken from `GW_KEY`. */
export async function createOpencodeSandbox(opts: { baseURL: string; apiKey: string; model: string }): Promise<OpencodeSandbox> {
  const root = await mkdtemp(join(tmpdir(), 'switchyard-opencode-'));
  const home = join(root, 'home');
  const projectDir = join(root, 'project');
  const xdg = {
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CACHE_HOME: join(home, '.cache'),
  };
  await Promise.all([projectDir, ...Object.values(xdg)].map((dir) => mkdir(dir, { recursive: true })));
  const config = {
    $schema: 'https://opencode.ai/config.json',
    provider: {
      gw: {
        npm: '@ai-sdk/openai-compatible',
        name: 'Gateway',
        options: { baseURL: opts.baseURL, apiKey: '{env:GW_KEY}' },
        models: { [opts.model]: { name: opts.model, reasoning: true, tool_call: true, limit: { context: 200000, output: 64000 } } },
      },
    },
    model: `gw/${opts.model}`,
  };
  await writeFile(join(projectDir, 'opencode.json'), JSON.stringify(config, null, 2));
  const env: Record<string, string> = {
    // A clean environment: the developer's own OpenCode config, keys and proxies must not leak in.
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    ...xdg,
    GW_KEY: opts.apiKey,
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_SHARE: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    // OpenCode installs its plugin package in the background on a fresh config dir; a shared cache avoids re-downloading.
    npm_config_cache: join(cacheRoot, 'npm'),
    npm_config_prefer_offline: 'true',
    npm_config_update_notifier: 'false',
  };
  return { root, projectDir, env, dispose: () => rm(root, { recursive: true, force: true }) };
}

/** One line of `opencode run --format json` output. */
export interface OpencodeEvent {
  type: string;
  part?: { type?: string; text?: string; tool?: string; state?: { status?: string; output?: string }; tokens?: { input?: number; output?: number } };
  error?: unknown;
  [key: string]: unknown;
}

export interface OpencodeRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  events: OpencodeEvent[];
}

/** Parses the JSON-lines output of `opencode run --format json`, skipping any non-JSON lines. */
export function parseOpencodeEvents(stdout: string): OpencodeEvent[] {
  const events: OpencodeEvent[] = [];
  for (const line of stdout.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    try {
      events.push(JSON.parse(trimmed) as OpencodeEvent);
    } catch {
      // Not an event (a stray log line); the assertions work on the events that did parse.
    }
  }
  return events;
}

/** The concatenated text parts of a run's events. */
export function textOf(events: OpencodeEvent[]): string {
  return events.filter((e) => e.type === 'text').map((e) => e.part?.text ?? '').join('');
}

/** Runs `opencode run -m <model> --format json <prompt>` in the sandbox; kills the whole process group after `timeoutMs`. */
export function runOpencode(bin: string, sandbox: OpencodeSandbox, opts: { model: string; prompt: string; timeoutMs: number }): Promise<OpencodeRun> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, ['run', '-m', opts.model, '--format', 'json', '--print-logs', '--log-level', 'WARN', opts.prompt], {
      cwd: sandbox.projectDir,
      env: sandbox.env,
      // Own process group, so a timeout also kills what OpenCode spawned (bash tool, background npm install).
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Leftover children (its detached plugin install) must not outlive the test.
      killGroup();
      resolvePromise({ code, signal, timedOut, durationMs: Date.now() - started, stdout, stderr, events: parseOpencodeEvents(stdout) });
    });
  });
}
