import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { Signals } from '../signals/types.js';
import { forEachGram, gramScale, NUMERIC_FEATURES } from './features.js';

export const MODEL_KIND = 'switchyard.router-model';
export const MODEL_VERSION = 1;

/** The JSON file `switchyard train-router` writes: a logistic model over hashed n-grams and numeric signals. */
export const routerModelSchema = z.strictObject({
  kind: z.literal(MODEL_KIND),
  version: z.literal(MODEL_VERSION),
  /** log2 of the number of hash buckets. */
  hash_bits: z.number().int().min(8).max(24),
  bigrams: z.boolean(),
  /** Numeric features by name (routing/train/features.ts), in the order of numeric_weights. */
  numeric: z.array(z.string().refine((n) => n in NUMERIC_FEATURES, { message: `unknown feature; known: ${Object.keys(NUMERIC_FEATURES).join(', ')}` })),
  numeric_weights: z.array(z.number()),
  bias: z.number(),
  /** Non-zero bucket weights, as parallel arrays. */
  grams: z.strictObject({ buckets: z.array(z.number().int().nonnegative()), weights: z.array(z.number()) }),
  /** What a positive label meant and what the model was fitted on (informational). */
  training: z.looseObject({ label: z.string() }),
});

export type RouterModelFile = z.infer<typeof routerModelSchema>;

/** A loaded model, ready to score requests. */
export interface RouterScorer {
  source: string;
  /** 0..1: the predicted chance that this request needs the strong model. */
  score(signals: Signals): number;
}

/** Checks a parsed model file beyond its shape: array lengths and bucket range. Returns problems as messages. */
function consistencyProblems(m: RouterModelFile): string[] {
  const out: string[] = [];
  if (m.numeric.length !== m.numeric_weights.length) out.push(`numeric has ${m.numeric.length} names but numeric_weights has ${m.numeric_weights.length} values`);
  if (m.grams.buckets.length !== m.grams.weights.length) out.push('grams.buckets and grams.weights differ in length');
  const size = 2 ** m.hash_bits;
  if (m.grams.buckets.some((b) => b >= size)) out.push(`a bucket is out of range for hash_bits ${m.hash_bits}`);
  return out;
}

/** Reads and validates a model file; errors name the file and the field. */
export function loadRouterModel(file: string): { scorer?: RouterScorer; errors: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { errors: [`cannot read model ${file} (${code ?? (err instanceof Error ? err.message : String(err))})`] };
  }
  const parsed = routerModelSchema.safeParse(raw);
  if (!parsed.success) {
    return { errors: parsed.error.issues.map((i) => `${file}: ${i.path.join('.') || '(root)'}: ${i.message}`) };
  }
  const problems = consistencyProblems(parsed.data);
  if (problems.length > 0) return { errors: problems.map((p) => `${file}: ${p}`) };
  return { scorer: compileRouterModel(parsed.data, file), errors: [] };
}

/** Writes a model file (weights rounded to 6 significant digits). */
export function saveRouterModel(file: string, model: RouterModelFile): void {
  writeFileSync(file, JSON.stringify(model) + '\n');
}

// The request path sums bucket weights through this one visitor, so scoring allocates nothing per request.
let sumWeights: Float32Array = new Float32Array(0);
let sum = 0;
const addWeight = (bucket: number) => {
  sum += sumWeights[bucket]!;
};

/** Builds the scorer of a validated model: a dense bucket table and the numeric feature functions. */
export function compileRouterModel(m: RouterModelFile, source: string): RouterScorer {
  const table = new Float32Array(2 ** m.hash_bits);
  m.grams.buckets.forEach((b, i) => {
    table[b] = m.grams.weights[i]!;
  });
  const mask = table.length - 1;
  const features = m.numeric.map((name) => NUMERIC_FEATURES[name]!);
  const numericWeights = Float64Array.from(m.numeric_weights);
  const { bias, bigrams } = m;
  return {
    source,
    score(signals: Signals): number {
      sumWeights = table;
      sum = 0;
      const n = forEachGram(signals.instruction, mask, bigrams, addWeight);
      let z = bias + sum * gramScale(n);
      for (let j = 0; j < features.length; j++) z += numericWeights[j]! * features[j]!(signals);
      return 1 / (1 + Math.exp(-z));
    },
  };
}
