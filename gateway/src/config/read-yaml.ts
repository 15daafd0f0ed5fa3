import { LineCounter, parseDocument } from 'yaml';
import { FILE_PATH, configError, configWarning } from './diagnostics.js';
import type { ConfigDiagnostic } from './types.js';

export interface YamlReadResult {
  /** The document as plain data; undefined when the YAML could not be parsed. */
  value: unknown;
  diagnostics: ConfigDiagnostic[];
}

/** Parses YAML text into plain data, reporting syntax problems with line and column. */
export function readYaml(text: string): YamlReadResult {
  const lineCounter = new LineCounter();
  // uniqueKeys (the default) makes a repeated mapping key, e.g. two providers with one name, an error.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lines = text.split('\n');
  const where = (pos: readonly [number, number]): string => {
    const { line, col } = lineCounter.linePos(pos[0]);
    const source = (lines[line - 1] ?? '').trim();
    return `line ${line}, column ${col}${source ? ` (${JSON.stringify(source.slice(0, 80))})` : ''}`;
  };
  const diagnostics: ConfigDiagnostic[] = [
    ...doc.errors.map((e) => configError(FILE_PATH, `YAML syntax error at ${where(e.pos)}: ${explain(e.code, e.message)}`)),
    ...doc.warnings.map((w) => configWarning(FILE_PATH, `YAML warning at ${where(w.pos)}: ${firstLine(w.message)}`)),
  ];
  if (doc.errors.length > 0) return { value: undefined, diagnostics };
  return { value: doc.toJS({ maxAliasCount: 100 }), diagnostics };
}

function explain(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'this key appears twice in one mapping (e.g. two providers with the same name); keep one (DUPLICATE_KEY)';
  return `${firstLine(message)} (${code})`;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
