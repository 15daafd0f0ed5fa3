/** JSON-schema subset the demo provider understands when it invents tool arguments. */
type Schema = Record<string, unknown>;

const MAX_DEPTH = 8;

const NAMED_STRINGS: Array<[RegExp, string]> = [
  [/^(command|cmd)$/i, 'echo switchyard-demo'],
  [/^(path|file_?path|filename|file)$/i, 'README.md'],
  [/^(dir|directory|cwd)$/i, '.'],
  [/^description$/i, 'Show that the Switchyard demo provider can call tools'],
  [/^(pattern|glob|regex)$/i, 'README'],
  [/^(query|q|search)$/i, 'switchyard demo'],
  [/^(url|uri|link)$/i, 'https://example.com'],
  [/^(content|text|body|message|prompt)$/i, 'Hello from the Switchyard demo provider.'],
  [/^(name|title)$/i, 'switchyard-demo'],
  [/^(language|lang)$/i, 'typescript'],
];

/**
 * Arguments for a tool, built from its JSON-schema parameters: every required property gets a sensible value.
 * Returns undefined when some required part cannot be satisfied (unknown types, patterns, unresolved refs).
 */
export function synthesizeArguments(parameters: Schema | undefined): Record<string, unknown> | undefined {
  if (!parameters || Object.keys(parameters).length === 0) return {};
  const value = valueFor(parameters, 'arguments', 0);
  return isPlainObject(value) ? value : undefined;
}

function valueFor(schema: unknown, name: string, depth: number): unknown {
  if (!isPlainObject(schema) || depth > MAX_DEPTH) return undefined;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum.length > 0 ? schema.enum[0] : undefined;
  if ('default' in schema && schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) return firstSatisfiable(options, name, depth);
  }
  if (Array.isArray(schema.allOf)) return schema.allOf.length === 1 ? valueFor(schema.allOf[0], name, depth + 1) : undefined;
  if ('$ref' in schema || 'not' in schema) return undefined;
  const type = pickType(schema);
  switch (type) {
    case 'string':
      return stringFor(schema, name);
    case 'integer':
    case 'number':
      return numberFor(schema);
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array':
      return arrayFor(schema, name, depth);
    case 'object':
      return objectFor(schema, depth);
    default:
      return undefined;
  }
}

function firstSatisfiable(options: unknown[], name: string, depth: number): unknown {
  for (const option of options) {
    const value = valueFor(option, name, depth + 1);
    if (value !== undefined) return value;
  }
  return undefined;
}

function pickType(schema: Schema): string | undefined {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const real = type.filter((t): t is string => typeof t === 'string' && t !== 'null');
    return real[0] ?? (type.includes('null') ? 'null' : undefined);
  }
  if (isPlainObject(schema.properties)) return 'object';
  if ('items' in schema) return 'array';
  // `{}` accepts anything: a short string is the friendliest value
  return Object.keys(schema).every((k) => k === 'description' || k === 'title') ? 'string' : undefined;
}

function stringFor(schema: Schema, name: string): string | undefined {
  if (typeof schema.pattern === 'string') return undefined;
  let value = formatValue(schema.format) ?? NAMED_STRINGS.find(([re]) => re.test(name))?.[1] ?? `demo ${name}`;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  if (value.length < min) value = value.padEnd(min, '.');
  if (value.length > max) value = value.slice(0, max);
  return value;
}

function formatValue(format: unknown): string | undefined {
  if (format === 'uri' || format === 'url') return 'https://example.com';
  if (format === 'email') return 'demo@example.com';
  if (format === 'date-time') return '2025-01-01T00:00:00Z';
  if (format === 'date') return '2025-01-01';
  if (format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  return undefined;
}

function numberFor(schema: Schema): number {
  let value = 1;
  if (typeof schema.minimum === 'number' && value < schema.minimum) value = Math.ceil(schema.minimum);
  if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) value = Math.floor(schema.exclusiveMinimum) + 1;
  if (typeof schema.maximum === 'number' && value > schema.maximum) value = Math.floor(schema.maximum);
  return value;
}

function arrayFor(schema: Schema, name: string, depth: number): unknown[] | undefined {
  const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
  if (minItems === 0) return [];
  const item = valueFor(schema.items, name, depth + 1);
  return item === undefined ? undefined : Array.from({ length: minItems }, () => item);
}

function objectFor(schema: Schema, depth: number): Record<string, unknown> | undefined {
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  const out: Record<string, unknown> = {};
  for (const key of required) {
    const value = key in properties ? valueFor(properties[key], key, depth + 1) : undefined;
    if (value === undefined) return undefined;
    out[key] = value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
