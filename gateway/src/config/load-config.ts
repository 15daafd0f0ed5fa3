import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileResilience } from '../dispatch/compile-resilience.js';
import { compileLimits } from '../limits/limits-config.js';
import { demoConfigDocument, openrouterConfigDocument } from './builtin-configs.js';
import { compileLitellm } from './compile-litellm.js';
import { compileNative, type CompileResult } from './compile-native.js';
import { DEFAULT_CONFIG_FILE } from './defaults.js';
import { FILE_PATH, configError, isRecord, partitionDiagnostics } from './diagnostics.js';
import { interpolateEnv } from './interpolate-env.js';
import { readYaml } from './read-yaml.js';
import type { ConfigDiagnostic, LoadResult } from './types.js';

export { formatDiagnostics } from './diagnostics.js';

export interface LoadConfigOptions {
  /** Explicit config file (`--config`); relative paths resolve against cwd. */
  path?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Loads the gateway config: the explicit file, else `./switchyard.yaml`, else a built-in config
 * (OpenRouter when OPENROUTER_API_KEY is set, the demo provider otherwise). Pure apart from reading
 * the file, so SIGHUP can call it again.
 */
export function loadConfig(opts: LoadConfigOptions = {}): LoadResult {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  if (opts.path !== undefined) return loadConfigFile(resolve(cwd, opts.path), env);
  const local = resolve(cwd, DEFAULT_CONFIG_FILE);
  if (existsSync(local)) return loadConfigFile(local, env);
  const key = env.OPENROUTER_API_KEY;
  if (key !== undefined && key !== '') {
    return toLoadResult(compileNative(openrouterConfigDocument(key), { source: 'builtin:openrouter', format: 'builtin' }));
  }
  return toLoadResult(compileNative(demoConfigDocument(), { source: 'builtin:demo', format: 'builtin' }));
}

/** Loads one config file: YAML → `${VAR}` interpolation → format detection → schema → compiled config. */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    return fail([configError(FILE_PATH, `cannot read config file ${file} (${reason}): check the --config path`)]);
  }
  return loadConfigText(text, file, env);
}

/** Loads config text whose origin is `source` (a path, used in messages and `config.source`). */
export function loadConfigText(text: string, source: string, env: NodeJS.ProcessEnv): LoadResult {
  const yaml = readYaml(text);
  if (yaml.diagnostics.some((d) => d.severity === 'error')) return fail(yaml.diagnostics);
  if (!isRecord(yaml.value)) {
    const what = yaml.value === undefined || yaml.value === null ? 'empty' : 'not a mapping';
    return fail([...yaml.diagnostics, configError(FILE_PATH, `the config is ${what}: it needs top-level sections such as providers and models (or LiteLLM's model_list)`)]);
  }
  const interpolated = interpolateEnv(yaml.value, env);
  const doc = interpolated.value as Record<string, unknown>;
  const compiled = 'model_list' in doc
    ? compileLitellm(doc, { source, env, failedPaths: interpolated.failedPaths })
    : compileNative(doc, { source, failedPaths: interpolated.failedPaths });
  // The resilience and limits sections name models and keys, so they are checked on the compiled config.
  const resilience = compiled.config ? [...compileResilience(compiled.config).diagnostics, ...compileLimits(compiled.config).diagnostics] : [];
  return toLoadResult({
    config: compiled.config,
    diagnostics: [...yaml.diagnostics, ...interpolated.diagnostics, ...compiled.diagnostics, ...resilience],
  });
}

function toLoadResult(result: CompileResult): LoadResult {
  const { errors, warnings } = partitionDiagnostics(result.diagnostics);
  if (!result.config && errors.length === 0) errors.push(configError(FILE_PATH, 'the config could not be compiled'));
  if (errors.length > 0 || !result.config) return { ok: false, errors, warnings };
  return { ok: true, config: result.config, warnings };
}

function fail(diagnostics: ConfigDiagnostic[]): LoadResult {
  return toLoadResult({ diagnostics });
}
