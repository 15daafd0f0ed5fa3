import type { LabeledPrompt } from '../eval/evaluate-router.js';
import { seededRandom } from '../../core/seeded-random.js';
import { routerMetrics } from '../eval/router-metrics.js';
import { featurize, marginsOf, trainOn, type TrainOptions } from './train-router-model.js';

export interface CrossValidation {
  folds: number;
  rows: number;
  /** Metrics of the out-of-fold scores pooled over every row. */
  apgr: number;
  cpt50: number;
  cpt80: number;
  /** APGR within each fold, to show the spread. */
  foldApgr: number[];
}

/** A seeded shuffle of 0..n-1 (Fisher-Yates over mulberry32), so folds repeat run to run. */
export function shuffledIndices(n: number, seed: number): number[] {
  const rand = seededRandom(seed);
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** k-fold cross-validated APGR / CPT of the trained scorer: each row is scored by a model that never saw it. */
export function crossValidate(prompts: readonly LabeledPrompt[], opts: TrainOptions, folds = 5, seed = 42): CrossValidation {
  if (folds < 2 || folds > prompts.length) throw new Error(`--cv needs between 2 and ${prompts.length} folds`);
  const set = featurize(prompts, opts);
  const order = shuffledIndices(prompts.length, seed);
  const scores = new Array<number>(prompts.length).fill(0);
  const foldApgr: number[] = [];
  for (let f = 0; f < folds; f++) {
    const test = order.filter((_, k) => k % folds === f);
    const train = order.filter((_, k) => k % folds !== f);
    const model = trainOn(set, opts, train);
    const margins = marginsOf(model, set, test, opts);
    test.forEach((row, k) => {
      scores[row] = margins[k]!;
    });
    foldApgr.push(routerMetrics(margins, test.map((i) => prompts[i]!)).apgr);
  }
  const pooled = routerMetrics(scores, prompts);
  return { folds, rows: prompts.length, apgr: pooled.apgr, cpt50: pooled.cpt50, cpt80: pooled.cpt80, foldApgr };
}
