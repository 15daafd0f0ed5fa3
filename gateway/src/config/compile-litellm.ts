import { assembleConfig, checkAliases, type AliasEntry, type DeploymentSpec } from './assemble-config.js';
import type { CompileResult } from './compile-native.js';
import { compileLitellmEntry, createProviderPool } from './compile-litellm-model.js';
import { compileRouters } from '../routing/compile-routers.js';
import { compileBudgets } from '../spend/budget-config.js';
import { compileTelemetry } from '../telemetry/telemetry-config.js';
import { DEFAULT_HOST, DEFAULT_MAX_BODY_MB, DEFAULT_PORT, EXTENSION_SECTIONS } from './defaults.js';
import { configError, configWarning, isRecord } from './diagnostics.js';
import { resolveOsEnviron, type EnvLookup } from './litellm-env.js';
import { litellmFileSchema } from './litellm-schema.js';
import { serverSchema, storeSchema } from './native-schema.js';
import type { AuthConfig, ConfigDiagnostic } from './types.js';
import { storeConfig } from './compile-store.js';
import { zodIssuesToDiagnostics } from './zod-diagnostics.js';

const ROUTER_SETTINGS_KEPT = [
  'fallbacks', 'num_retries', 'retry_policy', 'context_window_fallbacks', 'routing_strategy', 'timeout', 'allowed_fails', 'cooldown_time',
];
const LITELLM_SETTINGS_KEPT = ['require_auth_for_metrics_endpoint', 'max_budget', 'budget_duration', 'drop_params', 'num_retries', 'request_timeout', 'fallbacks', 'context_window_fallbacks'];
const UNSUPPORTED_HINTS: Record<string, string> = {
  database_url: 'Switchyard keeps keys and spend in its own store (store: memory or redis)',
  store_model_in_db: 'models come from this file only',
  redis_host: 'add a native `store: {kind: redis, url: …}` section instead',
  redis_port: 'add a native `store: {kind: redis, url: …}` section instead',
  redis_password: 'add a native `store: {kind: redis, url: …}` section instead',
  redis_url: 'add a native `store: {kind: redis, url: …}` section instead',
  success_callback: 'Switchyard exports Prometheus metrics and OpenTelemetry traces instead',
  failure_callback: 'Switchyard exports Prometheus metrics and OpenTelemetry traces instead',
  callbacks: 'Switchyard exports Prometheus metrics and OpenTelemetry traces instead',
};
/** Native sections a LiteLLM file may carry too, so a LiteLLM user need not convert to set a port or a budget. */
const NATIVE_SECTIONS = ['server', 'store', ...EXTENSION_SECTIONS];
const LITELLM_SECTIONS = ['model_list', 'router_settings', 'litellm_settings', 'general_settings', 'environment_variables'];

