import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayProcess } from '../../gateway/test/support/gateway-process.js';
import { cleanTempDirs, gatewayYaml, pipeline, startGateway, tempDir } from './support/pipeline-harness.js';
import { HAPPY, startScriptedUpstream, type ScriptedUpstream } from './support/scripted-upstream.js';

const TSX = import.meta.resolve('tsx');
const PIPELINE_BIN = resolve(__dirname, '../src/cli/bin.ts');
const GATEWAY_MAIN = resolve(__dirname, '../../gateway/src/cli/main.ts');

let upstream: ScriptedUpstream;
let gateway: GatewayProcess;
const children: ChildProcess[] = [];

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  gateway = await startGateway(gatewayYaml(upstream.url));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await gateway?.kill9();
  await upstream?.close();
  cleanTempDirs();
});

function spawnCli(entry: string, args: string[], cwd: string): { child: ChildProcess; exit: Promise<number | string>; output: () => string } {
  const child = spawn(process.execPath, ['--import', TSX, entry, ...args], { cwd, env: { ...process.env, SWITCHYARD_URL: gateway.url }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (b) => (output += b));
  child.stderr!.on('data', (b) => (output += b));
  const exit = new Promise<number | string>((r) => child.once('exit', (code, signal) => r(code ?? signal ?? -1)));
  return { child, exit, output: () => output };
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a pipeline process killed between steps', () => {
  it('resumes from the last finished step: the plan is not asked for again', async () => {
    const cwd = tempDir();
    const dir = join(cwd, 'out');
    // The coder's request never answers: the process is killed while it waits, after the plan was saved.
    upstream.setScript((req, n) => (req.role === 'coder' ? { hang: true } : HAPPY(req, n)));
    const first = spawnCli(PIPELINE_BIN, ['run', 'Add rate limiting', '--risk', 'high', '--area', 'core', '--out', 'out'], cwd);
    await upstream.waitFor('coder', 1, 60_000);
    const state = () => (existsSync(join(dir, 'state.json')) ? JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) : undefined);
    await until('the plan step in state.json', () => state()?.steps.length === 1);
    first.child.kill('SIGKILL');
    expect(await first.exit).toBe('SIGKILL');
    expect(state()).toMatchObject({ status: 'running', steps: [{ role: 'planner', model: 'prem-a' }] });

    upstream.setScript(HAPPY);
    const second = await pipeline(['run', 'Add rate limiting', '--risk', 'high', '--area', 'core', '--out', 'out'], { cwd, url: gateway.url });
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/resuming add-rate-limiting-\w+ after 1 finished step\(s\) \(planner\)/);
    expect(upstream.seen.map((s) => s.role)).toEqual(['planner', 'coder', 'coder', 'reviewer']);
    const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(record.status).toBe('approved');
    expect(record.steps.map((s: { role: string }) => s.role)).toEqual(['planner', 'coder', 'reviewer']);
  }, 90_000);

  it('is reachable as `switchyard pipeline` through the gateway bin', async () => {
    const help = spawnCli(GATEWAY_MAIN, ['pipeline', '--help'], tempDir());
    expect(await help.exit).toBe(0);
    expect(help.output()).toMatch(/switchyard pipeline run "task"/);
    const wrong = spawnCli(GATEWAY_MAIN, ['pipeline', 'frobnicate'], tempDir());
    expect(await wrong.exit).toBe(1);
    expect(wrong.output()).toMatch(/unknown pipeline command "frobnicate"/);
  }, 90_000);
});
