import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatewayProcess, type GatewayProcess } from '../../../gateway/test/support/gateway-process.js';
import { runPipelineCli } from '../../src/cli/run-cli.js';

const dirs: string[] = [];

/** A fresh temporary directory; `cleanTempDirs` removes them all. */
export function tempDir(prefix = 'sy-pipeline-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export function cleanTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Per-million prices of the test models (input, output). */
export const PRICES: Record<string, [number, number]> = {
  'cheap-a': [0.1, 0.4],
  'std-a': [1, 4],
  'std-b': [1, 4],
  'prem-a': [3, 15],
};

/** What a step with this usage costs on a model, in micro-dollars (the gateway's own arithmetic, redone here). */
export function expectedMicros(model: string, usage: { prompt_tokens: number; completion_tokens: number }): number {
  const [input, output] = PRICES[model]!;
  return Math.round(usage.prompt_tokens * input + usage.completion_tokens * output);
}

/** A gateway config: the `pipeline` router over the test models on the scripted upstream, plus `extra` YAML. */
export function gatewayYaml(upstreamUrl: string, extra = ''): string {
  const models = Object.entries(PRICES).map(([name, [i, o]]) => `  - { name: ${name}, provider: up, prices: { input: ${i}, output: ${o} } }`);
  return [
    'providers:',
    `  up: { kind: openai-compatible, base_url: "${upstreamUrl}", api_key: sk-upstream-test }`,
    'models:',
    ...models,
    'routers:',
    '  pipeline: { rules: pipeline, tiers: { cheap: [cheap-a], standard: [std-a, std-b], premium: [prem-a] } }',
    'resilience:',
    '  retries: 0',
    '  backoff_base_ms: 1',
    '  fallbacks: { std-b: [std-a, prem-a] }',
    '  cooldown: { failures: 1000 }',
    extra,
  ].join('\n');
}

/** The real gateway (`switchyard serve` in a child process) with a config written to a temp folder. */
export async function startGateway(yaml: string): Promise<GatewayProcess> {
  const dir = tempDir('sy-gateway-');
  writeFileSync(join(dir, 'switchyard.yaml'), yaml);
  return startGatewayProcess(join(dir, 'switchyard.yaml'), dir);
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `switchyard pipeline …` in-process (the same entry the gateway's bin calls) with its output captured. */
export async function pipeline(args: string[], opts: { cwd: string; url: string; env?: Record<string, string> }): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await runPipelineCli(args, {
    cwd: opts.cwd,
    env: { SWITCHYARD_URL: opts.url, ...opts.env },
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
  });
  return { code, out, err };
}
