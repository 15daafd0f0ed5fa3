import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startGatewayProcess } from '../support/gateway-process.js';
import { reapAtFileEnd } from '../support/reap-children.js';

const CHILD = resolve(__dirname, 'fixtures/log-child.ts');
const TSX = import.meta.resolve('tsx');

/** Runs the child in `mode`; resolves once `until` holds for its output or it exits, with what it printed. */
function runChild(mode: string, env: Record<string, string>, until?: (stdout: string, stderr: string) => boolean) {
  const child = reapAtFileEnd(spawn(process.execPath, ['--import', TSX, CHILD, mode], { env: { ...process.env, SWITCHYARD_LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  return new Promise<{ stdout: string; stderr: string; exit: number | string | null }>((done) => {
    const finish = (exit: number | string | null) => done({ stdout, stderr, exit });
    const check = () => {
      if (!until?.(stdout, stderr)) return;
      child.kill('SIGKILL');
      finish('matched');
    };
    child.stdout.on('data', (b: Buffer) => ((stdout += b), check()));
    child.stderr.on('data', (b: Buffer) => ((stderr += b), check()));
    // 'close', not 'exit': the child's output may still be in the pipe when it exits
    child.once('close', (code, signal) => finish(code ?? signal));
  });
}

const lines = (stdout: string) => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; i: number; pad?: string });

describe('buffered stdout log', () => {
  it('holds short lines logged on separate ticks in one buffer, writes at 16 KB, and flushes the rest on exit', async () => {
    // a flush tick far away, so only the size threshold and the exit can write
    const { stdout, stderr, exit } = await runChild('exit', { SWITCHYARD_LOG_FLUSH_MS: '600000' });
    expect(exit).toBe(0);
    expect(stderr).toContain('writes after 20 short lines: 0');
    const afterLong = Number(/writes after 160 long lines: (\d+)/.exec(stderr)?.[1]);
    // 160 lines of about 200 bytes pass 16 KB once or twice; unbuffered they would be up to 160 writes
    expect(afterLong).toBeGreaterThanOrEqual(1);
    expect(afterLong).toBeLessThanOrEqual(3);
    const got = lines(stdout);
    expect(got.filter((l) => l.msg === 'short line').map((l) => l.i)).toEqual([...Array(20).keys()]);
    const long = got.filter((l) => l.msg === 'long line');
    expect(long.map((l) => l.i)).toEqual([...Array(160).keys()]);
    expect(long.every((l) => l.pad === `${'x'.repeat(96)}é–漢🙂`)).toBe(true);
  });

  it('writes buffered lines at the flush tick while the process keeps running', async () => {
    const { stdout, exit } = await runChild('stay', { SWITCHYARD_LOG_FLUSH_MS: '50' }, (out) => lines(out).length === 20);
    expect(exit).toBe('matched');
    expect(lines(stdout).map((l) => l.i)).toEqual([...Array(20).keys()]);
  });

  it('writes every line as it is logged with SWITCHYARD_LOG_FLUSH_MS=0', async () => {
    const { stdout, stderr } = await runChild('stay', { SWITCHYARD_LOG_FLUSH_MS: '0' }, (out, err) => lines(out).length === 20 && err.includes('writes after'));
    const writes = Number(/writes after 20 short lines: (\d+)/.exec(stderr)?.[1]);
    expect(writes).toBeGreaterThan(1); // buffered, the 20 lines would still be waiting for their first write
    expect(lines(stdout)).toHaveLength(20);
  });

  it('writes the buffered lines out before a crash ends the process', async () => {
    const { stdout, stderr, exit } = await runChild('crash', { SWITCHYARD_LOG_FLUSH_MS: '600000' });
    expect(exit).not.toBe(0);
    expect(stderr).toContain('crash on purpose');
    expect(lines(stdout).map((l) => l.i)).toEqual([...Array(20).keys()]);
  });

  it('lets `switchyard serve | tee` stopped with Ctrl-C exit: SIGINT with the reader of stdout gone', async () => {
    // Ctrl-C signals the whole pipeline, so the reader is gone when the gateway logs its drain lines; pino's
    // synchronous exit flush retried the write to the closed pipe forever.
    const dir = mkdtempSync(join(tmpdir(), 'sy-epipe-'));
    writeFileSync(join(dir, 'switchyard.yaml'), 'providers: { demo: { kind: demo } }\nmodels: [{ name: m, provider: demo }]\n');
    const gw = await startGatewayProcess(join(dir, 'switchyard.yaml'), dir);
    gw.child.stdout!.destroy();
    gw.child.kill('SIGINT');
    const exit = await Promise.race([gw.exited, new Promise((r) => setTimeout(() => r('still running after 10 s'), 10_000))]);
    expect(exit).toBe(0);
  }, 30_000);
});
