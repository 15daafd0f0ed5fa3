import type { Signals } from '../signals/types.js';

/**
 * Features of the trained scorer: hashed word uni- and bi-grams of the latest instruction plus a few numeric
 * signals the classifier already computes. Hashing walks the text once with no substrings: each token's hash
 * is built char by char (lower-cased ASCII, every digit as 0 so numbers generalise, other punctuation as
 * one-char tokens), and a bigram is the mix of two token hashes.
 */

/** Numeric features by name, each scaled to about 0..1; a model file lists the ones it was trained with. */
export const NUMERIC_FEATURES: Readonly<Record<string, (s: Signals) => number>> = {
  log_chars: (s) => Math.log2(1 + s.instruction_chars) / 16,
  complexity: (s) => s.complexity,
  code: (s) => (s.cues.code ? 1 : 0),
  math: (s) => (s.cues.math ? 1 : 0),
  design: (s) => (s.cues.design ? 1 : 0),
  debug: (s) => (s.cues.debug ? 1 : 0),
  reasoning: (s) => (s.cues.reasoning ? 1 : 0),
  open_ended: (s) => (s.cues.open_ended ? 1 : 0),
  multi_step: (s) => Math.min(s.cues.multi_step, 5) / 5,
  constraints: (s) => Math.min(s.cues.constraints, 5) / 5,
  questions: (s) => Math.min(s.cues.questions, 5) / 5,
};

export const DEFAULT_NUMERIC = Object.keys(NUMERIC_FEATURES);

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Marks the first token so "what …" at the start differs from "… what …" in bigrams. */
const START = 0x5bd1e995;

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 160;
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ (a >>> 16), 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Calls `visit(bucket)` for every hashed uni- and bigram of `text` (bigrams only when `bigrams`), and
 * returns how many it visited. No allocation: the caller keeps its own sums or buffers.
 */
export function forEachGram(text: string, mask: number, bigrams: boolean, visit: (bucket: number) => void): number {
  let n = 0;
  let prev = START;
  let h = FNV_OFFSET;
  let inWord = false;
  const len = text.length;
  // One step past the end (as a space) closes the last word.
  for (let i = 0; i <= len; i++) {
    let c = i < len ? text.charCodeAt(i) : 32;
    if (isWordChar(c)) {
      if (c >= 65 && c <= 90) c += 32;
      else if (c >= 48 && c <= 57) c = 48;
      h = Math.imul(h ^ c, FNV_PRIME);
      inWord = true;
      continue;
    }
    // Up to two tokens end here: the word before this char, then the char itself unless it is a space.
    for (let pass = 0; pass < 2; pass++) {
      let token: number;
      if (pass === 0) {
        if (!inWord) continue;
        token = h >>> 0;
        h = FNV_OFFSET;
        inWord = false;
      } else {
        if (isSpace(c)) continue;
        token = Math.imul(FNV_OFFSET ^ c, FNV_PRIME) >>> 0;
      }
      visit(token & mask);
      n++;
      if (bigrams) {
        visit(mix(prev, token) & mask);
        n++;
      }
      prev = token;
    }
  }
  return n;
}

/** One prompt as the trainer sees it: its n-gram buckets (repeats kept) and numeric feature values. */
export interface FeatureRow {
  grams: Int32Array;
  numeric: Float64Array;
}

/** The features of one request's signals, for training (the request path scores without building rows). */
export function featureRow(signals: Signals, mask: number, bigrams: boolean, numeric: readonly string[]): FeatureRow {
  const buckets: number[] = [];
  forEachGram(signals.instruction, mask, bigrams, (b) => buckets.push(b));
  const values = new Float64Array(numeric.length);
  numeric.forEach((name, j) => {
    values[j] = NUMERIC_FEATURES[name]!(signals);
  });
  return { grams: Int32Array.from(buckets), numeric: values };
}

/** Each gram weighs 1/sqrt(grams): long prompts do not swamp the bias, and length has its own feature. */
export function gramScale(count: number): number {
  return count === 0 ? 0 : 1 / Math.sqrt(count);
}
