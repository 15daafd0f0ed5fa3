import type { LabeledPrompt } from '../eval/evaluate-router.js';
import { extractSignals } from '../signals/extract-signals.js';
import { DEFAULT_NUMERIC, featureRow, type FeatureRow } from './features.js';
import { fitLogistic, rowMargin, type TrainingSet } from './logistic.js';
import { MODEL_KIND, MODEL_VERSION, type RouterModelFile } from './router-model.js';

/**
 * How a labeled row becomes a training target. `better`: positive when the strong model scored higher than
 * the weak one (ties, where either model does as well, are negatives: the cheap one suffices), every row
 * weighing 1. `gap`: the same sign, each row weighted by how much the choice matters (|strong − weak|,
 * scaled to the file's largest gap), so ties drop out.
 */
export type LabelMode = 'better' | 'gap';

export interface TrainOptions {
  hashBits: number;
  bigrams: boolean;
  numeric: readonly string[];
  l2: number;
  maxIterations: number;
  label: LabelMode;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  hashBits: 18,
  bigrams: true,
  numeric: DEFAULT_NUMERIC,
  l2: 1e-2,
  maxIterations: 200,
  label: 'better',
};

const noHeaders = () => undefined;

/** Features of labeled prompts, computed once (cross-validation trains on subsets of them). */
export interface FeaturizedSet {
  rows: FeatureRow[];
  labels: Float64Array;
  weights: Float64Array;
}

/** Featurizes prompts the way the request path sees them: signals of a one-user-message request. */
export function featurize(prompts: readonly LabeledPrompt[], opts: TrainOptions): FeaturizedSet {
  const mask = 2 ** opts.hashBits - 1;
  const rows = prompts.map((p) => featureRow(extractSignals({ request: { model: 'auto', messages: [{ role: 'user', content: p.prompt }] }, header: noHeaders }), mask, opts.bigrams, opts.numeric));
  let maxGap = 0;
  for (const p of prompts) maxGap = Math.max(maxGap, Math.abs(p.strong - p.weak));
  const labels = Float64Array.from(prompts, (p) => (p.strong > p.weak ? 1 : 0));
  const weights = Float64Array.from(prompts, (p) => (opts.label === 'gap' ? (maxGap === 0 ? 0 : Math.abs(p.strong - p.weak) / maxGap) : 1));
  return { rows, labels, weights };
}

/** Concatenates featurized sets (several --data files train one model). */
export function concatSets(sets: readonly FeaturizedSet[]): FeaturizedSet {
  return {
    rows: sets.flatMap((s) => s.rows),
    labels: Float64Array.from(sets.flatMap((s) => [...s.labels])),
    weights: Float64Array.from(sets.flatMap((s) => [...s.weights])),
  };
}

export interface TrainedModel {
  model: RouterModelFile;
  /** Raw weights in trainer layout [buckets | numeric | bias], to score held-out rows without a round trip. */
  weights: Float64Array;
  iterations: number;
  loss: number;
}

/** Fits a model on the rows at `indices` of a featurized set (all rows when omitted). */
export function trainOn(set: FeaturizedSet, opts: TrainOptions, indices?: readonly number[], info: Record<string, unknown> = {}): TrainedModel {
  const pick = indices ?? set.rows.map((_, i) => i);
  const size = 2 ** opts.hashBits;
  // Only buckets the training rows touch can get weight (L2 keeps the rest at 0): fit over those alone.
  const compact = new Int32Array(size).fill(-1);
  const used: number[] = [];
  const rows = pick.map((i) => {
    const row = set.rows[i]!;
    const grams = row.grams.map((b) => {
      if (compact[b] === -1) {
        compact[b] = used.length;
        used.push(b);
      }
      return compact[b]!;
    });
    return { grams, numeric: row.numeric };
  });
  const training: TrainingSet = {
    rows,
    labels: Float64Array.from(pick, (i) => set.labels[i]!),
    weights: Float64Array.from(pick, (i) => set.weights[i]!),
    buckets: used.length,
    numeric: opts.numeric.length,
  };
  const fit = fitLogistic(training, { l2: opts.l2, maxIterations: opts.maxIterations });
  const w = new Float64Array(size + opts.numeric.length + 1);
  used.forEach((b, k) => {
    w[b] = fit.weights[k]!;
  });
  w.set(fit.weights.subarray(used.length), size);
  const order = [...used].sort((a, b) => a - b);
  const buckets: number[] = [];
  const values: number[] = [];
  for (const b of order) {
    if (w[b] === 0) continue;
    buckets.push(b);
    values.push(round(w[b]!));
  }
  const model: RouterModelFile = {
    kind: MODEL_KIND,
    version: MODEL_VERSION,
    hash_bits: opts.hashBits,
    bigrams: opts.bigrams,
    numeric: [...opts.numeric],
    numeric_weights: opts.numeric.map((_, j) => round(w[size + j]!)),
    bias: round(w[w.length - 1]!),
    grams: { buckets, weights: values },
    training: { score_deciles: deciles(pick.map((i) => rowMargin(w, set.rows[i]!, size))), label: opts.label === 'gap' ? 'strong_score > weak_score, weighted by the gap' : 'strong_score > weak_score', rows: pick.length, l2: opts.l2, iterations: fit.iterations, ...info },
  };
  return { model, weights: w, iterations: fit.iterations, loss: fit.loss };
}

/** The model's linear score of featurized rows (monotone in its probability, enough for ranking metrics). */
export function marginsOf(trained: TrainedModel, set: FeaturizedSet, indices: readonly number[], opts: TrainOptions): number[] {
  return indices.map((i) => rowMargin(trained.weights, set.rows[i]!, 2 ** opts.hashBits));
}

/** The 10%…90% quantiles of in-sample scores (0..1), to help choose thresholds. */
function deciles(margins: number[]): number[] {
  const sorted = margins.map((z) => 1 / (1 + Math.exp(-z))).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  return Array.from({ length: 9 }, (_, k) => round(sorted[Math.floor(((k + 1) / 10) * (sorted.length - 1))]!));
}

function round(x: number): number {
  return Number(x.toPrecision(6));
}
