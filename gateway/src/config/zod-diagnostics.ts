import type { z } from 'zod';
import { configError, formatPath, type PathSegment } from './diagnostics.js';
import type { ConfigDiagnostic } from './types.js';

/** Turns zod issues into diagnostics at YAML paths, skipping paths whose cause was already reported. */
export function zodIssuesToDiagnostics(
  issues: readonly z.core.$ZodIssue[],
  opts: { prefix?: readonly PathSegment[]; skipPaths?: ReadonlySet<string> } = {},
): ConfigDiagnostic[] {
  const out: ConfigDiagnostic[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const segments = [...(opts.prefix ?? []), ...issue.path.filter((p): p is PathSegment => typeof p !== 'symbol')];
    const path = formatPath(segments);
    if (opts.skipPaths && isUnder(path, opts.skipPaths)) continue;
    const message = describeIssue(issue);
    const key = `${path}\n${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(configError(path, message));
  }
  return out;
}

function isUnder(path: string, roots: ReadonlySet<string>): boolean {
  for (const root of roots) {
    if (path === root || path.startsWith(`${root}.`) || path.startsWith(`${root}[`)) return true;
  }
  return false;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `required: add ${article(issue.expected)} value here`;
      return `expected ${article(issue.expected)}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(issue.input)}`;
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `needs at least ${String(issue.minimum)} entr${issue.minimum === 1 ? 'y' : 'ies'}`;
      return `must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${String(issue.minimum)}, got ${describeValue(issue.input)}`;
    case 'too_big':
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}, got ${describeValue(issue.input)}`;
    case 'invalid_format':
      return `${issue.message}, got ${describeValue(issue.input)}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  const noun = expected === 'object' ? 'mapping' : expected === 'array' ? 'list' : expected;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return `${typeof value} ${String(value)}`;
}
