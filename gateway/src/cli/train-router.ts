import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { readLabeledPrompts } from '../routing/eval/evaluate-router.js';
import { saveRouterModel } from '../routing/train/router-model.js';
import { concatSets, DEFAULT_TRAIN_OPTIONS, featurize, marginsOf, trainOn, type LabelMode, type TrainOptions } from '../routing/train/train-router-model.js';

const HELP = `Usage: switchyard train-router --data FILE.jsonl [--data …] --out model.json [--l2 ${DEFAULT_TRAIN_OPTIONS.l2}] [--bits ${DEFAULT_TRAIN_OPTIONS.hashBits}] [--label better|gap] [--no-bigrams]

Fits a logistic model that predicts when the strong model is needed, over hashed word uni/bi-grams of the
prompt and the classifier's numeric signals (length, cues, complexity), from labeled prompts (benchdata
JSONL: prompt, strong_score, weak_score; a row is positive when strong_score > weak_score, or with
--label gap weighted by the gap). Use the model in a router:
  routers:
    auto:
      rules: coding-agents            # optional: rules decide first, the score decides the rest
      score: { model: model.json, thresholds: { standard: 0.4, premium: 0.6 } }
Check it first with: switchyard eval-router --cv 5 --data FILE.jsonl
`;

/** Parses the shared training flags (also used by eval-router --cv). */
export function trainOptionsFrom(values: { l2?: string; bits?: string; label?: string; 'no-bigrams'?: boolean }): TrainOptions | string {
  const l2 = values.l2 === undefined ? DEFAULT_TRAIN_OPTIONS.l2 : Number(values.l2);
  const bits = values.bits === undefined ? DEFAULT_TRAIN_OPTIONS.hashBits : Number(values.bits);
  if (!(l2 >= 0)) return `--l2 must be a number >= 0 (got ${values.l2})`;
  if (!Number.isInteger(bits) || bits < 8 || bits > 24) return `--bits must be an integer from 8 to 24 (got ${values.bits})`;
  if (values.label !== undefined && values.label !== 'better' && values.label !== 'gap') return `--label is better or gap (got ${values.label})`;
  return { ...DEFAULT_TRAIN_OPTIONS, l2, hashBits: bits, bigrams: !values['no-bigrams'], label: (values.label as LabelMode | undefined) ?? DEFAULT_TRAIN_OPTIONS.label };
}

/** Flag definitions shared with eval-router. */
export const TRAIN_FLAGS = {
  l2: { type: 'string' },
  bits: { type: 'string' },
  label: { type: 'string' },
  'no-bigrams': { type: 'boolean' },
} as const;

/** `switchyard train-router` */
export function runTrainRouter(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: { data: { type: 'string', multiple: true }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...TRAIN_FLAGS },
  });
  if (values.help || !values.data?.length || !values.out) {
    (values.help ? process.stdout : process.stderr).write(HELP);
    return values.help ? 0 : 1;
  }
  const opts = trainOptionsFrom(values);
  if (typeof opts === 'string') {
    process.stderr.write(`switchyard train-router: ${opts}\n`);
    return 1;
  }
  const started = performance.now();
  const prompts = values.data.map((file) => readLabeledPrompts(file));
  const set = concatSets(prompts.map((p) => featurize(p, opts)));
  const positives = set.labels.reduce((a, b) => a + b, 0);
  const trained = trainOn(set, opts, undefined, { files: values.data.map((f) => basename(f)) });
  saveRouterModel(values.out, trained.model);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `trained on ${set.rows.length} prompts (${positives} where the strong model did better) in ${seconds.toFixed(1)} s, ` +
      `${trained.iterations} L-BFGS iterations, loss ${trained.loss.toFixed(4)}; ${trained.model.grams.buckets.length} n-gram weights\n` +
      `wrote ${values.out}\n`,
  );
  // Thresholds that send a given share of these prompts to the strong tier (in-sample, so a little optimistic).
  const scores = marginsOf(trained, set, set.rows.map((_, i) => i), opts).map((z) => 1 / (1 + Math.exp(-z))).sort((a, b) => a - b);
  const at = (share: number) => scores[Math.min(scores.length - 1, Math.floor((1 - share) * scores.length))]!.toFixed(3);
  process.stdout.write(`score thresholds on these prompts: 10% strong >= ${at(0.1)}, 20% >= ${at(0.2)}, 30% >= ${at(0.3)}, 50% >= ${at(0.5)}\n`);
  return 0;
}
