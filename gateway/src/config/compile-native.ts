import { assembleConfig, checkAliases, type AliasEntry, type DeploymentSpec } from './assemble-config.js';
import {
  ANTHROPIC_BASE_URL,
  DEFAULT_CAPABILITIES,
  DEFAULT_HOST,
  DEFAULT_MAX_BODY_MB,
  DEFAULT_PORT,
  EXTENSION_SECTIONS,
  reportsCostByDefault,
} from './defaults.js';
import { configError, isRecord } from './diagnostics.js';
import { nativeConfigSchema, type NativeConfigFile, type NativeProviderEntry } from './native-schema.js';
import { DEMO_BASE_URL } from '../providers/demo/catalog.js';
import { compileRouters, type CompiledRouters } from '../routing/compile-routers.js';
import { compileBudgets, type CompiledBudgets } from '../spend/budget-config.js';
import { compileTelemetry, type CompiledTelemetry } from '../telemetry/telemetry-config.js';
import type { AuthConfig, ConfigDiagnostic, GatewayConfig, ProviderConfig } from './types.js';
import { storeConfig } from './compile-store.js';
import { zodIssuesToDiagnostics } from './zod-diagnostics.js';

export interface CompileResult {
  config?: GatewayConfig;
  diagnostics: ConfigDiagnostic[];
}

/** Validates a native config document (already interpolated) and compiles it into a frozen GatewayConfig. */
export function compileNative(
  raw: Record<string, unknown>,
  opts: { source: string; format?: 'native' | 'builtin'; failedPaths?: ReadonlySet<string> },
): CompileResult {
  const parsed = nativeConfigSchema.safeParse(raw, { reportInput: true });
  const routing = compileRouters(raw.routers, { source: opts.source, ...declaredNames(raw) });
  const budgets = compileBudgets(raw.budgets);
  const telemetry = compileTelemetry(raw.telemetry);
  const diagnostics = [
    ...(parsed.success ? [] : zodIssuesToDiagnostics(parsed.error.issues, { skipPaths: opts.failedPaths })),
    ...checkReferences(raw),
    ...routing.diagnostics,
    ...budgets.diagnostics,
    ...telemetry.diagnostics,
  ];
  if (!parsed.success || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { config: build(parsed.data, opts.source, opts.format ?? 'native', routing.routers, budgets.budgets, telemetry.telemetry), diagnostics };
}

/** Model names and aliases as written, for checking the routers section. */
function declaredNames(raw: Record<string, unknown>): { modelNames: Set<string>; aliases: Map<string, string> } {
  const models = Array.isArray(raw.models) ? raw.models : [];
  const modelNames = new Set(models.flatMap((m: unknown) => (isRecord(m) && typeof m.name === 'string' ? [m.name] : [])));
  const aliases = new Map(Object.entries(isRecord(raw.aliases) ? raw.aliases : {}).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])));
  return { modelNames, aliases };
}

/** Cross-references checked on the raw document so they are reported even when other fields are invalid. */
function checkReferences(raw: Record<string, unknown>): ConfigDiagnostic[] {
  const out: ConfigDiagnostic[] = [];
  const providerNames = isRecord(raw.providers) ? Object.keys(raw.providers) : [];
  const modelNames = new Set<string>();
  const models = Array.isArray(raw.models) ? raw.models : [];
  models.forEach((entry: unknown, i) => {
    if (!isRecord(entry)) return;
    if (typeof entry.name === 'string') modelNames.add(entry.name);
    const provider = entry.provider;
    if (typeof provider === 'string' && isRecord(raw.providers) && !providerNames.includes(provider)) {
      const known = providerNames.length > 0 ? `declared providers: ${providerNames.join(', ')}` : 'no providers are declared';
      out.push(configError(['models', i, 'provider'], `unknown provider "${provider}": declare it under providers (${known})`));
    }
  });
  if (isRecord(raw.aliases)) {
    const entries: AliasEntry[] = Object.entries(raw.aliases).map(([alias, target]) => ({ alias, target, path: ['aliases', alias] }));
    out.push(...checkAliases(entries, modelNames));
  }
  return out;
}

