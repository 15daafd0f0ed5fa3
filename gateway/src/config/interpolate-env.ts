import { configError, formatPath, isRecord, type PathSegment } from './diagnostics.js';
import type { ConfigDiagnostic } from './types.js';

export interface InterpolationResult {
  value: unknown;
  diagnostics: ConfigDiagnostic[];
  /** Formatted paths whose value could not be resolved; schema errors under them would only repeat the cause. */
  failedPaths: Set<string>;
}

// `$${` escapes a literal `${`; otherwise `${NAME}` or `${NAME:-default}`.
const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const NAME_WITH_DEFAULT = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/** Replaces `${VAR}` and `${VAR:-default}` in every string value; an unset variable without a default is an error. */
export function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv): InterpolationResult {
  const diagnostics: ConfigDiagnostic[] = [];
  const failedPaths = new Set<string>();

  const visit = (node: unknown, path: PathSegment[]): unknown => {
    if (typeof node === 'string') return substitute(node, path);
    if (Array.isArray(node)) return node.map((item, i) => visit(item, [...path, i]));
    if (isRecord(node)) {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) out[key] = visit(child, [...path, key]);
      return out;
    }
    return node;
  };

  const substitute = (text: string, path: PathSegment[]): string => {
    if (!text.includes('${')) return text;
    return text.replace(REFERENCE, (whole, inner: string | undefined) => {
      if (inner === undefined) return '${';
      const match = NAME_WITH_DEFAULT.exec(inner);
      if (!match) {
        fail(path, `invalid variable reference "${whole}": use \${NAME} or \${NAME:-default} (write $\${ for a literal \${)`);
        return whole;
      }
      const name = match[1] as string;
      const fallback = match[2];
      const current = env[name];
      if (fallback !== undefined) return current === undefined || current === '' ? fallback : current;
      if (current === undefined) {
        fail(path, `environment variable ${name} is not set: export ${name}, or give a default with \${${name}:-value}`);
        return whole;
      }
      return current;
    });
  };

  const fail = (path: PathSegment[], message: string): void => {
    diagnostics.push(configError(path, message));
    failedPaths.add(formatPath(path));
  };

  return { value: visit(value, []), diagnostics, failedPaths };
}
