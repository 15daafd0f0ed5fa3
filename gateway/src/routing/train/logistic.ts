import { gramScale, type FeatureRow } from './features.js';

/**
 * L2-regularised logistic regression fitted by L-BFGS. Full-batch and deterministic: the same rows give the
 * same weights, so cross-validation repeats exactly. Weight layout: [hashed buckets | numeric | bias].
 */

export interface TrainingSet {
  rows: readonly FeatureRow[];
  /** 1 when the strong model is needed. */
  labels: Float64Array;
  /** Per-row weights (all 1 unless the label says otherwise). */
  weights: Float64Array;
  buckets: number;
  numeric: number;
}

export interface FitOptions {
  /** L2 strength on every weight but the bias. */
  l2: number;
  maxIterations: number;
}

export interface FitResult {
  weights: Float64Array;
  iterations: number;
  loss: number;
}

const HISTORY = 8;

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** The linear score of a training row under weights `w`. */
export function rowMargin(w: Float64Array, row: FeatureRow, buckets: number): number {
  let g = 0;
  for (let k = 0; k < row.grams.length; k++) g += w[row.grams[k]!]!;
  let z = g * gramScale(row.grams.length) + w[w.length - 1]!;
  for (let j = 0; j < row.numeric.length; j++) z += w[buckets + j]! * row.numeric[j]!;
  return z;
}

/** Mean weighted log loss plus the L2 term, and its gradient written into `grad`. */
function lossAndGradient(set: TrainingSet, l2: number, w: Float64Array, grad: Float64Array): number {
  grad.fill(0);
  let loss = 0;
  let total = 0;
  for (let i = 0; i < set.rows.length; i++) total += set.weights[i]!;
  const norm = total > 0 ? 1 / total : 0;
  const bias = w.length - 1;
  for (let i = 0; i < set.rows.length; i++) {
    const row = set.rows[i]!;
    const weight = set.weights[i]! * norm;
    if (weight === 0) continue;
    const z = rowMargin(w, row, set.buckets);
    const y = set.labels[i]!;
    // log(1 + e^z) - y z, computed stably.
    loss += weight * ((z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y * z);
    const d = weight * (sigmoid(z) - y);
    const gs = d * gramScale(row.grams.length);
    for (let k = 0; k < row.grams.length; k++) grad[row.grams[k]!]! += gs;
    for (let j = 0; j < row.numeric.length; j++) grad[set.buckets + j]! += d * row.numeric[j]!;
    grad[bias]! += d;
  }
  for (let j = 0; j < bias; j++) {
    if (w[j] === 0) continue;
    loss += 0.5 * l2 * w[j]! * w[j]!;
    grad[j]! += l2 * w[j]!;
  }
  return loss;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Fits the weights by L-BFGS with a backtracking (Armijo) line search. */
export function fitLogistic(set: TrainingSet, opts: FitOptions): FitResult {
  const dim = set.buckets + set.numeric + 1;
  let w = new Float64Array(dim);
  let grad = new Float64Array(dim);
  let loss = lossAndGradient(set, opts.l2, w, grad);
  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rho: number[] = [];
  const dir = new Float64Array(dim);
  const alpha = new Float64Array(HISTORY);
  let nextW = new Float64Array(dim);
  let nextGrad = new Float64Array(dim);
  let iterations = 0;
  for (; iterations < opts.maxIterations; iterations++) {
    // Two-loop recursion: dir = -H·grad.
    for (let i = 0; i < dim; i++) dir[i] = -grad[i]!;
    for (let h = sHist.length - 1; h >= 0; h--) {
      alpha[h] = rho[h]! * dot(sHist[h]!, dir);
      const y = yHist[h]!;
      for (let i = 0; i < dim; i++) dir[i]! -= alpha[h]! * y[i]!;
    }
    if (sHist.length > 0) {
      const last = sHist.length - 1;
      const gamma = dot(sHist[last]!, yHist[last]!) / dot(yHist[last]!, yHist[last]!);
      for (let i = 0; i < dim; i++) dir[i]! *= gamma;
    }
    for (let h = 0; h < sHist.length; h++) {
      const beta = rho[h]! * dot(yHist[h]!, dir);
      const s = sHist[h]!;
      for (let i = 0; i < dim; i++) dir[i]! += (alpha[h]! - beta) * s[i]!;
    }
    let slope = dot(dir, grad);
    if (slope >= 0) {
      // Not a descent direction: restart from steepest descent.
      for (let i = 0; i < dim; i++) dir[i] = -grad[i]!;
      slope = dot(dir, grad);
      sHist.length = yHist.length = rho.length = 0;
    }
    let step = sHist.length === 0 ? 1 / Math.max(1, Math.sqrt(-slope)) : 1;
    let nextLoss = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let i = 0; i < dim; i++) nextW[i] = w[i]! + step * dir[i]!;
      nextLoss = lossAndGradient(set, opts.l2, nextW, nextGrad);
      if (nextLoss <= loss + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(nextLoss < loss)) break;
    // Reuse the oldest pair's buffers once the history is full.
    const full = sHist.length === HISTORY;
    const s = full ? sHist.shift()! : new Float64Array(dim);
    const y = full ? yHist.shift()! : new Float64Array(dim);
    if (full) rho.shift();
    for (let i = 0; i < dim; i++) {
      s[i] = nextW[i]! - w[i]!;
      y[i] = nextGrad[i]! - grad[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      sHist.push(s);
      yHist.push(y);
      rho.push(1 / sy);
    }
    const improvement = loss - nextLoss;
    [w, nextW] = [nextW, w];
    [grad, nextGrad] = [nextGrad, grad];
    loss = nextLoss;
    if (improvement < 1e-7 * Math.max(1, Math.abs(loss))) {
      iterations++;
      break;
    }
  }
  return { weights: w, iterations, loss };
}
