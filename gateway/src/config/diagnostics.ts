import type { ConfigDiagnostic } from './types.js';

export type PathSegment = string | number;

/** Path used for problems with the file itself (unreadable, YAML syntax, wrong root type). */
export const FILE_PATH = '(file)';

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Formats path segments the way a user reads YAML: `models[2].prices.input`, `aliases["gpt-4.1"]`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === '' ? '(root)' : out;
}

/** An error diagnostic at a path. */
export function configError(path: string | readonly PathSegment[], message: string): ConfigDiagnostic {
  return { severity: 'error', path: typeof path === 'string' ? path : formatPath(path), message };
}

/** A warning diagnostic at a path. */
export function configWarning(path: string | readonly PathSegment[], message: string): ConfigDiagnostic {
  return { severity: 'warning', path: typeof path === 'string' ? path : formatPath(path), message };
}

/** One line per problem: `error    models[2].prices.input: expected a number …`. */
export function formatDiagnostics(diags: readonly ConfigDiagnostic[]): string {
  return diags.map((d) => `${d.severity.padEnd(7)}  ${d.path}: ${d.message}`).join('\n');
}

/** Splits diagnostics by severity. */
export function partitionDiagnostics(diags: readonly ConfigDiagnostic[]): { errors: ConfigDiagnostic[]; warnings: ConfigDiagnostic[] } {
  return {
    errors: diags.filter((d) => d.severity === 'error'),
    warnings: diags.filter((d) => d.severity === 'warning'),
  };
}

/** True for a plain (non-array, non-null) object, as YAML mappings parse. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
