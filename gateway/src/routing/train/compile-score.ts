import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { configError, type PathSegment } from '../../config/diagnostics.js';
import type { ConfigDiagnostic } from '../../config/types.js';
import type { TierDecision } from '../classify.js';
import type { Signals } from '../signals/types.js';
import { loadRouterModel, type RouterScorer } from './router-model.js';

/** A router's trained score: the model and its tier thresholds, highest first. */
export interface CompiledScore {
  scorer: RouterScorer;
  /** Tiers by threshold, highest first: a score at or above `min` goes to `tier`. */
  steps: ReadonlyArray<{ tier: string; min: number; reason: string }>;
  /** Where scores below every threshold go: the router's first (cheapest) tier. */
  below: { tier: string; reason: string };
}

export interface ScoreEntry {
  model: string;
  thresholds: Record<string, number>;
}

/** A model path as the config names it: absolute, or relative to the config file (to the working folder for built-in configs). */
export function resolveModelPath(model: string, source: string): string {
  if (isAbsolute(model)) return model;
  const base = source.startsWith('builtin:') || source === 'test' ? process.cwd() : dirname(resolve(source));
  return resolve(base, model);
}

/** Loads a router's score model and checks its thresholds against the router's tiers; problems go to `diags` at `at`. */
export function compileScore(entry: ScoreEntry, at: readonly PathSegment[], source: string, tiers: readonly string[], diags: ConfigDiagnostic[]): CompiledScore | undefined {
  const before = diags.length;
  const file = resolveModelPath(entry.model, source);
  const loaded = loadRouterModel(file);
  for (const message of loaded.errors) diags.push(configError([...at, 'model'], message));
  for (const tier of Object.keys(entry.thresholds)) {
    if (!tiers.includes(tier)) diags.push(configError([...at, 'thresholds', tier], `tier "${tier}" is not declared by this router (declared: ${tiers.join(', ')})`));
  }
  if (Object.keys(entry.thresholds).length === 0) diags.push(configError([...at, 'thresholds'], 'name at least one tier and the lowest score (0..1) that sends a request there, e.g. premium: 0.7'));
  if (diags.length > before || !loaded.scorer || tiers.length === 0) return undefined;
  const name = basename(file);
  const steps = Object.entries(entry.thresholds)
    .sort((a, b) => b[1] - a[1])
    .map(([tier, min]) => ({ tier, min, reason: `trained model ${name}: score >= ${min}` }));
  const lowest = steps[steps.length - 1]!.min;
  return { scorer: loaded.scorer, steps, below: { tier: tiers[0]!, reason: `trained model ${name}: score < ${lowest}` } };
}

/** The decision of a trained score for a request (rule id `score`), with the score itself. */
export function scoreTier(score: CompiledScore, signals: Signals): TierDecision {
  const s = score.scorer.score(signals);
  for (const step of score.steps) if (s >= step.min) return { tier: step.tier, ruleId: 'score', reason: step.reason, score: s };
  return { tier: score.below.tier, ruleId: 'score', reason: score.below.reason, score: s };
}
