/** The compiled, validated configuration every other part reads. Built by `load-config.ts`, frozen. */

export type ProviderKind = 'openai-compatible' | 'anthropic' | 'demo';

export interface ProviderConfig {
  /** Unique provider name (native: the key under `providers`; LiteLLM: derived from the model prefix + api_base). */
  name: string;
  kind: ProviderKind;
  /** Base URL including any path prefix, without a trailing slash (e.g. `https://openrouter.ai/api/v1`). */
  baseUrl: string;
  apiKey?: string;
  /** Extra headers sent on every upstream request (OpenRouter attribution, custom auth …). */
  headers: Record<string, string>;
  /** Ask the upstream to put each request's cost in its usage (OpenRouter: `usage: {include: true}`); preferred over the price table. */
  reportCost?: boolean;
}

export interface ModelCapabilities {
  tools: boolean;
  vision: boolean;
  caching: boolean;
  reasoning: boolean;
}

/** USD per million tokens; undefined when unknown. */
export interface ModelPrices {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
}

/** One concrete upstream target: a model on a provider. A public model name maps to one or more. */
export interface Deployment {
  /** Unique id, e.g. `gpt-4o-mini#0`. */
  id: string;
  /** The public model name clients ask for. */
  modelName: string;
  provider: ProviderConfig;
  /** The model id sent upstream. */
  upstreamModel: string;
  tier?: string;
  prices: ModelPrices;
  contextWindow?: number;
  maxOutputTokens?: number;
  capabilities: ModelCapabilities;
  rpm?: number;
  tpm?: number;
  /** Total request timeout in ms. */
  timeoutMs?: number;
  /** Ms until the upstream's first byte of the answer (headers, then the first stream chunk). */
  firstByteTimeoutMs?: number;
  /** Streamed requests only: replaces firstByteTimeoutMs for them (LiteLLM's stream_timeout). */
  streamFirstByteTimeoutMs?: number;
  /** Longest gap between two stream chunks, in ms. */
  idleTimeoutMs?: number;
  /** Per-deployment extra body params sent upstream (LiteLLM litellm_params extras such as temperature). */
  extraBody?: Record<string, unknown>;
}

export interface ServerConfig {
  host: string;
  port: number;
  maxBodyBytes: number;
}

export interface AuthConfig {
  /** `none`: no key checked. `master_key`: the master key is required. */
  mode: 'none' | 'master_key';
  masterKey?: string;
  /** True when the config file said `auth: none` itself (required to listen on a non-loopback host without a key). */
  explicitNone: boolean;
}

export interface StoreConfig {
  kind: 'memory' | 'redis';
  url?: string;
  dataDir: string;
  /** memory: journal bytes past which it is compacted into a snapshot (default 16 MB). */
  journalCompactBytes?: number;
}

export interface GatewayConfig {
  /** File path, or `builtin:demo` / `builtin:openrouter`. */
  source: string;
  format: 'native' | 'litellm' | 'builtin';
  server: ServerConfig;
  auth: AuthConfig;
  store: StoreConfig;
  /** Public model name → its deployments, in config order (a model group). */
  models: ReadonlyMap<string, readonly Deployment[]>;
  /** Alias → public model name. */
  aliases: ReadonlyMap<string, string>;
  /** Sections other parts (routing, budgets, resilience) read; kept as validated plain data. */
  extensions: Readonly<Record<string, unknown>>;
}

export interface ConfigDiagnostic {
  severity: 'error' | 'warning';
  /** YAML path such as `model_list[3].litellm_params.api_key`. */
  path: string;
  message: string;
}

export type LoadResult =
  | { ok: true; config: GatewayConfig; warnings: ConfigDiagnostic[] }
  | { ok: false; errors: ConfigDiagnostic[]; warnings: ConfigDiagnostic[] };
