import { seededRandom } from '../../core/seeded-random.js';

/**
 * RouteLLM's router metrics (Ong et al. 2024), as defined in benchdata/README.md: a router scores each prompt
 * (higher = needs the strong model more); sweeping a threshold over the score's deciles gives a quality curve.
 */

export interface LabeledOutcome {
  strong: number;
  weak: number;
}

export interface CurvePoint {
  /** Share of prompts sent to the strong model. */
  strongShare: number;
  /** Mean quality of the answers served at that share. */
  quality: number;
}

export interface RouterMetrics {
  apgr: number;
  /** Strong-call share needed to recover 50% / 80% of the quality gap (0..1). */
  cpt50: number;
  cpt80: number;
  curve: CurvePoint[];
  strongMean: number;
  weakMean: number;
}

/** The `p` quantile of sorted values with linear interpolation between order statistics (numpy's default). */
function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Scores with a tiny deterministic jitter so ties do not collapse quantile edges. */
function jittered(scores: readonly number[], seed: number): number[] {
  let min = Infinity;
  let max = -Infinity;
  for (const s of scores) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const span = max > min ? max - min : 1;
  const rand = seededRandom(seed);
  return scores.map((s) => s + (rand() - 0.5) * span * 1e-9);
}

/** The 11-point quality curve from all-strong to all-weak. */
export function qualityCurve(scores: readonly number[], outcomes: readonly LabeledOutcome[], seed = 1): CurvePoint[] {
  if (scores.length !== outcomes.length || scores.length === 0) throw new Error('scores and outcomes must be non-empty and of equal length');
  const s = jittered(scores, seed);
  const sorted = [...s].sort((a, b) => a - b);
  const points: CurvePoint[] = [];
  for (let i = 0; i <= 10; i++) {
    const t = quantile(sorted, i / 10);
    let strongCalls = 0;
    let quality = 0;
    for (let j = 0; j < s.length; j++) {
      const toStrong = i === 10 ? s[j]! > t : s[j]! >= t;
      if (toStrong) strongCalls++;
      quality += toStrong ? outcomes[j]!.strong : outcomes[j]!.weak;
    }
    points.push({ strongShare: strongCalls / s.length, quality: quality / s.length });
  }
  return points.sort((a, b) => a.strongShare - b.strongShare);
}

/** APGR, CPT(50%) and CPT(80%) of a router's scores on labeled outcomes. */
export function routerMetrics(scores: readonly number[], outcomes: readonly LabeledOutcome[], seed = 1): RouterMetrics {
  const curve = qualityCurve(scores, outcomes, seed);
  const strongMean = mean(outcomes.map((o) => o.strong));
  const weakMean = mean(outcomes.map((o) => o.weak));
  let auc = 0;
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1]!;
    const b = curve[i]!;
    auc += ((b.strongShare - a.strongShare) * (a.quality + b.quality)) / 2;
  }
  const gap = strongMean - weakMean;
  return {
    apgr: gap === 0 ? 0 : (auc - weakMean) / gap,
    cpt50: callPerformanceThreshold(curve, weakMean + 0.5 * gap),
    cpt80: callPerformanceThreshold(curve, weakMean + 0.8 * gap),
    curve,
    strongMean,
    weakMean,
  };
}

/** The smallest strong share at which the curve reaches `target` quality, interpolating linearly. */
function callPerformanceThreshold(curve: readonly CurvePoint[], target: number): number {
  if (curve[0]!.quality >= target) return curve[0]!.strongShare;
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1]!;
    const b = curve[i]!;
    if (b.quality >= target) {
      if (b.quality === a.quality) return b.strongShare;
      return a.strongShare + ((target - a.quality) / (b.quality - a.quality)) * (b.strongShare - a.strongShare);
    }
  }
  return 1;
}

/** Mean APGR / CPT of `runs` random routers, the baseline every router must beat. */
export function randomBaseline(outcomes: readonly LabeledOutcome[], runs = 10, seed = 7): Pick<RouterMetrics, 'apgr' | 'cpt50' | 'cpt80'> {
  const rand = seededRandom(seed);
  const all = Array.from({ length: runs }, (_, r) => routerMetrics(outcomes.map(() => rand()), outcomes, seed + r));
  return { apgr: mean(all.map((m) => m.apgr)), cpt50: mean(all.map((m) => m.cpt50)), cpt80: mean(all.map((m) => m.cpt80)) };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
