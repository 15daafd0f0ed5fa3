import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { classify } from '../../src/routing/classify.js';
import { routersOf } from '../../src/routing/compile-routers.js';
import { explainRoute, promptRequest } from '../../src/routing/explain-route.js';
import { readLabeledPrompts, type LabeledPrompt } from '../../src/routing/eval/evaluate-router.js';
import { routerMetrics } from '../../src/routing/eval/router-metrics.js';
import { extractSignals } from '../../src/routing/signals/extract-signals.js';
import { crossValidate } from '../../src/routing/train/cross-validate.js';
import { forEachGram } from '../../src/routing/train/features.js';
import { loadRouterModel, saveRouterModel } from '../../src/routing/train/router-model.js';
import { DEFAULT_TRAIN_OPTIONS, featurize, marginsOf, trainOn } from '../../src/routing/train/train-router-model.js';
import { tempDir } from '../config/temp-config.js';
import * as rec from './client-requests.js';

const BENCH = join(import.meta.dirname, '../fixtures/benchdata');
const OPTS = { ...DEFAULT_TRAIN_OPTIONS, hashBits: 14 };

const signalsOf = (prompt: string) => extractSignals({ request: { model: 'auto', messages: [{ role: 'user', content: prompt }] }, header: () => undefined });

/** Prompts where the strong model wins exactly when the prompt mentions a "ledger", with filler that says nothing. */
function syntheticSet(n: number): LabeledPrompt[] {
  const topics = ['garden', 'weather', 'holiday', 'recipe', 'train', 'music', 'river', 'window'];
  return Array.from({ length: n }, (_, i) => {
    const hard = i % 3 === 0;
    const filler = `${topics[i % topics.length]} and ${topics[(i * 5 + 1) % topics.length]} question number ${i}`;
    return { prompt: hard ? `Reconcile the ledger: ${filler}` : `Tell me about the ${filler}`, strong: hard ? 1 : 0.5, weak: hard ? 0 : 0.5 };
  });
}

function writeModel(dir: string, prompts: readonly LabeledPrompt[]): string {
  const file = join(dir, 'model.json');
  saveRouterModel(file, trainOn(featurize(prompts, OPTS), OPTS).model);
  return file;
}

