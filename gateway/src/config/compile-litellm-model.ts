import type { DeploymentSpec } from './assemble-config.js';
import { DEFAULT_CAPABILITIES, reportsCostByDefault } from './defaults.js';
import { configError, configWarning, isRecord, type PathSegment } from './diagnostics.js';
import { resolveOsEnviron, type EnvLookup } from './litellm-env.js';
import { resolveLitellmModel, type LitellmProviderInfo } from './litellm-providers.js';
import { litellmEntrySchema, type LitellmParams } from './litellm-schema.js';
import type { ConfigDiagnostic, ProviderConfig } from './types.js';
import { zodIssuesToDiagnostics } from './zod-diagnostics.js';

/** litellm_params Switchyard reads itself; everything not listed here or in IGNORED_PARAMS goes to the upstream body. */
const CONSUMED_PARAMS = new Set([
  'model', 'api_base', 'api_key', 'custom_llm_provider', 'rpm', 'tpm', 'timeout', 'stream_timeout',
  'input_cost_per_token', 'output_cost_per_token', 'cache_read_input_token_cost', 'cache_creation_input_token_cost',
  'headers', 'extra_headers', 'extra_body',
]);

/** LiteLLM-side knobs that are not request body fields and that Switchyard does not implement. */
const IGNORED_PARAMS = new Set([
  'api_version', 'organization', 'region_name', 'max_retries', 'weight', 'order', 'tags', 'max_parallel_requests',
  'mock_response', 'use_in_pass_through', 'base_model', 'litellm_credential_name', 'budget_duration', 'max_budget',
  'drop_params', 'use_litellm_proxy', 'merge_reasoning_content_in_choices', 'input_cost_per_second',
  'output_cost_per_second', 'litellm_trace_id', 'model_info',
]);
const IGNORED_PARAM_PREFIXES = ['aws_', 'vertex_', 'azure_'];

/** Interns providers so that deployments sharing (kind, base URL, key, headers) share one provider. */
export function createProviderPool(): { intern(prefix: string, p: Omit<ProviderConfig, 'name'>): ProviderConfig } {
  const byKey = new Map<string, ProviderConfig>();
  const names = new Set<string>();
  return {
    intern(prefix, p) {
      const key = JSON.stringify([p.kind, p.baseUrl, p.apiKey ?? null, Object.entries(p.headers).sort()]);
      const existing = byKey.get(key);
      if (existing) return existing;
      let name = prefix;
      for (let n = 2; names.has(name); n++) name = `${prefix}-${n}`;
      names.add(name);
      const provider = { name, ...p };
      byKey.set(key, provider);
      return provider;
    },
  };
}

export interface EntryContext {
  lookup: EnvLookup;
  pool: ReturnType<typeof createProviderPool>;
  diags: ConfigDiagnostic[];
}

