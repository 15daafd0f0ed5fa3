import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { reapAtFileEnd } from './reap-children.js';

const MAIN = resolve(__dirname, '../../src/cli/main.ts');
const TSX = import.meta.resolve('tsx');

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGKILL: no shutdown hooks, no flushing, like a crash. */
  kill9(): Promise<void>;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
}

export interface GatewayProcessOptions {
  /** Listen on this port instead of a free one (to restart an instance where a balancer expects it). */
  port?: number;
  env?: Record<string, string>;
}

/** Starts `switchyard serve --config FILE --port 0` as a child process and resolves with its URL once it listens. */
export async function startGatewayProcess(configFile: string, cwd: string, opts: GatewayProcessOptions = {}): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, 'serve', '--config', configFile, '--port', String(opts.port ?? 0)], {
    cwd,
    env: { ...process.env, SWITCHYARD_LOG_LEVEL: 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { url, exited, output } = await waitForListening(child);
  return {
    url,
    child,
    exited,
    output,
    kill9: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Resolves once a starting gateway logs the address it listens on. A child that exits first rejects; one that
 * does not listen within the timeout is killed before rejecting, so a failed start leaves no process behind.
 */
export async function waitForListening(child: ChildProcess, timeoutMs = 60_000): Promise<{ url: string; exited: Promise<number | string>; output: () => string }> {
  reapAtFileEnd(child);
  const exited = new Promise<number | string>((r) => child.once('exit', (code, signal) => r(code ?? signal ?? -1)));
  let output = '';
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no 'listening on' within ${timeoutMs / 1000} s:\n${output}`));
    }, timeoutMs);
    const onData = (b: Buffer) => {
      output += b.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${output}`));
    });
  });
  return { url, exited, output: () => output };
}
