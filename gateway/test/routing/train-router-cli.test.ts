import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEvalRouter } from '../../src/cli/eval-router.js';
import { runTrainRouter } from '../../src/cli/train-router.js';
import { loadRouterModel } from '../../src/routing/train/router-model.js';
import { tempDir } from '../config/temp-config.js';

const MTBENCH = join(import.meta.dirname, '../fixtures/benchdata/routellm_mtbench_gpt4-1106_vs_mixtral-8x7b.jsonl');

/** Runs a CLI entry point and returns its exit code and what it wrote to stdout. */
function capture(run: () => number): { code: number; out: string } {
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    return { code: run(), out };
  } finally {
    process.stdout.write = write;
  }
}

describe('train-router and eval-router --cv', () => {
  it('writes a model file that loads and scores', () => {
    const file = join(tempDir(), 'model.json');
    const { code, out } = capture(() => runTrainRouter(['--data', MTBENCH, '--out', file, '--bits', '14']));
    expect(code).toBe(0);
    expect(out).toMatch(/trained on 72 prompts \(\d+ where the strong model did better\)/);
    expect(out).toMatch(/score thresholds on these prompts: 10% strong >= 0\.\d+/);
    const loaded = loadRouterModel(file);
    expect(loaded.errors).toEqual([]);
  });

  it('reports cross-validated metrics next to the rules, the same on every run', () => {
    const args = ['--rules', 'default', '--data', MTBENCH, '--cv', '4', '--json'];
    const first = capture(() => runEvalRouter(args));
    expect(first.code).toBe(0);
    const result = (JSON.parse(first.out) as { results: Record<string, { cv: { folds: number; apgr: number; foldApgr: number[] }; router: { apgr: number } }> }).results;
    const mt = Object.values(result)[0]!;
    expect(mt.cv.folds).toBe(4);
    expect(mt.cv.foldApgr).toHaveLength(4);
    expect(mt.cv.apgr).toBeGreaterThan(0.5);
    expect(capture(() => runEvalRouter(args)).out).toBe(first.out);
    const text = capture(() => runEvalRouter(['--rules', 'default', '--data', MTBENCH, '--cv', '4'])).out;
    expect(text).toMatch(/trained \(4-fold cv\)\s+0\.\d{3}/);
    expect(capture(() => runEvalRouter(['--data', MTBENCH, '--cv', '1'])).code).toBe(1);
  });
});
