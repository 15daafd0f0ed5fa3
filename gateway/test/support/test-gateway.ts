import pino from 'pino';
import type { Deployment, GatewayConfig, ProviderConfig } from '../../src/config/types.js';
import { startGateway, type RunningGateway } from '../../src/server/start.js';
import { REDACT_PATHS } from '../../src/telemetry/logger.js';
import { lineSink } from './line-sink.js';

export const PROVIDER_KEY = 'sk-upstream-secret-0123456789';
export const MASTER_KEY = 'sk-master-test-key-987654321';

export interface TestModel {
  name: string;
  baseUrl: string;
  kind?: ProviderConfig['kind'];
  upstreamModel?: string;
  timeoutMs?: number;
  firstByteTimeoutMs?: number;
  idleTimeoutMs?: number;
  contextWindow?: number;
  rpm?: number;
  tpm?: number;
}

/** A compiled config built directly (the config loader has its own tests), one provider per distinct base URL. */
export function testConfig(
  models: TestModel[],
  opts: { masterKey?: string; maxBodyBytes?: number; aliases?: Record<string, string>; extensions?: Record<string, unknown> } = {},
): GatewayConfig {
  const groups = new Map<string, Deployment[]>();
  models.forEach(({ name, baseUrl, kind, upstreamModel, ...deploymentFields }, i) => {
    const m = { name, baseUrl, kind, upstreamModel };
    const provider: ProviderConfig = { name: `p${i}`, kind: m.kind ?? 'openai-compatible', baseUrl: m.baseUrl, apiKey: PROVIDER_KEY, headers: { 'x-provider-header': 'on' } };
    const group = groups.get(m.name) ?? [];
    group.push({
      id: `${m.name}#${group.length}`,
      modelName: m.name,
      provider,
      upstreamModel: m.upstreamModel ?? `${m.name}-upstream`,
      prices: { input: 1, output: 2 },
      contextWindow: 128_000,
      maxOutputTokens: 8192,
      capabilities: { tools: true, vision: true, caching: false, reasoning: false },
      ...deploymentFields,
    });
    groups.set(m.name, group);
  });
  return {
    source: 'test',
    format: 'native',
    server: { host: '127.0.0.1', port: 0, maxBodyBytes: opts.maxBodyBytes ?? 32 * 1024 * 1024 },
    auth: opts.masterKey ? { mode: 'master_key', masterKey: opts.masterKey, explicitNone: false } : { mode: 'none', explicitNone: false },
    store: { kind: 'memory', dataDir: '.data' },
    models: groups,
    aliases: new Map(Object.entries(opts.aliases ?? {})),
    extensions: opts.extensions ?? {},
  };
}

export interface TestGateway extends RunningGateway {
  /** Every log line the gateway wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  rawLogs: string[];
}

/** Starts the gateway in-process on a random loopback port with its log lines captured. */
export async function startTestGateway(config: GatewayConfig): Promise<TestGateway> {
  const { sink, lines: rawLogs } = lineSink();
  const logger = pino({ level: 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
  const gateway = await startGateway({ config, port: 0, host: '127.0.0.1', logger });
  return Object.defineProperties(gateway, {
    rawLogs: { value: rawLogs },
    logs: { get: () => rawLogs.map((line) => JSON.parse(line) as Record<string, unknown>) },
  }) as TestGateway;
}

/** The JSON body of a response, untyped for assertions. */
export async function jsonOf(res: Response | Promise<Response>): Promise<any> {
  return (await res).json();
}

/** Reads an SSE body into its `data:` payloads (test-side, deliberately independent of the gateway's parser). */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .map((frame) => frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n'))
    .filter((d) => d.length > 0);
}
