import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostics } from '../config/diagnostics.js';
import { loadConfig } from '../config/load-config.js';
import { loadRuleSetFile, tiersOf } from '../routing/compile-rule-set.js';
import { findRuleFile, type CompiledRouter } from '../routing/compile-routers.js';
import { pickRouter } from '../routing/explain-route.js';
import { evaluateRouter, readLabeledPrompts, type MetricSummary, type RouterEvaluation } from '../routing/eval/evaluate-router.js';
import { crossValidate, type CrossValidation } from '../routing/train/cross-validate.js';
import { TRAIN_FLAGS, trainOptionsFrom } from './train-router.js';

const HELP = `Usage: switchyard eval-router [--config FILE] [--router NAME | --rules FILE] --data FILE.jsonl [--data …] [--json]
                             [--cv K [--seed N] [--l2 X] [--bits B] [--label better|gap] [--no-bigrams]]

Scores a router's rules on labeled prompts (benchdata JSONL: prompt, strong_score, weak_score).
Prints APGR, CPT(50%) and CPT(80%) of its complexity score, the strong-call share and quality at its own
tier decisions (every tier above the cheapest counts as strong), next to random and prompt-length baselines. --rules evaluates a rule set file (or a bundled name such as
default) without a config; its tiers count as strong unless named cheap. When the router has a trained
score (score: {model: …}), the swept score is the model's.
--cv K also trains the scorer of train-router on each file and reports its K-fold cross-validated metrics
(every prompt scored by a model fitted on the other folds; fixed --seed, 42 by default, so runs repeat).
`;

/** `switchyard eval-router` */
export function runEvalRouter(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      router: { type: 'string' },
      rules: { type: 'string' },
      data: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      cv: { type: 'string' },
      seed: { type: 'string' },
      ...TRAIN_FLAGS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.data?.length) {
    (values.help ? process.stdout : process.stderr).write(HELP);
    return values.help ? 0 : 1;
  }
  const router = values.rules ? ruleSetRouter(values.rules) : configRouter(values.config, values.router);
  if (!router) return 1;
  const folds = values.cv === undefined ? 0 : Number(values.cv);
  const seed = values.seed === undefined ? 42 : Number(values.seed);
  const opts = trainOptionsFrom(values);
  const problem = typeof opts === 'string' ? opts : values.cv !== undefined && (!Number.isInteger(folds) || folds < 2) ? `--cv must be an integer >= 2 (got ${values.cv})` : !Number.isInteger(seed) ? `--seed must be an integer (got ${values.seed})` : undefined;
  if (problem || typeof opts === 'string') {
    process.stderr.write(`switchyard eval-router: ${problem}\n`);
    return 1;
  }
  const results: Record<string, RouterEvaluation & { cv?: CrossValidation }> = {};
  for (const file of values.data) {
    const prompts = readLabeledPrompts(file);
    results[basename(file)] = { ...evaluateRouter(router, prompts), ...(folds > 0 ? { cv: crossValidate(prompts, opts, folds, seed) } : {}) };
  }
  if (values.json) {
    process.stdout.write(JSON.stringify({ router: router.name, rules: router.ruleSet.source, results }, null, 2) + '\n');
    return 0;
  }
  process.stdout.write(`router ${router.name} (rules ${router.ruleSet.source})\n`);
  for (const [file, r] of Object.entries(results)) {
    process.stdout.write(`\n${file}: ${r.rows} prompts, strong ${r.strongMean.toFixed(3)} / weak ${r.weakMean.toFixed(3)}\n`);
    process.stdout.write(`  ${'scorer'.padEnd(20)} ${'APGR'.padStart(6)} ${'CPT50'.padStart(7)} ${'CPT80'.padStart(7)}\n`);
    process.stdout.write(line(router.score ? 'router score' : 'rules score', r.router) + line('prompt length', r.promptLength) + line('random (10 runs)', r.random));
    if (r.cv) {
      process.stdout.write(line(`trained (${r.cv.folds}-fold cv)`, r.cv));
      process.stdout.write(`  trained, APGR per fold: ${r.cv.foldApgr.map((a) => a.toFixed(3)).join(' ')} (seed ${seed})\n`);
    }
    const d = r.decisions;
    process.stdout.write(`  at the rules' own tiers: ${(d.strongShare * 100).toFixed(1)}% strong calls, quality ${d.quality.toFixed(3)}, ${(d.pgr * 100).toFixed(1)}% of the gap recovered\n`);
    process.stdout.write(`  decisions by rule: ${Object.entries(d.byRule).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
  }
  return 0;
}

function configRouter(config: string | undefined, name: string | undefined): CompiledRouter | undefined {
  const loaded = loadConfig({ path: config });
  if (!loaded.ok) {
    process.stderr.write(formatDiagnostics(loaded.errors) + '\n');
    return undefined;
  }
  return pickRouter(loaded.config, undefined, name).router;
}

/** A router over a bare rule set: its tiers with no models, `cheap` first so every other tier counts as strong. */
function ruleSetRouter(rules: string): CompiledRouter | undefined {
  const file = findRuleFile(rules, process.cwd() + '/.');
  const loaded = file ? loadRuleSetFile(file) : { diagnostics: [{ severity: 'error' as const, path: '(file)', message: `rule set ${rules} not found` }] };
  if (!loaded.ruleSet) {
    process.stderr.write(formatDiagnostics(loaded.diagnostics) + '\n');
    return undefined;
  }
  const names = [...tiersOf(loaded.ruleSet)].sort((a, b) => (a === 'cheap' ? -1 : b === 'cheap' ? 1 : 0));
  const tiers = new Map(names.map((name) => [name, { name, models: [], order: 'listed' as const, weights: new Map<string, number>() }]));
  return { name: rules, ruleSet: loaded.ruleSet, tiers, explore: 0 };
}

function line(name: string, m: MetricSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
  return `  ${name.padEnd(20)} ${m.apgr.toFixed(3).padStart(6)} ${pct(m.cpt50)} ${pct(m.cpt80)}\n`;
}
