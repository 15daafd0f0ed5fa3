import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanTempDirs, pipeline, tempDir } from './support/pipeline-harness.js';

const TSX = import.meta.resolve('tsx');
const GATEWAY_MAIN = resolve(__dirname, '../../gateway/src/cli/main.ts');

let gateway: ChildProcess;
let url: string;

// `npm start` with no key: the built-in config and its demo provider (no config file in the folder).
beforeAll(async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, SWITCHYARD_DEMO_SPEED: '0', SWITCHYARD_LOG_LEVEL: 'info' };
  delete env.OPENROUTER_API_KEY;
  gateway = spawn(process.execPath, ['--import', TSX, GATEWAY_MAIN, 'serve', '--port', '0'], { cwd: tempDir(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 30_000);
    const onData = (b: Buffer) => {
      output += b.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    gateway.stdout!.on('data', onData);
    gateway.stderr!.on('data', onData);
  });
}, 60_000);
afterAll(() => {
  gateway?.kill('SIGKILL');
  cleanTempDirs();
});

describe('the pipeline on the built-in demo config (no API key)', () => {
  it('produces the plan, the code, the review and run.json, the review on another model than the code', async () => {
    const cwd = tempDir();
    const res = await pipeline(['run', 'Add a /health endpoint to an Express app', '--out', './out'], { cwd, url });
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    const out = join(cwd, 'out');
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(record).toMatchObject({ status: 'approved', verdict: 'approve', files: ['src/add-a-health-endpoint.js'], cost_complete: true });
    expect(existsSync(join(out, 'plan.md'))).toBe(true);
    expect(existsSync(join(out, 'review.md'))).toBe(true);
    expect(readFileSync(join(out, 'src/add-a-health-endpoint.js'), 'utf8')).toContain('export function addAHealthEndpoint()');
    const [planner, coder, reviewer] = record.steps;
    expect([planner.role, coder.role, reviewer.role]).toEqual(['planner', 'coder', 'reviewer']);
    expect(coder.model).toMatch(/^demo-/);
    expect(reviewer.model).toMatch(/^demo-/);
    expect(reviewer.model).not.toBe(coder.model);
    expect(reviewer.excluded_models).toEqual([coder.model]);
    expect(record.total_cost_usd).toBeGreaterThan(0);
  });
});
