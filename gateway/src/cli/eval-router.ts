import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostics } from '../config/diagnostics.js';
import { loadConfig } from '../config/load-config.js';
import { loadRuleSetFile, tiersOf } from '../routing/compile-rule-set.js';
import { findRuleFile, type CompiledRouter } from '../routing/compile-routers.js';
import { pickRouter } from '../routing/explain-route.js';
import { evaluateRouter, readLabeledPrompts, type MetricSummary, type RouterEvaluation } from '../routing/eval/evaluate-router.js';

const HELP = `Usage: switchyard eval-router [--config FILE] [--router NAME | --rules FILE] --data FILE.jsonl [--data …] [--json]

Scores a router's rules on labeled prompts (benchdata JSONL: prompt, strong_score, weak_score).
Prints APGR, CPT(50%) and CPT(80%) of its complexity score, the strong-call share and quality at its own
tier decisions (every tier above the cheapest counts as strong), next to random and prompt-length baselines. --rules evaluates a rule set file (or a bundled name such as
default) without a config; its tiers count as strong unless named cheap.
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
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.data?.length) {
    (values.help ? process.stdout : process.stderr).write(HELP);
    return values.help ? 0 : 1;
  }
  const router = values.rules ? ruleSetRouter(values.rules) : configRouter(values.config, values.router);
  if (!router) return 1;
  const results: Record<string, RouterEvaluation> = {};
  for (const file of values.data) results[basename(file)] = evaluateRouter(router, readLabeledPrompts(file));
  if (values.json) {
    process.stdout.write(JSON.stringify({ router: router.name, rules: router.ruleSet.source, results }, null, 2) + '\n');
    return 0;
  }
  process.stdout.write(`router ${router.name} (rules ${router.ruleSet.source})\n`);
  for (const [file, r] of Object.entries(results)) {
    process.stdout.write(`\n${file}: ${r.rows} prompts, strong ${r.strongMean.toFixed(3)} / weak ${r.weakMean.toFixed(3)}\n`);
    process.stdout.write(`  ${'scorer'.padEnd(16)} ${'APGR'.padStart(6)} ${'CPT50'.padStart(7)} ${'CPT80'.padStart(7)}\n`);
    process.stdout.write(line('rules score', r.router) + line('prompt length', r.promptLength) + line('random (10 runs)', r.random));
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
  return `  ${name.padEnd(16)} ${m.apgr.toFixed(3).padStart(6)} ${pct(m.cpt50)} ${pct(m.cpt80)}\n`;
}
