import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readLabeledPrompts } from '../../src/routing/eval/evaluate-router.js';
import { randomBaseline, routerMetrics } from '../../src/routing/eval/router-metrics.js';

const BENCH = fileURLToPath(new URL('../fixtures/benchdata/', import.meta.url));
const MTBENCH = `${BENCH}routellm_mtbench_gpt4-1106_vs_mixtral-8x7b.jsonl`;
const GSM8K = `${BENCH}routellm_gsm8k_gpt4-1106_vs_mixtral-8x7b.jsonl`;

describe('router metrics', () => {
  it('gives an oracle APGR 1, a reversed oracle far below, and CPT at the right share', () => {
    const outcomes = Array.from({ length: 100 }, (_, i) => ({ strong: 1, weak: i < 30 ? 0 : 1 }));
    const oracle = routerMetrics(outcomes.map((o) => o.strong - o.weak), outcomes);
    // By hand: deciles give q = 0.7, 0.8, 0.9, then 1.0 from c = 0.3 on; trapezoids give AUC 0.955, APGR 0.85.
    expect(oracle.apgr).toBeCloseTo(0.85, 6);
    expect(oracle.cpt50).toBeCloseTo(0.15, 6);
    expect(oracle.cpt80).toBeCloseTo(0.24, 6);
    const reversed = routerMetrics(outcomes.map((o) => o.weak - o.strong), outcomes);
    expect(reversed.apgr).toBeLessThan(0.3);
    expect(oracle.curve).toHaveLength(11);
    expect(oracle.curve[0]!.strongShare).toBe(0);
    expect(oracle.curve[10]!.strongShare).toBe(1);
  });

  it.each([
    ['MT Bench', MTBENCH, 72, 0.556],
    ['GSM8K', GSM8K, 1307, 0.598],
  ])('reproduces the prompt-length reference APGR on %s', (_name, file, rows, reference) => {
    const data = readLabeledPrompts(file);
    expect(data).toHaveLength(rows);
    const m = routerMetrics(data.map((r) => r.prompt.length), data);
    expect(Math.abs(m.apgr - reference)).toBeLessThan(0.002);
    expect(Math.abs(randomBaseline(data).apgr - 0.5)).toBeLessThan(0.03);
  });
});
