import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayProcess } from '../../gateway/test/support/gateway-process.js';
import type { RunRecord } from '../src/state/task-state.js';
import { cleanTempDirs, expectedMicros, gatewayYaml, pipeline, startGateway, tempDir } from './support/pipeline-harness.js';
import { HAPPY, review, startScriptedUpstream, type ScriptedUpstream } from './support/scripted-upstream.js';

let upstream: ScriptedUpstream;
let gateway: GatewayProcess;

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  gateway = await startGateway(gatewayYaml(upstream.url));
});
afterAll(async () => {
  await gateway?.kill9();
  await upstream?.close();
  cleanTempDirs();
});
beforeEach(() => {
  upstream.setScript(HAPPY);
  upstream.seen.length = 0;
});

const readRun = (dir: string): RunRecord => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
const run = (cwd: string, ...args: string[]) => pipeline(['run', ...args], { cwd, url: gateway.url });

describe('switchyard pipeline run, against a gateway process and a scripted upstream', () => {
  it('plans, codes and reviews, each role on the tier its risk and area call for, and records what each step cost', async () => {
    const cwd = tempDir();
    const res = await run(cwd, 'Add a /health endpoint', '--risk', 'high', '--area', 'core', '--out', 'out');
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    const dir = join(cwd, 'out');
    const record = readRun(dir);
    expect(record).toMatchObject({ status: 'approved', verdict: 'approve', risk: 'high', area: 'core', files: ['src/health.ts'], review_rounds: 0 });
    expect(record.steps.map((s) => [s.role, s.model, s.tier, s.rule])).toEqual([
      ['planner', 'prem-a', 'premium', 'high-risk-core-author'],
      ['coder', 'prem-a', 'premium', 'high-risk-core-author'],
      ['reviewer', 'std-a', 'standard', 'high-risk'],
    ]);
    // Cost per step: what the gateway reported (a stream's trailer), equal to the usage at the model's prices.
    const usage = [HAPPY, HAPPY, HAPPY].map((s, i) => (s(upstream.seen[i]!, 0) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage);
    const micros = record.steps.map((s, i) => expectedMicros(s.model, usage[i]!));
    expect(record.steps.map((s) => s.cost_usd)).toEqual(micros.map((m) => m / 1e6));
    expect(record.total_cost_usd).toBe(micros.reduce((a, b) => a + b, 0) / 1e6);
    expect(record.cost_complete).toBe(true);
    expect(record.steps.every((s) => typeof s.request_id === 'string' && s.latency_ms >= 0)).toBe(true);
    expect(record.steps.map((s) => [s.input_tokens, s.output_tokens])).toEqual(usage.map((u) => [u.prompt_tokens, u.completion_tokens]));
    // Each role's temperature reached the upstream.
    expect(upstream.seen.map((s) => [s.role, s.body.temperature])).toEqual([['planner', 0.5], ['coder', 0.2], ['reviewer', 0.1]]);
    expect(readFileSync(join(dir, 'plan.md'), 'utf8')).toContain('## Plan');
    expect(readFileSync(join(dir, 'src/health.ts'), 'utf8')).toBe('export const health = () => ({ ok: true });\n');
    expect(readFileSync(join(dir, 'review.md'), 'utf8')).toMatch(/## Round 1: approve \(std-a\)/);
    // The terminal saw the streamed text and each step's model and cost.
    expect(res.out).toContain('export const health');
    expect(res.out).toMatch(/✓ coder: prem-a, 2000 in \/ 800 out tokens, \$0\.018000/);
  });

  it('reads the cost from the header when not streaming, the same as from the trailer', async () => {
    const cwd = tempDir();
    const streamed = await run(cwd, 'Write the docs', '--risk', 'low', '--area', 'docs', '--out', 'a');
    const plain = await run(cwd, 'Write the docs', '--risk', 'low', '--area', 'docs', '--out', 'b', '--no-stream');
    expect([streamed.code, plain.code]).toEqual([0, 0]);
    const [a, b] = [readRun(join(cwd, 'a')), readRun(join(cwd, 'b'))];
    expect(a.steps[0]).toMatchObject({ model: 'cheap-a', tier: 'cheap', rule: 'low-risk-docs' });
    expect(b.steps.map((s) => [s.model, s.cost_usd])).toEqual(a.steps.map((s) => [s.model, s.cost_usd]));
    expect(a.steps.every((s) => s.cost_usd! > 0)).toBe(true);
  });

  it('never reviews on the model that wrote the code, even when the reviewer falls back', async () => {
    const cwd = tempDir();
    // Medium risk: coder and reviewer both decide `standard` (std-a, std-b). The reviewer must not get std-a.
    const first = await run(cwd, 'Refactor the API client', '--risk', 'medium', '--area', 'api', '--out', 'x');
    expect(first.code).toBe(0);
    const steps = readRun(join(cwd, 'x')).steps;
    expect(steps.find((s) => s.role === 'coder')!.model).toBe('std-a');
    expect(steps.find((s) => s.role === 'reviewer')).toMatchObject({ model: 'std-b', excluded_models: ['std-a'] });

    // Now std-b fails for the reviewer: its configured fallback std-a is the author, so prem-a must answer.
    upstream.seen.length = 0;
    upstream.setScript((req, n) => (req.role === 'reviewer' && req.model === 'std-b' ? { status: 503 } : HAPPY(req, n)));
    const second = await run(cwd, 'Refactor the API client again', '--risk', 'medium', '--area', 'api', '--out', 'y');
    expect(second.code).toBe(0);
    expect(upstream.seen.filter((s) => s.role === 'reviewer').map((s) => s.model)).toEqual(['std-b', 'prem-a']);
    expect(readRun(join(cwd, 'y')).steps.find((s) => s.role === 'reviewer')).toMatchObject({ model: 'prem-a', excluded_models: ['std-a'] });
  });

  it('sends the findings back to the coder and stops at the approval', async () => {
    const cwd = tempDir();
    upstream.setScript((req, n) => {
      if (req.role !== 'reviewer') return HAPPY(req, n);
      return { text: n === 0 ? review('request_changes', [{ severity: 'major', file: 'src/health.ts', message: 'return HTTP 503 when the database is down' }]) : review('approve', []) };
    });
    const res = await run(cwd, 'Add a /health endpoint', '--out', 'out');
    expect(res.code).toBe(0);
    const record = readRun(join(cwd, 'out'));
    expect(record).toMatchObject({ status: 'approved', verdict: 'approve', review_rounds: 1 });
    expect(record.steps.map((s) => `${s.role}${s.round}`)).toEqual(['planner0', 'coder0', 'reviewer0', 'coder1', 'reviewer1']);
    const revision = upstream.seen.filter((s) => s.role === 'coder')[1]!;
    expect(revision.user).toContain('[major] src/health.ts: return HTTP 503 when the database is down');
    expect(revision.user).toContain('Your previous implementation');
    expect(readFileSync(join(cwd, 'out/review.md'), 'utf8')).toMatch(/Round 1: request_changes[\s\S]*Round 2: approve/);
  });

  it('reviews the plan on another model when the plan reviewer is on, and revises the plan once if asked', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'pipeline.yaml'), 'roles:\n  plan_reviewer: { enabled: true }\n');
    upstream.setScript((req, n) => (req.role === 'plan_reviewer' ? { text: review('request_changes', [{ severity: 'major', message: 'add a rollback step' }]) } : HAPPY(req, n)));
    const res = await run(cwd, 'Migrate the schema', '--risk', 'high', '--area', 'core', '--out', 'out');
    expect(res.code).toBe(0);
    const steps = readRun(join(cwd, 'out')).steps;
    expect(steps.map((s) => `${s.role}${s.round}`)).toEqual(['planner0', 'plan_reviewer0', 'planner1', 'coder0', 'reviewer0']);
    expect(steps[1]).toMatchObject({ model: 'std-a', excluded_models: ['prem-a'], verdict: 'request_changes' });
    expect(upstream.seen.filter((s) => s.role === 'planner')[1]!.user).toContain('[major] add a rollback step');
    expect(readFileSync(join(cwd, 'out/plan-review.md'), 'utf8')).toContain('Round 1: request_changes');
  });

  it('puts a task still not approved after the revise rounds in the human review queue', async () => {
    const cwd = tempDir();
    upstream.setScript((req, n) => (req.role === 'reviewer' ? { text: review('request_changes', [{ severity: 'blocker', message: `still wrong (${n + 1})` }]) } : HAPPY(req, n)));
    const res = await run(cwd, 'Rewrite the scheduler', '--id', 'sched', '--rounds', '1', '--out', 'out');
    expect(res.code).toBe(3);
    expect(readRun(join(cwd, 'out'))).toMatchObject({ status: 'queued', verdict: 'request_changes', review_rounds: 1 });
    expect(upstream.seen.filter((s) => s.role === 'coder')).toHaveLength(2);

    const status = await pipeline(['status'], { cwd, url: gateway.url });
    expect(status.out).toMatch(/^sched\s+waiting\s+medium\s+general/m);
    const show = await pipeline(['show', 'sched'], { cwd, url: gateway.url });
    expect(show.out).toContain('status queued');
    expect(show.out).toContain('[blocker] still wrong (2)');
    const approve = await pipeline(['approve', 'sched', '--note', 'fine for now'], { cwd, url: gateway.url });
    expect(approve.code).toBe(0);
    expect(readRun(join(cwd, 'out')).status).toBe('human_approved');
    expect((await pipeline(['status'], { cwd, url: gateway.url })).out).toMatch(/No task waits/);
    const again = await pipeline(['reject', 'sched'], { cwd, url: gateway.url });
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already approved/);
    const stats = await pipeline(['stats', '--json'], { cwd, url: gateway.url });
    expect(JSON.parse(stats.out)).toMatchObject({ tasks: 1, successRate: 1 });
  });

  it('writes only files inside the task folder: absolute paths, "..", and its own files are refused', async () => {
    const cwd = tempDir();
    const answer = [
      '```sh path=/tmp/evil.sh\necho pwned\n```',
      '```txt path=../escape.txt\nout\n```',
      '```txt path=src/../../escape2.txt\nout\n```',
      '```json path=run.json\n{}\n```',
      '```ts path=./src/ok.ts\nexport const ok = 1;\n```',
    ].join('\n\n');
    upstream.setScript((req, n) => (req.role === 'coder' ? { text: answer } : HAPPY(req, n)));
    const res = await run(cwd, 'Try to escape', '--out', 'out');
    expect(res.code).toBe(0);
    const record = readRun(join(cwd, 'out'));
    expect(record.files).toEqual(['src/ok.ts']);
    expect(record.refused_paths.map((r) => r.path)).toEqual(['/tmp/evil.sh', '../escape.txt', 'src/../../escape2.txt', 'run.json']);
    expect(existsSync(join(cwd, 'escape.txt'))).toBe(false);
    expect(existsSync(join(cwd, 'escape2.txt'))).toBe(false);
    expect(existsSync(join(cwd, 'out/src/ok.ts'))).toBe(true);
    expect(res.out).toMatch(/refused to write "\/tmp\/evil.sh": absolute path/);
  });

  it('stops cleanly at max_cost_per_task, keeps the state, and resumes with a higher cap', async () => {
    const cwd = tempDir();
    // The plan alone costs $0.0105 on prem-a (1000 in, 500 out).
    const capped = await run(cwd, 'Prove the invariant', '--risk', 'high', '--area', 'math', '--max-cost', '0.01', '--out', 'out');
    expect(capped.code).toBe(2);
    expect(readRun(join(cwd, 'out'))).toMatchObject({ status: 'stopped', stop_reason: expect.stringMatching(/max_cost_per_task reached/) });
    expect(upstream.seen.map((s) => s.role)).toEqual(['planner']);
    const resumed = await run(cwd, 'Prove the invariant', '--risk', 'high', '--area', 'math', '--max-cost', '1', '--out', 'out');
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/resuming .* after 1 finished step/);
    expect(upstream.seen.map((s) => s.role)).toEqual(['planner', 'coder', 'reviewer']);
    expect(readRun(join(cwd, 'out')).steps).toHaveLength(3);
  });

  it('retries what the gateway marks retryable, and nothing else', async () => {
    const cwd = tempDir();
    // Every standard model failing once: the gateway answers 503 with x-should-retry: true; the retry succeeds.
    upstream.setScript((req, n) => (req.role === 'planner' && n < 2 ? { status: 503 } : HAPPY(req, n)));
    const ok = await run(cwd, 'Tidy the tests', '--area', 'tests', '--out', 'a');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/planner: .*HTTP 503.*retrying/);
    // A 400 from upstream is the caller's to fix: one request, no retry, the run fails with the state kept.
    upstream.seen.length = 0;
    upstream.setScript((req, n) => (req.role === 'planner' ? { status: 400, body: { error: { message: 'context too long', type: 'invalid_request_error' } } } : HAPPY(req, n)));
    const bad = await run(cwd, 'Tidy the tests twice', '--area', 'tests', '--out', 'b');
    expect(bad.code).toBe(1);
    expect(upstream.seen).toHaveLength(1);
    expect(readRun(join(cwd, 'b'))).toMatchObject({ status: 'failed', stop_reason: expect.stringMatching(/context too long \(HTTP 400\)/) });
  });
});

