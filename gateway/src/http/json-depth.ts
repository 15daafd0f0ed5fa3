/**
 * Deepest nesting of arrays and objects a request body may have. Real requests (messages → content parts,
 * tool JSON schemas) stay far below it; thousands of levels would overflow the stack when re-serialised upstream.
 */
export const MAX_JSON_DEPTH = 64;

/** True when a parsed JSON value nests arrays/objects more than `max` levels; stops descending at the first one. */
export function exceedsDepth(value: unknown, max: number, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth >= max) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (exceedsDepth(item, max, depth + 1)) return true;
    return false;
  }
  for (const key in value) if (exceedsDepth((value as Record<string, unknown>)[key], max, depth + 1)) return true;
  return false;
}
