import { configError, isRecord, type PathSegment } from './diagnostics.js';
import type { ConfigDiagnostic } from './types.js';

export type EnvLookup = (name: string) => string | undefined;

const PREFIX = 'os.environ/';

/** Resolves LiteLLM's `os.environ/VAR` references in every string under a value; unset variables are errors. */
export function resolveOsEnviron(value: unknown, path: readonly PathSegment[], lookup: EnvLookup, diags: ConfigDiagnostic[]): unknown {
  if (typeof value === 'string') {
    if (!value.startsWith(PREFIX)) return value;
    const name = value.slice(PREFIX.length);
    const resolved = lookup(name);
    if (resolved === undefined) {
      diags.push(configError(path, `environment variable ${name} is not set (referenced as ${value}): export ${name} before starting, or write the value here`));
    }
    return resolved;
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveOsEnviron(v, [...path, i], lookup, diags));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveOsEnviron(v, [...path, k], lookup, diags)]));
  }
  return value;
}