describe('batches and single roles', () => {
  it('runs tasks.yaml one task after another, each in its folder, and skips finished ones on a rerun', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'notes.md'), 'Use the existing logger.');
    writeFileSync(join(cwd, 'tasks.yaml'), [
      'tasks:',
      '  - { id: docs-1, goal: Document the CLI, risk: low, area: docs }',
      '  - { id: core-1, goal: Fix the race in the scheduler, risk: high, area: core, context: [notes.md], constraints: [no new dependencies] }',
    ].join('\n'));
    const res = await pipeline(['tasks', '--out', 'runs'], { cwd, url: gateway.url });
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/approved\s+docs-1/);
    expect(res.out).toMatch(/approved\s+core-1/);
    expect(readRun(join(cwd, 'runs/docs-1')).steps[0]).toMatchObject({ model: 'cheap-a', tier: 'cheap' });
    expect(readRun(join(cwd, 'runs/core-1')).steps[0]).toMatchObject({ model: 'prem-a', tier: 'premium' });
    const planner = upstream.seen.find((s) => s.role === 'planner' && s.user.includes('scheduler'))!;
    expect(planner.user).toContain('Use the existing logger.');
    expect(planner.user).toContain('- no new dependencies');
    const before = upstream.seen.length;
    const again = await pipeline(['tasks', '--out', 'runs'], { cwd, url: gateway.url });
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/already finished \(approved\)/);
    expect(upstream.seen).toHaveLength(before);
    const stats = await pipeline(['stats'], { cwd, url: gateway.url });
    expect(stats.out).toMatch(/^2 task\(s\), 100% approved/);
    expect(stats.out).toMatch(/^docs\s+1\s+100%/m);
  });

  it('plan, code and review one role at a time, with the cross-review exclusion given by hand', async () => {
    const cwd = tempDir();
    const plan = await pipeline(['plan', 'Add caching', '--out', 'p'], { cwd, url: gateway.url });
    expect(plan.code).toBe(0);
    expect(readFileSync(join(cwd, 'p/plan.md'), 'utf8')).toContain('## Plan');
    const code = await pipeline(['code', 'Add caching', '--context', 'p/plan.md', '--out', 'c'], { cwd, url: gateway.url });
    expect(code.code).toBe(0);
    expect(readFileSync(join(cwd, 'c/src/health.ts'), 'utf8')).toContain('health');
    expect(upstream.seen.find((s) => s.role === 'coder')!.user).toMatch(/## Plan\n`+\n## Plan/);
    writeFileSync(join(cwd, 'impl.md'), '```ts path=src/cache.ts\nexport const cache = new Map();\n```');
    const rev = await pipeline(['review', 'Add caching', '--context', 'impl.md', '--exclude-models', 'std-a', '--out', 'r'], { cwd, url: gateway.url });
    expect(rev.code).toBe(0);
    expect(readRun(join(cwd, 'r')).steps[0]).toMatchObject({ role: 'reviewer', model: 'std-b', excluded_models: ['std-a'] });
    expect(readFileSync(join(cwd, 'r/review.md'), 'utf8')).toContain('"verdict":"approve"');
    const missing = await pipeline(['review', 'Add caching'], { cwd, url: gateway.url });
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/review needs --context FILE/);
  });
});

