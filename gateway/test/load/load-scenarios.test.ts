import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStreamed, readScenarios, requestBodies } from '../../../load-tests/load/scenarios.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

const ROOT = resolve(__dirname, '../../..');
const SCENARIOS = join(ROOT, 'load-tests/scenarios.json');
const K6_SCRIPT = join(ROOT, 'load-tests/k6/gateway.js');
const run = promisify(execFile);

interface K6Request {
  url: string;
  body: string;
  params: { headers: Record<string, string>; tags: Record<string, string> };
}
interface K6Module {
  options: { scenarios: Record<string, { executor: string; startVUs: number; stages: Array<{ duration: string; target: number }> }>; thresholds: Record<string, string[]> };
  toK6Stages(stages: Array<{ seconds: number; connections: number }>): Array<{ duration: string; target: number }>;
  default(): void;
}

/**
 * k6 cannot be installed here, so its script runs under Node: the k6 module imports are replaced by shims that
 * record each `http.post` and each `check`, `open` and `__ENV` behave as in k6. The recorded requests are then
 * sent to a real gateway and the script's own checks are applied to the real answers.
 */
async function loadK6Script(env: Record<string, string>): Promise<{ module: K6Module; requests: K6Request[]; checks: Array<Record<string, (r: unknown) => boolean>> }> {
  const requests: K6Request[] = [];
  const checks: Array<Record<string, (r: unknown) => boolean>> = [];
  const source = readFileSync(K6_SCRIPT, 'utf8');
  const imports = [...source.matchAll(/^import .* from '(k6[^']*)';$/gm)].map((m) => m[1]);
  expect(imports).toEqual(['k6/http', 'k6']);
  const shimmed = source
    .replace("import http from 'k6/http';", 'const http = globalThis.__k6.http;')
    .replace("import { check } from 'k6';", 'const { check, open, __ENV } = globalThis.__k6;');
  (globalThis as any).__k6 = {
    http: { post: (url: string, body: string, params: K6Request['params']) => (requests.push({ url, body, params }), { status: 0, body: '' }) },
    check: (_res: unknown, fns: Record<string, (r: unknown) => boolean>) => (checks.push(fns), true),
    open: (path: string) => readFileSync(resolve(dirname(K6_SCRIPT), path), 'utf8'),
    __ENV: env,
  };
  const file = join(mkdtempSync(join(tmpdir(), 'sy-k6-')), `gateway-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, shimmed);
  return { module: (await import(file)) as K6Module, requests, checks };
}

describe('load scenarios (load-tests/scenarios.json)', () => {
  const file = readScenarios(SCENARIOS);

  it('defines smoke, steady, spike, streaming and soak, the soak ten minutes long', () => {
    expect(Object.keys(file.scenarios)).toEqual(['smoke', 'steady', 'spike', 'streaming', 'soak']);
    expect(file.scenarios.soak!.stages.reduce((s, x) => s + x.seconds, 0)).toBe(600);
    expect(file.scenarios.streaming!.stream_share).toBe(1);
    expect(Math.max(...file.scenarios.spike!.stages.map((s) => s.connections))).toBeGreaterThan(4 * file.scenarios.spike!.stages[0]!.connections);
  });

  it('spreads the streamed share of requests evenly', () => {
    const streamed = (share: number) => Array.from({ length: 100 }, (_, i) => isStreamed(i + 1, share)).filter(Boolean).length;
    expect([streamed(0), streamed(0.5), streamed(1), streamed(0.25)]).toEqual([0, 50, 100, 25]);
    expect(isStreamed(1, 0.5)).not.toBe(isStreamed(2, 0.5));
  });
});

describe('the k6 script, run under Node with k6 shims, against a real gateway', () => {
  let upstream: MockOpenAI;
  let gw: TestGateway;
  const file = readScenarios(SCENARIOS);
  beforeAll(async () => {
    upstream = await startMockOpenAI();
    gw = await startTestGateway(testConfig([{ name: file.request.model, baseUrl: upstream.url }]));
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  it.each(Object.keys(readScenarios(SCENARIOS).scenarios))('%s: k6 options follow the scenario file, and its requests pass its own checks on real answers', async (name) => {
    const scenario = file.scenarios[name]!;
    const { module, requests, checks } = await loadK6Script({ SCENARIO: name, BASE_URL: `${gw.url}/` });
    const k6 = module.options.scenarios[name]!;
    expect(k6.executor).toBe('ramping-vus');
    expect(k6.startVUs).toBe(scenario.stages[0]!.connections);
    expect(k6.stages).toEqual(module.toK6Stages(scenario.stages));
    const seconds = k6.stages.reduce((s, st) => s + Number.parseInt(st.duration, 10), 0);
    expect(seconds).toBe(scenario.stages.reduce((s, st) => s + st.seconds, 0));
    expect(module.options.thresholds.http_req_failed).toEqual(['rate==0']);

    for (let i = 0; i < 8; i++) module.default();
    expect(requests).toHaveLength(8);
    const streamed = requests.filter((r) => r.params.tags.stream === 'true').length;
    if (scenario.stream_share === 0) expect(streamed).toBe(0);
    if (scenario.stream_share === 1) expect(streamed).toBe(8);
    for (const [i, req] of requests.entries()) {
      expect(req.url).toBe(`${gw.url}/v1/chat/completions`);
      const body = JSON.parse(req.body) as { model: string; stream?: boolean };
      expect(body.model).toBe(file.request.model);
      expect(req.body).toBe(requestBodies(file.request)[body.stream ? 'stream' : 'plain']);
      const res = await fetch(req.url, { method: 'POST', headers: req.params.headers, body: req.body });
      const answer = { status: res.status, body: await res.text() };
      for (const [what, fn] of Object.entries(checks[i]!)) expect(fn(answer), `${what} (${body.stream ? 'stream' : 'plain'})`).toBe(true);
    }
  });

  it('refuses an unknown scenario with the names it knows', async () => {
    await expect(loadK6Script({ SCENARIO: 'nope' })).rejects.toThrow(/unknown SCENARIO 'nope': one of smoke, steady/);
  });
});

describe('the Node load runner (npm run load)', () => {
  it('runs a one-second scenario end to end: floor and gateway measured, no errors, RSS shown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-load-'));
    const scenarios = join(dir, 'scenarios.json');
    const file = readScenarios(SCENARIOS);
    writeFileSync(scenarios, JSON.stringify({ request: file.request, scenarios: { tiny: { description: 'one second, two clients', stream_share: 0.5, upstream_think_ms: 0, stages: [{ seconds: 1, connections: 2 }] } } }));
    const { stdout } = await run('npm', ['run', 'load', '--', 'tiny', '--scenarios', scenarios, '--driver', 'undici'], { cwd: ROOT });
    expect(stdout).toMatch(/^1 +floor +2 +1 +\d+/m);
    expect(stdout).toMatch(/^1 +gateway +2 +1 +\d+ .* \d+ \/ \d+ \/ \d+$/m);
    expect(stdout).toContain('gateway added latency over the floor proxy (same run):');
    expect(stdout).toContain('errors: none');
  }, 120_000);

  it('names the scenarios when asked for one that does not exist', async () => {
    await expect(run('npm', ['run', '--silent', 'load', '--', 'nope'], { cwd: ROOT })).rejects.toMatchObject({ stderr: expect.stringContaining("unknown scenario 'nope': one of smoke, steady, spike, streaming, soak") });
  }, 60_000);
});
