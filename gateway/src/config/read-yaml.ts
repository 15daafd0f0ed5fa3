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
  const where = (pos: readonly [number, number]): string => {
    const { line, col } = lineCounter.linePos(pos[0]);
    return `line ${line}, column ${col}`;
  };
  const diagnostics: ConfigDiagnostic[] = [
    ...doc.errors.map((e) => configError(FILE_PATH, `YAML syntax error at ${where(e.pos)}: ${firstLine(e.message)} (${e.code})`)),
    ...doc.warnings.map((w) => configWarning(FILE_PATH, `YAML warning at ${where(w.pos)}: ${firstLine(w.message)}`)),
  ];
  if (doc.errors.length > 0) return { value: undefined, diagnostics };
  return { value: doc.toJS({ maxAliasCount: 100 }), diagnostics };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