describe('switchyard pipeline under a gateway budget', () => {
  let budgeted: GatewayProcess;
  beforeAll(async () => {
    // $0.065 a day: the plan's worst case (4096 output tokens at $15/M ≈ $0.062) fits and it settles at $0.0105;
    // then the coder's worst case no longer fits what is left.
    budgeted = await startGateway(gatewayYaml(upstream.url, 'budgets:\n  global: { daily_usd: 0.065 }\n  soft_threshold: 1\n'));
  });
  afterAll(async () => {
    await budgeted?.kill9();
  });

  it('stops the run on 429 budget_exceeded with a clear message and the state kept', async () => {
    const cwd = tempDir();
    const res = await pipeline(['run', 'Optimise the solver', '--risk', 'high', '--area', 'math', '--out', 'out'], { cwd, url: budgeted.url });
    expect(res.code).toBe(2);
    expect(res.out).toMatch(/the gateway refused the coder step: budget exceeded .*rerun the same command to resume/);
    const record = readRun(join(cwd, 'out'));
    expect(record).toMatchObject({ status: 'stopped' });
    expect(record.steps.map((s) => s.role)).toEqual(['planner']);
    expect(upstream.seen.map((s) => s.role)).toEqual(['planner']);
    expect(JSON.parse(readFileSync(join(cwd, 'out/state.json'), 'utf8')).steps[0].output).toContain('## Plan');
  });
});
