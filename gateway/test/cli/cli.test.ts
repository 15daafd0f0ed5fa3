import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const MAIN = resolve(__dirname, '../../src/cli/main.ts');
const TSX = import.meta.resolve('tsx');
const FIXTURE = resolve(__dirname, '../fixtures/litellm_config.roo-harness.yaml');
const children: ChildProcess[] = [];

function cli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { env: { ...process.env, ...env, SWITCHYARD_LOG_LEVEL: 'info' }, cwd: tmp() });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  // 'close', not 'exit': what the CLI printed last may still be in the pipe when it exits
  const exit = new Promise<number>((r) => child.on('close', (code) => r(code ?? -1)));
  return { child, exit, out: () => stdout, err: () => stderr };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'switchyard-cli-'));
}

async function until<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

describe('switchyard CLI', () => {
  it('prints help for every command', async () => {
    for (const args of [['--help'], ['serve', '--help'], ['config', 'check', '--help']]) {
      const run = cli(args);
      expect(await run.exit).toBe(0);
      expect(run.out()).toMatch(/Usage/);
    }
  }, 120_000); // one tsx-compiled CLI process per command: slow on a loaded machine

  it('serve refuses a log flush interval that is not a number of milliseconds', async () => {
    const run = cli(['serve', '--port', '0'], { SWITCHYARD_LOG_FLUSH_MS: 'soon' });
    expect(await run.exit).toBe(1);
    expect(run.err()).toContain("SWITCHYARD_LOG_FLUSH_MS must be a number of milliseconds >= 0, got 'soon'");
  });

  it('config check accepts the LiteLLM fixture and warns about what it does not support', async () => {
    const run = cli(['config', 'check', FIXTURE], { OPENROUTER_API_KEY: 'sk-or-test' });
    expect(await run.exit).toBe(0);
    expect(run.out()).toMatch(/database_url/);
    expect(run.out()).toMatch(/OK/);
  });

  it('config check prints every problem with its path and exits 1', async () => {
    const file = join(tmp(), 'bad.yaml');
    writeFileSync(file, 'server:\n  port: "many"\nproviders:\n  up: { kind: openai-compatible, base_url: "http://x/v1" }\nmodels:\n  - { name: a, provider: nowhere, model: a }\n  - { name: b, provider: up, model: b, bogus: 1 }\n');
    const run = cli(['config', 'check', file]);
    expect(await run.exit).toBe(1);
    const out = run.out();
    expect(out).toMatch(/server\.port/);
    expect(out).toMatch(/models\[0\]\.provider/);
    expect(out).toMatch(/models\[1\]/);
  });

  it('serve refuses a public address without a master key', async () => {
    const run = cli(['serve', '--host', '0.0.0.0', '--port', '0']);
    expect(await run.exit).toBe(1);
    expect(run.err()).toMatch(/master key/);
  });

  it('serve reloads on SIGHUP and keeps the old config when the new one is invalid', async () => {
    const dir = tmp();
    const file = join(dir, 'switchyard.yaml');
    const config = (models: string) => `providers:\n  demo: { kind: demo, base_url: "demo://switchyard" }\nmodels:\n${models}`;
    writeFileSync(file, config('  - { name: first, provider: demo, model: demo-cheap }\n'));
    const run = cli(['serve', '--config', file, '--port', '0'], { SWITCHYARD_DEMO_SPEED: '0' });
    const url = await until('listening', () => /listening on (http:\/\/[\d.:]+)/.exec(run.out())?.[1]);
    const ids = async () => ((await (await fetch(`${url}/v1/models`)).json()) as { data: { id: string }[] }).data.map((m) => m.id);
    expect(await ids()).toEqual(['first']);

    writeFileSync(file, config('  - { name: second, provider: demo, model: demo-cheap }\n'));
    run.child.kill('SIGHUP');
    await until('reload', () => (run.out().includes('Config reloaded') ? true : undefined));
    expect(await ids()).toEqual(['second']);

    writeFileSync(file, config('  - { name: third, provider: nowhere, model: demo-cheap }\n'));
    run.child.kill('SIGHUP');
    await until('failed reload', () => (run.out().includes('Config reload failed') ? true : undefined));
    expect(await ids()).toEqual(['second']);
    const answer = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'second', messages: [{ role: 'user', content: 'hello' }] }) });
    expect(answer.status).toBe(200);
  });
});
