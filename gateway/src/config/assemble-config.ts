import { configError, type PathSegment } from './diagnostics.js';
import type { AuthConfig, ConfigDiagnostic, Deployment, GatewayConfig, ServerConfig, StoreConfig } from './types.js';

export type DeploymentSpec = Omit<Deployment, 'id'>;

export interface ConfigParts {
  source: string;
  format: GatewayConfig['format'];
  server: ServerConfig;
  auth: AuthConfig;
  store: StoreConfig;
  deployments: readonly DeploymentSpec[];
  aliases: ReadonlyMap<string, string>;
  extensions: Record<string, unknown>;
}

/** Groups deployments by public name (in config order), gives them ids and freezes the whole config. */
export function assembleConfig(parts: ConfigParts): GatewayConfig {
  const groups = new Map<string, Deployment[]>();
  for (const spec of parts.deployments) {
    const group = groups.get(spec.modelName) ?? [];
    group.push({ ...spec, id: `${spec.modelName}#${group.length}` });
    groups.set(spec.modelName, group);
  }
  const config: GatewayConfig = {
    source: parts.source,
    format: parts.format,
    server: parts.server,
    auth: parts.auth,
    store: parts.store,
    models: groups,
    aliases: new Map(parts.aliases),
    extensions: parts.extensions,
  };
  return deepFreeze(config);
}

export interface AliasEntry {
  alias: string;
  target: unknown;
  path: readonly PathSegment[];
}

/** Checks that every alias names a served model and does not shadow one. */
export function checkAliases(entries: readonly AliasEntry[], modelNames: ReadonlySet<string>): ConfigDiagnostic[] {
  const served = modelNames.size > 0 ? `use one of: ${[...modelNames].join(', ')}` : 'no models are defined';
  const out: ConfigDiagnostic[] = [];
  for (const { alias, target, path } of entries) {
    if (typeof target !== 'string') continue; // the schema reports the type
    if (modelNames.has(alias)) {
      out.push(configError(path, `alias "${alias}" has the same name as a model; rename the alias or the model`));
    } else if (!modelNames.has(target)) {
      out.push(configError(path, `alias "${alias}" points at "${target}", which no model serves; ${served}`));
    }
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value instanceof Map) {
    for (const [, v] of value) deepFreeze(v);
  } else if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return typeof value === 'object' && value !== null ? Object.freeze(value) : value;
}
