import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { startGateway } from '../../src/server/start.js';
import { startMockOpenAI, type MockOpenAI, type RecordedRequest } from '../support/mock-openai-upstream.js';
import { createOpencodeSandbox, findOpencodeBin, INSTALL_HINT, runOpencode, textOf, type OpencodeRun, type OpencodeSandbox } from './opencode-runner.js';
import { startToolsRouter, type ToolsRouter } from './route-by-tools.js';

const MASTER_KEY = 'sk-e2e-master';
const UPSTREAM_KEY = 'sk-e2e-upstream';
const MODEL = 'claude-sonnet-4-5';
const RUN_TIMEOUT_MS = 90_000;

const bin = findOpencodeBin();
const required = Boolean(process.env.CI) || process.env.SWITCHYARD_E2E_REQUIRED === '1';
// The OpenCode binary is ~185 MB and installed on demand: a developer without it still gets a green local
// run (with a warning), while CI or SWITCHYARD_E2E_REQUIRED=1 turns its absence into a failure below.
const skip = !bin && !required;
if (skip) console.warn(`[e2e] skipping the OpenCode end-to-end tests: OpenCode binary not found (${INSTALL_HINT})`);

// Skipped only on a developer machine without the OpenCode binary (see `skip` above); never under CI.
describe.skipIf(skip)('OpenCode CLI through the gateway', () => {
  let agentMock: MockOpenAI;
  let titleMock: MockOpenAI;
  let router: ToolsRouter;
  let gateway: { url: string; close(): Promise<void> };
  let configDir: string;
  const sandboxes: OpencodeSandbox[] = [];

  beforeAll(async () => {
    if (!bin) throw new Error(`OpenCode binary not found and the e2e tests are required here: ${INSTALL_HINT}`);
    agentMock = await startMockOpenAI();
    titleMock = await startMockOpenAI();
    titleMock.setDefault({ kind: 'text', text: 'E2E title' });
    router = await startToolsRouter({ withTools: agentMock.url, withoutTools: titleMock.url });
    configDir = await mkdtemp(join(tmpdir(), 'switchyard-e2e-config-'));
    const configPath = join(configDir, 'switchyard.yaml');
    await writeFile(configPath, gatewayYaml(router.url, join(configDir, 'data')));
    const loaded = loadConfig({ path: configPath });
    if (!loaded.ok) throw new Error(`e2e config rejected: ${JSON.stringify(loaded.errors)}`);
    gateway = await startGateway({ config: loaded.config, host: '127.0.0.1', port: 0, logger: pino({ level: 'warn' }) });
    // With the gateway down OpenCode retries for about a minute; fail fast here instead.
    await waitForHealthy(gateway.url);
  });

  afterAll(async () => {
    await Promise.allSettled(sandboxes.map((s) => s.dispose()));
    await gateway?.close();
    await router?.close();
    await Promise.allSettled([agentMock?.close(), titleMock?.close()]);
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  async function run(prompt: string): Promise<{ result: OpencodeRun; agentRequests: RecordedRequest[] }> {
    const sandbox = await createOpencodeSandbox({ baseURL: `${gateway.url}/v1`, apiKey: MASTER_KEY, model: MODEL });
    sandboxes.push(sandbox);
    const before = agentMock.requests.length;
    const result = await runOpencode(bin!, sandbox, { model: `gw/${MODEL}`, prompt, timeoutMs: RUN_TIMEOUT_MS });
    console.info(`[e2e] opencode run took ${result.durationMs} ms (exit ${result.code}, ${result.events.length} events)`);
    if (result.timedOut || result.code !== 0) {
      throw new Error(`opencode run failed (timedOut=${result.timedOut}, code=${result.code})\nstdout:\n${result.stdout}\nstderr:\n${result.stderr.slice(-4000)}`);
    }
    return { result, agentRequests: agentMock.requests.slice(before) };
  }

  it('answers a plain prompt through the gateway', { timeout: 120_000 }, async () => {
    agentMock.setDefault({ kind: 'text', text: 'E2E_PLAIN_OK' });
    const { result, agentRequests } = await run('Say the magic word.');

    expect(textOf(result.events)).toContain('E2E_PLAIN_OK');
    expect(result.events.some((e) => e.type === 'error')).toBe(false);
    expect(agentRequests.length).toBeGreaterThanOrEqual(1);
    for (const req of agentRequests) assertForwarded(req);
    // The title request (no tools) went through the same gateway path.
    for (const req of titleMock.requests) assertForwarded(req);
    // Usage travelled back to OpenCode: it reports the tokens of its step.
    const finish = result.events.find((e) => e.type === 'step_finish');
    expect(finish?.part?.tokens?.output).toBeGreaterThan(0);
  });

  it('runs a tool-using turn: bash tool call, tool result, final answer', { timeout: 120_000 }, async () => {
    agentMock.enqueue(
      { kind: 'tool_calls', calls: [{ id: 'call_e2e_bash', name: 'bash', arguments: JSON.stringify({ command: 'echo TOOL_OK', description: 'print' }) }] },
      { kind: 'text', text: 'E2E_TOOL_DONE' },
    );
    const { result, agentRequests } = await run('Run `echo TOOL_OK` and tell me what it printed.');

    expect(agentRequests.length).toBeGreaterThanOrEqual(2);
    for (const req of agentRequests) assertForwarded(req);
    const tool = result.events.find((e) => e.type === 'tool_use');
    expect(tool?.part?.tool).toBe('bash');
    expect(tool?.part?.state?.status).toBe('completed');
    // OpenCode really ran the command and sent its output back through the gateway.
    const followUp = agentRequests[1]!;
    const toolMessage = bodyOf(followUp).messages.find((m) => m.role === 'tool');
    expect(toolMessage).toMatchObject({ role: 'tool', tool_call_id: 'call_e2e_bash' });
    expect(JSON.stringify(toolMessage?.content)).toContain('TOOL_OK');
    expect(textOf(result.events)).toContain('E2E_TOOL_DONE');
  });
});

interface UpstreamBody {
  model: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: unknown[];
  messages: Array<{ role: string; content?: unknown; tool_call_id?: string }>;
}

function bodyOf(req: RecordedRequest): UpstreamBody {
  return req.body as UpstreamBody;
}

/** What every upstream request from the gateway must look like: the provider's key, the upstream model, a stream asking for usage. */
function assertForwarded(req: RecordedRequest): void {
  const headers = req.headers as Record<string, string | undefined>;
  expect(headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
  expect(JSON.stringify(headers)).not.toContain(MASTER_KEY);
  const body = bodyOf(req);
  expect(body.model).toBe('mock-model');
  expect(body.stream).toBe(true);
  expect(body.stream_options?.include_usage).toBe(true);
}

function gatewayYaml(upstreamUrl: string, dataDir: string): string {
  return [
    'server: { host: 127.0.0.1, port: 0 }',
    `auth: { master_key: ${MASTER_KEY} }`,
    `store: { kind: memory, data_dir: "${dataDir}" }`,
    'providers:',
    // The upstream gets its own key; the test checks the client's master key never leaves the gateway.
    `  mock: { kind: openai-compatible, base_url: "${upstreamUrl}", api_key: ${UPSTREAM_KEY} }`,
    'models:',
    `  - { name: ${MODEL}, provider: mock, model: mock-model, context_window: 200000, max_output_tokens: 64000, capabilities: { tools: true, reasoning: true } }`,
    '',
  ].join('\n');
}

async function waitForHealthy(baseUrl: string): Promise<void> {
  let lastError = '';
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.ok) return;
      lastError = `status ${res.status}`;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gateway at ${baseUrl} never became healthy: ${lastError}`);
}