/** Compiles one `model_list` entry into a deployment, or reports why it cannot be served. */
export function compileLitellmEntry(raw: unknown, index: number, ctx: EntryContext): DeploymentSpec | undefined {
  const at = (...rest: PathSegment[]): PathSegment[] => ['model_list', index, ...rest];
  if (!isRecord(raw)) {
    ctx.diags.push(configError(at(), 'each model_list entry must be a mapping with model_name and litellm_params'));
    return undefined;
  }
  const params = isRecord(raw.litellm_params) ? raw.litellm_params : {};
  const model = typeof params.model === 'string' ? params.model : undefined;
  const custom = typeof params.custom_llm_provider === 'string' ? params.custom_llm_provider : undefined;
  const route = model === undefined ? undefined : resolveLitellmModel(model, custom);
  if (route && 'unknownPrefix' in route) {
    ctx.diags.push(configWarning(at('litellm_params', custom === undefined ? 'model' : 'custom_llm_provider'),
      `LiteLLM provider "${route.unknownPrefix}" is not supported by Switchyard; this deployment is skipped ` +
      `(point it at an OpenAI-compatible endpoint with openai/<model> and api_base instead)`));
    return undefined;
  }

  const before = ctx.diags.length;
  const resolved = { ...raw, litellm_params: resolveOsEnviron(params, at('litellm_params'), ctx.lookup, ctx.diags) };
  const parsed = litellmEntrySchema.safeParse(resolved, { reportInput: true });
  if (!parsed.success) {
    const failed = new Set(ctx.diags.slice(before).map((d) => d.path));
    ctx.diags.push(...zodIssuesToDiagnostics(parsed.error.issues, { prefix: at(), skipPaths: failed }));
  }
  if (!parsed.success || !route || ctx.diags.length > before) return undefined;

  const { model_name: modelName, litellm_params: p, model_info: info } = parsed.data;
  const provider = compileProvider(route.prefix, route.info, p, at, ctx);
  if (!provider) return undefined;
  if (route.guessed && p.api_base === undefined) {
    ctx.diags.push(configWarning(at('litellm_params', 'model'),
      `no provider prefix in "${p.model}"; assuming ${route.prefix}/${p.model} (write the prefix to be explicit)`));
  }
  return {
    modelName,
    provider,
    upstreamModel: route.upstreamModel,
    tier: info?.tier,
    prices: {
      input: perMillion(p.input_cost_per_token ?? info?.input_cost_per_token),
      output: perMillion(p.output_cost_per_token ?? info?.output_cost_per_token),
      cacheRead: perMillion(p.cache_read_input_token_cost ?? info?.cache_read_input_token_cost),
      cacheWrite: perMillion(p.cache_creation_input_token_cost ?? info?.cache_creation_input_token_cost),
    },
    contextWindow: info?.max_input_tokens,
    maxOutputTokens: info?.max_output_tokens ?? info?.max_tokens,
    capabilities: {
      tools: info?.supports_function_calling ?? DEFAULT_CAPABILITIES.tools,
      vision: info?.supports_vision ?? DEFAULT_CAPABILITIES.vision,
      caching: info?.supports_prompt_caching ?? DEFAULT_CAPABILITIES.caching,
      reasoning: info?.supports_reasoning ?? DEFAULT_CAPABILITIES.reasoning,
    },
    rpm: p.rpm,
    tpm: p.tpm,
    timeoutMs: p.timeout === undefined ? undefined : Math.round(p.timeout * 1000),
    // LiteLLM's stream_timeout applies to streamed calls only, as an httpx read timeout: it bounds the wait for
    // the first chunk and between chunks. A non-streamed call has only `timeout`, for the whole answer.
    streamFirstByteTimeoutMs: p.stream_timeout === undefined ? undefined : Math.round(p.stream_timeout * 1000),
    idleTimeoutMs: p.stream_timeout === undefined ? undefined : Math.round(p.stream_timeout * 1000),
    extraBody: extraBody(p, at, ctx.diags),
  };
}

function compileProvider(
  prefix: string,
  info: LitellmProviderInfo,
  p: LitellmParams,
  at: (...rest: PathSegment[]) => PathSegment[],
  ctx: EntryContext,
): ProviderConfig | undefined {
  const base = p.api_base ?? info.defaultBase;
  if (base === undefined) {
    ctx.diags.push(configError(at('litellm_params', 'api_base'), `required for ${prefix}/ models: the URL of the OpenAI-compatible server`));
    return undefined;
  }
  let baseUrl = base.replace(/\/+$/, '');
  if (info.appendV1 && !/\/v1$/.test(baseUrl)) baseUrl += '/v1';
  if (info.kind === 'anthropic') baseUrl = baseUrl.replace(/\/v1(\/messages)?$/, '');
  let apiKey = p.api_key === '' ? undefined : p.api_key;
  if (apiKey === undefined && info.keyEnv !== undefined) {
    apiKey = ctx.lookup(info.keyEnv);
    if (apiKey === undefined && baseUrl.startsWith('https://')) {
      ctx.diags.push(configWarning(at('litellm_params', 'api_key'),
        `no api_key given and ${info.keyEnv} is not set; requests to ${baseUrl} will carry no key (add api_key: os.environ/${info.keyEnv})`));
    }
  }
  const headers = { ...info.headers, ...p.headers, ...p.extra_headers };
  return ctx.pool.intern(prefix, { kind: info.kind, baseUrl, apiKey, headers, ...(info.kind === 'openai-compatible' && reportsCostByDefault(baseUrl) ? { reportCost: true } : {}) });
}

function extraBody(p: LitellmParams, at: (...rest: PathSegment[]) => PathSegment[], diags: ConfigDiagnostic[]): Record<string, unknown> | undefined {
  const body: Record<string, unknown> = { ...p.extra_body };
  for (const [key, value] of Object.entries(p)) {
    if (CONSUMED_PARAMS.has(key)) continue;
    if (IGNORED_PARAMS.has(key) || IGNORED_PARAM_PREFIXES.some((prefix) => key.startsWith(prefix))) {
      diags.push(configWarning(at('litellm_params', key), 'not supported by Switchyard; ignored'));
      continue;
    }
    body[key] = value;
  }
  return Object.keys(body).length > 0 ? body : undefined;
}

/** LiteLLM prices are USD per token; Switchyard's are USD per million (rounded to drop float noise). */
function perMillion(perToken: number | undefined): number | undefined {
  return perToken === undefined ? undefined : Number((perToken * 1e6).toPrecision(12));
}