describe('trained router scorer', () => {
  it('hashes words case-insensitively with digits folded, bigrams in order', () => {
    const buckets = (text: string) => {
      const out: number[] = [];
      forEachGram(text, 0xffff, true, (b) => out.push(b));
      return out;
    };
    expect(buckets('Add 12 APPLES?')).toEqual(buckets('add 99 apples ?'));
    expect(buckets('add 12 apples')).toHaveLength(6);
    expect(buckets('apples add')).not.toEqual(buckets('add apples'));
  });

  it('learns an obvious rule from a small synthetic set', () => {
    const prompts = syntheticSet(120);
    const set = featurize(prompts, OPTS);
    const trained = trainOn(set, OPTS);
    const margins = marginsOf(trained, set, prompts.map((_, i) => i), OPTS);
    const hard = margins.filter((_, i) => i % 3 === 0);
    const easy = margins.filter((_, i) => i % 3 !== 0);
    expect(Math.min(...hard)).toBeGreaterThan(Math.max(...easy));
    const oracle = routerMetrics(prompts.map((p) => p.strong - p.weak), prompts).apgr;
    expect(routerMetrics(margins, prompts).apgr).toBeCloseTo(oracle, 2);
    // Held-out rows too: the rule generalises to prompts the model never saw.
    expect(crossValidate(prompts, OPTS, 4, 1).apgr).toBeCloseTo(oracle, 2);
  });

  it('round-trips through the model file and rejects a broken one with the field named', () => {
    const dir = tempDir();
    const prompts = syntheticSet(60);
    const set = featurize(prompts, OPTS);
    const trained = trainOn(set, OPTS);
    const file = join(dir, 'model.json');
    saveRouterModel(file, trained.model);
    const loaded = loadRouterModel(file);
    expect(loaded.errors).toEqual([]);
    const margins = marginsOf(trained, set, prompts.map((_, i) => i), OPTS);
    prompts.forEach((p, i) => {
      expect(loaded.scorer!.score(signalsOf(p.prompt))).toBeCloseTo(1 / (1 + Math.exp(-margins[i]!)), 4);
    });

    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...json, hash_bits: 40, numeric: ['log_chars', 'vibes'] }));
    const bad = loadRouterModel(join(dir, 'bad.json')).errors.join('\n');
    expect(bad).toMatch(/bad\.json: hash_bits: /);
    expect(bad).toMatch(/bad\.json: numeric\.1: unknown feature/);
    expect(loadRouterModel(join(dir, 'missing.json')).errors[0]).toMatch(/cannot read model .*missing\.json \(ENOENT\)/);
  });

  it('routes by the model after the rules, and alone', () => {
    const dir = tempDir();
    writeModel(dir, syntheticSet(120));
    writeFileSync(join(dir, 'titles.yaml'), `
rules:
  - { id: titles, when: { task: title }, tier: cheap, reason: a title }
default: { tier: standard, reason: the score decides instead }
`);
    const config = join(dir, 'switchyard.yaml');
    writeFileSync(config, `
providers: { d: { kind: demo } }
models: [{ name: small, provider: d }, { name: big, provider: d }]
routers:
  auto:
    rules: titles.yaml
    score: { model: model.json, thresholds: { premium: 0.5 } }
    tiers: { cheap: [small], standard: [small], premium: [big] }
  solo:
    score: { model: ./model.json, thresholds: { premium: 0.5 } }
    tiers: { cheap: [small], premium: [big] }
`);
    const loaded = loadConfig({ path: config, env: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const routers = routersOf(loaded.config.extensions)!;
    for (const name of ['auto', 'solo']) {
      const router = routers.byName.get(name)!;
      const hard = classify(router, signalsOf('Reconcile the ledger: river and music question number 7001'));
      expect(hard).toMatchObject({ tier: 'premium', ruleId: 'score' });
      expect(hard.score).toBeGreaterThan(0.5);
      const easy = classify(router, signalsOf('Tell me about the river and music question number 7002'));
      expect(easy).toMatchObject({ tier: 'cheap', ruleId: 'score' });
      expect(easy.reason).toBe('trained model model.json: score < 0.5');
    }
    const explained = explainRoute(loaded.config, promptRequest('Reconcile the ledger: window', 'solo'), () => undefined);
    expect(explained.decision).toMatchObject({ tier: 'premium', rule: 'score' });
    expect(explained.decision.score).toBeGreaterThan(0.5);
    expect(explained.model).toBe('big');
    // Rules still decide first: OpenCode's title call is cheap whatever the model says.
    const body = { ...rec.opencodeTitle.body, messages: [...rec.opencodeTitle.body.messages, { role: 'user' as const, content: 'Reconcile the ledger: river' }] };
    const title = extractSignals({ request: body, header: (n) => rec.opencodeTitle.headers[n] });
    expect(title.task).toBe('title');
    expect(classify(routers.byName.get('auto')!, title)).toEqual({ tier: 'cheap', ruleId: 'titles', reason: 'a title' });
    expect(classify(routers.byName.get('solo')!, title)).toMatchObject({ tier: 'premium', ruleId: 'score' });
  });

  it('names config problems of a score at their path', () => {
    const dir = tempDir();
    writeModel(dir, syntheticSet(30));
    const config = join(dir, 'switchyard.yaml');
    writeFileSync(config, `
providers: { d: { kind: demo } }
models: [{ name: small, provider: d }]
routers:
  a: { score: { model: nowhere.json, thresholds: { premium: 0.5 } }, tiers: { cheap: [small], premium: [small] } }
  b: { score: { model: model.json, thresholds: { ultra: 0.5, premium: 2 } }, tiers: { cheap: [small], premium: [small] } }
  c: { tiers: { cheap: [small] } }
`);
    const first = loadConfig({ path: config, env: {} });
    const lines = first.ok ? [] : first.errors.map((e) => `${e.path}: ${e.message}`);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^routers\.b\.score\.thresholds\.premium: /)]));
    writeFileSync(config, readFileSync(config, 'utf8').replace('premium: 2', 'premium: 0.6'));
    const second = loadConfig({ path: config, env: {} });
    const lines2 = second.ok ? [] : second.errors.map((e) => `${e.path}: ${e.message}`);
    expect(lines2).toEqual(expect.arrayContaining([
      expect.stringMatching(/^routers\.a\.score\.model: cannot read model .*nowhere\.json \(ENOENT\)/),
      expect.stringMatching(/^routers\.b\.score\.thresholds\.ultra: tier "ultra" is not declared/),
      expect.stringMatching(/^routers\.c: name a rule set .* or a trained model/),
    ]));
  });

  it('cross-validated on GSM8K, beats random and prompt length, and repeats exactly', () => {
    const prompts = readLabeledPrompts(join(BENCH, 'routellm_gsm8k_gpt4-1106_vs_mixtral-8x7b.jsonl'));
    const cv = crossValidate(prompts, OPTS, 5, 42);
    expect(cv.rows).toBe(prompts.length);
    expect(cv.apgr).toBeGreaterThan(0.6);
    expect(cv.apgr).toBeGreaterThan(routerMetrics(prompts.map((p) => p.prompt.length), prompts).apgr);
    expect(crossValidate(prompts, OPTS, 5, 42).apgr).toBe(cv.apgr);
  });
});
