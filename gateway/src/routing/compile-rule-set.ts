import { readFileSync } from 'node:fs';
import { FILE_PATH, configError } from '../config/diagnostics.js';
import { readYaml } from '../config/read-yaml.js';
import type { ConfigDiagnostic } from '../config/types.js';
import { zodIssuesToDiagnostics } from '../config/zod-diagnostics.js';
import { compileCondition, type Predicate } from './compile-condition.js';
import { ruleSetSchema } from './rule-set-schema.js';

export interface CompiledRule {
  id: string;
  tier: string;
  reason: string;
  test: Predicate;
}

/** An ordered first-match rule list with a default, compiled once at load. */
export interface CompiledRuleSet {
  /** The file it came from (or a label for inline text). */
  source: string;
  description?: string;
  rules: readonly CompiledRule[];
  default: { tier: string; reason: string };
}

export interface RuleSetResult {
  ruleSet?: CompiledRuleSet;
  /** Paths inside the rule set file. */
  diagnostics: ConfigDiagnostic[];
}

/** Reads and compiles a rule set file. */
export function loadRuleSetFile(file: string): RuleSetResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { diagnostics: [configError(FILE_PATH, `cannot read rule set ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`)] };
  }
  return compileRuleSetText(text, file);
}

/** Compiles rule set YAML text: schema, then each rule's `when`; every problem carries its path in the file. */
export function compileRuleSetText(text: string, source: string): RuleSetResult {
  const yaml = readYaml(text);
  if (yaml.value === undefined) return { diagnostics: yaml.diagnostics };
  const parsed = ruleSetSchema.safeParse(yaml.value ?? {}, { reportInput: true });
  if (!parsed.success) return { diagnostics: [...yaml.diagnostics, ...zodIssuesToDiagnostics(parsed.error.issues)] };
  const diags = [...yaml.diagnostics];
  const seen = new Set<string>();
  const rules = parsed.data.rules.map((rule, i): CompiledRule => {
    if (seen.has(rule.id)) diags.push(configError(['rules', i, 'id'], `duplicate rule id "${rule.id}": ids name decisions in headers and metrics`));
    seen.add(rule.id);
    return { id: rule.id, tier: rule.tier, reason: rule.reason, test: compileCondition(rule.when, ['rules', i, 'when'], diags) };
  });
  if (diags.some((d) => d.severity === 'error')) return { diagnostics: diags };
  return { ruleSet: { source, description: parsed.data.description, rules, default: parsed.data.default }, diagnostics: diags };
}

/** Every tier a rule set can decide. */
export function tiersOf(ruleSet: CompiledRuleSet): Set<string> {
  return new Set([...ruleSet.rules.map((r) => r.tier), ruleSet.default.tier]);
}
