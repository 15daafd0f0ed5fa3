import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configError, type PathSegment } from '../config/diagnostics.js';
import type { ConfigDiagnostic } from '../config/types.js';
import { zodIssuesToDiagnostics } from '../config/zod-diagnostics.js';
import { loadRuleSetFile, tiersOf, type CompiledRuleSet, type RuleSetResult } from './compile-rule-set.js';
import { routersSectionSchema, type RouterEntry, type SelectionOrder } from './router-schema.js';
import { compileScore, type CompiledScore } from './train/compile-score.js';

/** The repository's `routing-rules/` folder (three levels up from both src/routing and dist/routing). */
export const BUNDLED_RULES_DIR = fileURLToPath(new URL('../../../routing-rules/', import.meta.url));

export interface CompiledTier {
  name: string;
  /** Public model names, aliases resolved, in config order. */
  models: readonly string[];
  order: SelectionOrder;
  weights: ReadonlyMap<string, number>;
}

export interface CompiledRouter {
  name: string;
  ruleSet: CompiledRuleSet;
  /** In config order: the first tier is the cheapest (eval-router counts every other tier as "strong"). */
  tiers: ReadonlyMap<string, CompiledTier>;
  explore: number;
  /** A trained score deciding what no rule matched (in place of the rule set's default). */
  score?: CompiledScore;
}

/** The compiled `routers:` section, stored in `config.extensions.routers`. */
export interface CompiledRouters {
  readonly kind: 'switchyard.routers';
  readonly byName: ReadonlyMap<string, CompiledRouter>;
}

export interface RouterContext {
  /** Config file path (rule paths resolve against its folder), or `builtin:…`. */
  source: string;
  modelNames: ReadonlySet<string>;
  aliases: ReadonlyMap<string, string>;
}

/** Validates and compiles the `routers:` section, loading each rule set; diagnostics carry YAML paths. */
export function compileRouters(raw: unknown, ctx: RouterContext): { routers?: CompiledRouters; diagnostics: ConfigDiagnostic[] } {
  if (raw === undefined || raw === null) return { diagnostics: [] };
  const parsed = routersSectionSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { diagnostics: zodIssuesToDiagnostics(parsed.error.issues, { prefix: ['routers'] }) };
  const diags: ConfigDiagnostic[] = [];
  const byName = new Map<string, CompiledRouter>();
  for (const [name, entry] of Object.entries(parsed.data)) {
    const router = compileRouter(name, entry, ctx, diags);
    if (router) byName.set(name, router);
  }
  if (diags.some((d) => d.severity === 'error')) return { diagnostics: diags };
  return { routers: { kind: 'switchyard.routers', byName }, diagnostics: diags };
}

/** The compiled routers of a config, if it declares any. */
export function routersOf(extensions: Readonly<Record<string, unknown>>): CompiledRouters | undefined {
  const value = extensions.routers as CompiledRouters | undefined;
  return value?.kind === 'switchyard.routers' ? value : undefined;
}

function compileRouter(name: string, entry: RouterEntry, ctx: RouterContext, diags: ConfigDiagnostic[]): CompiledRouter | undefined {
  const at: PathSegment[] = ['routers', name];
  const before = diags.length;
  if (ctx.modelNames.has(name) || ctx.aliases.has(name)) {
    diags.push(configError(at, `router "${name}" has the same name as a model or alias; rename one of them`));
  }
  const served = [...ctx.modelNames, ...ctx.aliases.keys()].join(', ');
  const tiers = new Map<string, CompiledTier>();
  for (const [tierName, spec] of Object.entries(entry.tiers)) {
    const list = Array.isArray(spec) ? spec : spec.models;
    const models: string[] = [];
    list.forEach((model, i) => {
      const target = ctx.aliases.get(model) ?? model;
      if (ctx.modelNames.has(target)) models.push(target);
      else diags.push(configError([...at, 'tiers', tierName, ...(Array.isArray(spec) ? [] : ['models']), i], `unknown model "${model}"; served models: ${served}`));
    });
    const order = (Array.isArray(spec) ? undefined : spec.order) ?? entry.order ?? 'listed';
    const weights = new Map(Object.entries(Array.isArray(spec) ? {} : spec.weights ?? {}).map(([m, w]) => [ctx.aliases.get(m) ?? m, w]));
    tiers.set(tierName, { name: tierName, models, order, weights });
  }
  if (tiers.size === 0) diags.push(configError([...at, 'tiers'], 'declare at least one tier, e.g. cheap: [model-a] and premium: [model-b]'));

  const score = entry.score && compileScore(entry.score, [...at, 'score'], ctx.source, [...tiers.keys()], diags);
  if (entry.rules === undefined && !entry.score) {
    diags.push(configError(at, 'name a rule set (rules: default) or a trained model (score: {model: model.json, thresholds: {...}}), or both'));
    return undefined;
  }
  const file = entry.rules === undefined ? undefined : findRuleFile(entry.rules, ctx.source);
  if (entry.rules !== undefined && !file) {
    diags.push(configError([...at, 'rules'], `rule set "${entry.rules}" not found next to the config or in ${BUNDLED_RULES_DIR} (bundled: default, coding-agents, pipeline, yolo)`));
    return undefined;
  }
  const loaded: RuleSetResult = file ? loadRuleSetFile(file) : { ruleSet: scoreOnlyRuleSet([...tiers.keys()][0] ?? 'cheap'), diagnostics: [] };
  for (const d of loaded.diagnostics) diags.push({ ...d, path: `routers.${name}.rules`, message: `${file}: ${d.path}: ${d.message}` });
  if (!loaded.ruleSet) return undefined;
  for (const tier of tiersOf(loaded.ruleSet)) {
    if (!tiers.has(tier)) {
      diags.push(configError([...at, 'tiers'], `rule set ${entry.rules ?? ''} can route to tier "${tier}", which this router does not declare (declared: ${[...tiers.keys()].join(', ')})`));
    }
  }
  if (diags.length > before && diags.slice(before).some((d) => d.severity === 'error')) return undefined;
  return { name, ruleSet: loaded.ruleSet, tiers, explore: entry.explore ?? 0, ...(score ? { score } : {}) };
}

/** The empty rule set of a router that routes by its trained score alone. */
function scoreOnlyRuleSet(firstTier: string): CompiledRuleSet {
  return { source: '(none: trained score only)', rules: [], default: { tier: firstTier, reason: 'no rule set' } };
}

/** A rule set path: absolute, relative to the config file, or a name in the bundled routing-rules/ folder. */
export function findRuleFile(rules: string, source: string): string | undefined {
  const bases = isAbsolute(rules) ? [''] : [
    ...(source.startsWith('builtin:') || source === 'test' ? [] : [dirname(resolve(source))]),
    BUNDLED_RULES_DIR,
    resolve(BUNDLED_RULES_DIR, '..'),
  ];
  for (const base of bases) {
    for (const suffix of ['', '.yaml', '.yml']) {
      const candidate = resolve(base, rules + suffix);
      if (existsSync(candidate) && !candidate.endsWith('/')) {
        if (suffix !== '' || /\.ya?ml$/.test(candidate)) return candidate;
      }
    }
  }
  return undefined;
}
