import { configError, formatPath, isRecord, type PathSegment } from '../config/diagnostics.js';
import type { ConfigDiagnostic } from '../config/types.js';
import { SIGNAL_FIELDS, type Signals } from './signals/types.js';

/** A compiled `when`: a plain predicate over signals, built once at load. */
export type Predicate = (signals: Signals) => boolean;

type Scalar = string | number | boolean;
const OPERATORS = ['eq', 'ne', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'matches', 'contains'] as const;
const ALWAYS: Predicate = () => true;

/** Compiles a rule's `when` (field matchers, `all`, `any`, `not`); problems are pushed as diagnostics at `path`. */
export function compileCondition(raw: unknown, path: readonly PathSegment[], diags: ConfigDiagnostic[]): Predicate {
  if (raw === undefined || raw === null) return ALWAYS;
  if (!isRecord(raw)) {
    diags.push(configError(path, 'expected a mapping of signal: matcher, or all / any / not'));
    return ALWAYS;
  }
  const parts: Predicate[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const at = [...path, key];
    if (key === 'all' || key === 'any') {
      if (!Array.isArray(value) || value.length === 0) {
        diags.push(configError(at, `expected a non-empty list of conditions`));
        continue;
      }
      const inner = value.map((v, i) => compileCondition(v, [...at, i], diags));
      parts.push(key === 'all' ? (s) => inner.every((p) => p(s)) : (s) => inner.some((p) => p(s)));
    } else if (key === 'not') {
      const inner = compileCondition(value, at, diags);
      parts.push((s) => !inner(s));
    } else {
      const matcher = compileField(key, value, at, diags);
      if (matcher) parts.push(matcher);
    }
  }
  if (parts.length === 1) return parts[0]!;
  return (s) => {
    for (const p of parts) if (!p(s)) return false;
    return true;
  };
}

function compileField(field: string, spec: unknown, at: PathSegment[], diags: ConfigDiagnostic[]): Predicate | undefined {
  const kind = SIGNAL_FIELDS[field];
  if (!kind) {
    diags.push(configError(at, `unknown signal "${field}"; signals: ${Object.keys(SIGNAL_FIELDS).join(', ')}, or all / any / not`));
    return undefined;
  }
  const get = accessor(field);
  if (isScalar(spec)) return checkScalar(spec, kind, at, diags) ? (s) => same(get(s), spec) : undefined;
  if (Array.isArray(spec)) return compileOp(get, kind, 'in', spec, at, diags);
  if (!isRecord(spec)) {
    diags.push(configError(at, `expected a value, a list of values, or operators (${OPERATORS.join(', ')})`));
    return undefined;
  }
  const ops: Predicate[] = [];
  for (const [op, operand] of Object.entries(spec)) {
    const p = compileOp(get, kind, op, operand, [...at, op], diags);
    if (p) ops.push(p);
  }
  return (s) => ops.every((p) => p(s));
}

function compileOp(get: (s: Signals) => Scalar, kind: string, op: string, operand: unknown, at: PathSegment[], diags: ConfigDiagnostic[]): Predicate | undefined {
  const fail = (message: string) => {
    diags.push(configError(at, message));
    return undefined;
  };
  switch (op) {
    case 'eq':
    case 'ne': {
      if (!isScalar(operand) || !checkScalar(operand, kind, at, diags)) return isScalar(operand) ? undefined : fail(`expected a ${kind}`);
      return op === 'eq' ? (s) => same(get(s), operand) : (s) => !same(get(s), operand);
    }
    case 'in':
    case 'not_in': {
      if (!Array.isArray(operand) || !operand.every(isScalar)) return fail('expected a list of values');
      if (!operand.every((v) => checkScalar(v, kind, at, diags))) return undefined;
      const set = new Set(operand.map(normal));
      return op === 'in' ? (s) => set.has(normal(get(s))) : (s) => !set.has(normal(get(s)));
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (kind !== 'number') return fail(`${op} compares numbers; "${formatPath(at.slice(0, -1))}" is a ${kind}`);
      if (typeof operand !== 'number') return fail('expected a number');
      const n = operand;
      if (op === 'gt') return (s) => (get(s) as number) > n;
      if (op === 'gte') return (s) => (get(s) as number) >= n;
      if (op === 'lt') return (s) => (get(s) as number) < n;
      return (s) => (get(s) as number) <= n;
    }
    case 'between': {
      if (kind !== 'number') return fail(`between compares numbers; this signal is a ${kind}`);
      if (!Array.isArray(operand) || operand.length !== 2 || !operand.every((v) => typeof v === 'number') || operand[0]! > operand[1]!) {
        return fail('expected [low, high] with low <= high (both inclusive)');
      }
      const [lo, hi] = operand as [number, number];
      return (s) => {
        const v = get(s) as number;
        return v >= lo && v <= hi;
      };
    }
    case 'matches':
    case 'contains': {
      if (kind !== 'string') return fail(`${op} applies to text signals; this signal is a ${kind}`);
      if (typeof operand !== 'string' || operand === '') return fail('expected a non-empty string');
      if (op === 'contains') {
        const needle = operand.toLowerCase();
        return (s) => (get(s) as string).toLowerCase().includes(needle);
      }
      let re: RegExp;
      try {
        re = new RegExp(operand, 'i');
      } catch (err) {
        return fail(`invalid regular expression: ${(err as Error).message}`);
      }
      return (s) => re.test(get(s) as string);
    }
    default:
      return fail(`unknown operator "${op}"; operators: ${OPERATORS.join(', ')}`);
  }
}

function accessor(field: string): (s: Signals) => Scalar {
  if (field.startsWith('cues.')) {
    const key = field.slice(5) as keyof Signals['cues'];
    return (s) => s.cues[key];
  }
  const key = field as keyof Signals;
  return (s) => s[key] as Scalar;
}

function checkScalar(value: Scalar, kind: string, at: PathSegment[], diags: ConfigDiagnostic[]): boolean {
  if (typeof value === kind) return true;
  diags.push(configError(at, `expected a ${kind}, got ${JSON.stringify(value)}`));
  return false;
}

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function normal(v: Scalar): Scalar {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function same(a: Scalar, b: Scalar): boolean {
  return normal(a) === normal(b);
}