function build(file: NativeConfigFile, source: string, format: 'native' | 'builtin', routers: CompiledRouters | undefined, budgets: CompiledBudgets | undefined, telemetry?: CompiledTelemetry): GatewayConfig {
  const providers = new Map<string, ProviderConfig>();
  for (const [name, entry] of Object.entries(file.providers)) providers.set(name, compileProvider(name, entry));

  const deployments: DeploymentSpec[] = file.models.map((m) => ({
    modelName: m.name,
    provider: providers.get(m.provider) as ProviderConfig,
    upstreamModel: m.model ?? m.name,
    tier: m.tier,
    prices: {
      input: m.prices?.input,
      output: m.prices?.output,
      cacheRead: m.prices?.cache_read,
      cacheWrite: m.prices?.cache_write,
    },
    contextWindow: m.context_window,
    maxOutputTokens: m.max_output_tokens,
    capabilities: {
      tools: m.capabilities?.tools ?? DEFAULT_CAPABILITIES.tools,
      vision: m.capabilities?.vision ?? DEFAULT_CAPABILITIES.vision,
      caching: m.capabilities?.caching ?? DEFAULT_CAPABILITIES.caching,
      reasoning: m.capabilities?.reasoning ?? DEFAULT_CAPABILITIES.reasoning,
    },
    rpm: m.rpm,
    tpm: m.tpm,
    timeoutMs: m.timeout_s === undefined ? undefined : Math.round(m.timeout_s * 1000),
    firstByteTimeoutMs: m.first_byte_timeout_s === undefined ? undefined : Math.round(m.first_byte_timeout_s * 1000),
    idleTimeoutMs: m.idle_timeout_s === undefined ? undefined : Math.round(m.idle_timeout_s * 1000),
    extraBody: m.extra_body,
  }));

  const extensions: Record<string, unknown> = {};
  for (const name of EXTENSION_SECTIONS) if (file[name] !== undefined) extensions[name] = file[name];
  if (routers) extensions.routers = routers;
  if (budgets) extensions.budgets = budgets;
  if (telemetry) extensions.telemetry = telemetry;

  return assembleConfig({
    source,
    format,
    server: {
      host: file.server?.host ?? DEFAULT_HOST,
      port: file.server?.port ?? DEFAULT_PORT,
      maxBodyBytes: Math.round((file.server?.max_body_mb ?? DEFAULT_MAX_BODY_MB) * 1024 * 1024),
    },
    auth: compileAuth(file.auth),
    store: storeConfig(file.store),
    deployments,
    aliases: new Map(Object.entries(file.aliases ?? {})),
    extensions,
  });
}

function compileAuth(auth: NativeConfigFile['auth']): AuthConfig {
  if (auth === undefined) return { mode: 'none', explicitNone: false };
  if (auth === 'none') return { mode: 'none', explicitNone: true };
  return { mode: 'master_key', masterKey: auth.master_key, explicitNone: false };
}

function compileProvider(name: string, entry: NativeProviderEntry): ProviderConfig {
  const fallback = entry.kind === 'anthropic' ? ANTHROPIC_BASE_URL : DEMO_BASE_URL;
  const baseUrl = (entry.base_url ?? fallback).replace(/\/+$/, '');
  const reportCost = entry.kind === 'openai-compatible' && (entry.report_cost ?? reportsCostByDefault(baseUrl));
  return {
    name,
    kind: entry.kind,
    baseUrl,
    apiKey: entry.api_key === undefined || entry.api_key === '' ? undefined : entry.api_key,
    headers: { ...entry.headers },
    ...(reportCost ? { reportCost } : {}),
  };
}