/** Compiles a LiteLLM proxy config.yaml (already `${VAR}`-interpolated) into a frozen GatewayConfig. */
export function compileLitellm(
  raw: Record<string, unknown>,
  opts: { source: string; env: NodeJS.ProcessEnv; failedPaths?: ReadonlySet<string> },
): CompileResult {
  const diags: ConfigDiagnostic[] = [];
  const parsed = litellmFileSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) diags.push(...zodIssuesToDiagnostics(parsed.error.issues, { skipPaths: opts.failedPaths }));
  const fileEnv = isRecord(raw.environment_variables) ? raw.environment_variables : {};
  const lookup: EnvLookup = (name) => opts.env[name] ?? (fileEnv[name] === undefined ? undefined : String(fileEnv[name]));

  const pool = createProviderPool();
  const deployments: DeploymentSpec[] = [];
  (Array.isArray(raw.model_list) ? raw.model_list : []).forEach((entry: unknown, i) => {
    const spec = compileLitellmEntry(entry, i, { lookup, pool, diags });
    if (spec) deployments.push(spec);
  });

  for (const key of Object.keys(raw)) {
    if (!LITELLM_SECTIONS.includes(key) && !NATIVE_SECTIONS.includes(key)) {
      diags.push(configWarning([key], `unknown or unsupported top-level section "${key}"; ignored`));
    }
  }
  const router = isRecord(raw.router_settings) ? raw.router_settings : {};
  const settings = isRecord(raw.litellm_settings) ? raw.litellm_settings : {};
  const general = isRecord(raw.general_settings) ? raw.general_settings : {};
  const extensions: Record<string, unknown> = {};
  keepSection('router_settings', router, [...ROUTER_SETTINGS_KEPT, 'model_group_alias'], diags, extensions, 'litellm_router_settings');
  keepSection('litellm_settings', settings, LITELLM_SETTINGS_KEPT, diags, extensions, 'litellm_settings');
  keepSection('general_settings', general, ['master_key'], diags, {}, '');
  for (const name of EXTENSION_SECTIONS) if (raw[name] !== undefined) extensions[name] = raw[name];

  const auth = compileAuth(general.master_key, lookup, diags);
  const server = serverSchema.optional().safeParse(raw.server, { reportInput: true });
  const store = storeSchema.optional().safeParse(raw.store, { reportInput: true });
  if (!server.success) diags.push(...zodIssuesToDiagnostics(server.error.issues, { prefix: ['server'], skipPaths: opts.failedPaths }));
  if (!store.success) diags.push(...zodIssuesToDiagnostics(store.error.issues, { prefix: ['store'], skipPaths: opts.failedPaths }));

  // Names declared in the file, served or not, so an alias is not blamed for a broken model entry.
  const declared = new Set((Array.isArray(raw.model_list) ? raw.model_list : []).flatMap((e: unknown) =>
    isRecord(e) && typeof e.model_name === 'string' ? [e.model_name] : []));
  if (deployments.length === 0 && Array.isArray(raw.model_list) && !diags.some((d) => d.severity === 'error')) {
    diags.push(configError('model_list', 'no entry can be served; see the warnings above'));
  }
  const aliasEntries = readModelGroupAlias(router.model_group_alias);
  diags.push(...checkAliases(aliasEntries, declared));
  const served = new Set(deployments.map((d) => d.modelName));
  const aliases = new Map<string, string>();
  for (const { alias, target, path } of aliasEntries) {
    if (typeof target !== 'string' || !declared.has(target) || declared.has(alias)) continue;
    if (served.has(target)) aliases.set(alias, target);
    else diags.push(configWarning(path, `alias "${alias}" is dropped: its model "${target}" is skipped (see its warning)`));
  }
  const routing = compileRouters(raw.routers, { source: opts.source, modelNames: served, aliases });
  diags.push(...routing.diagnostics);
  if (routing.routers) extensions.routers = routing.routers;
  const budgets = compileBudgets(raw.budgets, settings);
  diags.push(...budgets.diagnostics);
  if (budgets.budgets) extensions.budgets = budgets.budgets;
  const telemetry = compileTelemetry(raw.telemetry, settings);
  diags.push(...telemetry.diagnostics);
  if (telemetry.telemetry) extensions.telemetry = telemetry.telemetry;
  if (!parsed.success || !server.success || !store.success || diags.some((d) => d.severity === 'error')) return { diagnostics: diags };

  const config = assembleConfig({
    source: opts.source,
    format: 'litellm',
    server: {
      host: server.data?.host ?? DEFAULT_HOST,
      port: server.data?.port ?? DEFAULT_PORT,
      maxBodyBytes: Math.round((server.data?.max_body_mb ?? DEFAULT_MAX_BODY_MB) * 1024 * 1024),
    },
    auth,
    store: storeConfig(store.data),
    deployments,
    aliases,
    extensions,
  });
  return { config, diagnostics: diags };
}

/** Copies the supported keys of a settings section into extensions and warns about each other key by name. */
function keepSection(
  section: string,
  values: Record<string, unknown>,
  kept: readonly string[],
  diags: ConfigDiagnostic[],
  extensions: Record<string, unknown>,
  extensionName: string,
): void {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (kept.includes(key)) {
      out[key] = value;
      continue;
    }
    const hint = UNSUPPORTED_HINTS[key];
    diags.push(configWarning([section, key], `not supported by Switchyard; ignored${hint ? `; ${hint}` : ''}`));
  }
  if (extensionName !== '' && Object.keys(out).length > 0) extensions[extensionName] = out;
}

function compileAuth(masterKey: unknown, lookup: EnvLookup, diags: ConfigDiagnostic[]): AuthConfig {
  if (masterKey === undefined || masterKey === null) return { mode: 'none', explicitNone: false };
  const resolved = resolveOsEnviron(masterKey, ['general_settings', 'master_key'], lookup, diags);
  if (typeof resolved !== 'string' || resolved === '') {
    if (typeof masterKey !== 'string') diags.push(configError('general_settings.master_key', 'expected a string such as sk-… or os.environ/LITELLM_MASTER_KEY'));
    else if (resolved === '') diags.push(configError('general_settings.master_key', 'must not be empty'));
    return { mode: 'none', explicitNone: false };
  }
  return { mode: 'master_key', masterKey: resolved, explicitNone: false };
}

/** `model_group_alias: {alias: model}` or `{alias: {model, hidden}}` (LiteLLM's two spellings). */
function readModelGroupAlias(value: unknown): AliasEntry[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).map(([alias, target]) => ({
    alias,
    target: isRecord(target) ? target.model : target,
    path: ['router_settings', 'model_group_alias', alias],
  }));
}
