import { readFileSync } from 'node:fs';
import { classify } from '../classify.js';
import type { CompiledRouter } from '../compile-routers.js';
import { extractSignals } from '../signals/extract-signals.js';
import { randomBaseline, routerMetrics, type LabeledOutcome } from './router-metrics.js';

/** One labeled prompt (benchdata/README.md format). */
export interface LabeledPrompt extends LabeledOutcome {
  prompt: string;
}

/** Reads a benchdata JSONL file, leaving out rows marked `routellm_contaminated`. */
export function readLabeledPrompts(file: string): LabeledPrompt[] {
  const out: LabeledPrompt[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const row = JSON.parse(line) as Record<string, unknown>;
    if (row.routellm_contaminated === true) return;
    if (typeof row.prompt !== 'string' || typeof row.strong_score !== 'number' || typeof row.weak_score !== 'number') {
      throw new Error(`${file}:${i + 1}: expected prompt, strong_score and weak_score`);
    }
    out.push({ prompt: row.prompt, strong: row.strong_score, weak: row.weak_score });
  });
  return out;
}

export interface MetricSummary {
  apgr: number;
  cpt50: number;
  cpt80: number;
}

export interface RouterEvaluation {
  rows: number;
  router: MetricSummary;
  /** At the rule set's own decisions: share sent above the cheapest tier, and the gap recovered there. */
  decisions: { strongShare: number; quality: number; pgr: number; byRule: Record<string, number> };
  random: MetricSummary;
  promptLength: MetricSummary;
  strongMean: number;
  weakMean: number;
}

const noHeaders = () => undefined;

/** Scores a router on labeled prompts: its score (trained model, else complexity) swept over thresholds, and its own tier decisions. */
export function evaluateRouter(router: CompiledRouter, rows: readonly LabeledPrompt[]): RouterEvaluation {
  const cheapest = [...router.tiers.keys()][0];
  const scores: number[] = [];
  let strongCalls = 0;
  let served = 0;
  const byRule: Record<string, number> = {};
  for (const row of rows) {
    const signals = extractSignals({ request: { model: router.name, messages: [{ role: 'user', content: row.prompt }] }, header: noHeaders });
    scores.push(router.score ? router.score.scorer.score(signals) : signals.complexity);
    const decision = classify(router, signals);
    byRule[decision.ruleId] = (byRule[decision.ruleId] ?? 0) + 1;
    const strong = decision.tier !== cheapest;
    if (strong) strongCalls++;
    served += strong ? row.strong : row.weak;
  }
  const metrics = routerMetrics(scores, rows);
  const quality = served / rows.length;
  const gap = metrics.strongMean - metrics.weakMean;
  return {
    rows: rows.length,
    router: pick(metrics),
    decisions: { strongShare: strongCalls / rows.length, quality, pgr: gap === 0 ? 0 : (quality - metrics.weakMean) / gap, byRule },
    random: randomBaseline(rows),
    promptLength: pick(routerMetrics(rows.map((r) => r.prompt.length), rows)),
    strongMean: metrics.strongMean,
    weakMean: metrics.weakMean,
  };
}

function pick(m: MetricSummary): MetricSummary {
  return { apgr: m.apgr, cpt50: m.cpt50, cpt80: m.cpt80 };
}
