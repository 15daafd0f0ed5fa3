/**
 * The upstream's own JSON text for objects decoded from it, so a pass-through (same API on both sides) sends
 * the bytes it received instead of re-encoding them. Decoded objects are treated as immutable: code that
 * changes one builds a new object, which has no raw text and is encoded normally.
 */
const rawText = new WeakMap<object, string>();

/** Parses JSON and remembers the text for `toJson`. */
export function parseRemembered<T extends object>(text: string): T {
  const value = JSON.parse(text) as T;
  if (typeof value === 'object' && value !== null) rawText.set(value, text);
  return value;
}

/** The remembered text of a decoded object, else `JSON.stringify`. */
export function toJson(value: object): string {
  return rawText.get(value) ?? JSON.stringify(value);
}
