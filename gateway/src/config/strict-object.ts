import { z } from 'zod';

/**
 * A strict object schema that reports every unknown key at its own path with the allowed keys and a
 * "did you mean", and (unlike z.strictObject) does so even when sibling fields have errors too.
 */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape);
  return z.looseObject(shape).superRefine(
    (value, ctx) => {
      if (typeof value !== 'object' || value === null) return;
      for (const key of Object.keys(value)) {
        if (allowed.includes(key)) continue;
        const guess = closest(key, allowed);
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}; allowed here: ${allowed.join(', ')}`,
        });
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value) },
  );
}

/** The allowed key nearest to a misspelt one, if it is close enough to be a likely typo. */
export function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) && bestDistance < key.length ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** A number, also accepted as a numeric string (what `${PORT:-4000}` interpolates to). */
export const numberish = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v),
  z.number(),
);

/** A boolean, also accepted as the strings "true" / "false" (what `${FLAG:-false}` interpolates to). */
export const booleanish = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());
