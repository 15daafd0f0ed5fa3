import type { CompiledRouter } from './compile-routers.js';
import type { Signals } from './signals/types.js';
import { scoreTier } from './train/compile-score.js';

/** A routing decision: the tier, the rule that chose it and why (STYLE §6: `{target, ruleId, reason}`). */
export interface TierDecision {
  tier: string;
  ruleId: string;
  reason: string;
  /** The trained model's score (0..1) when it decided (ruleId `score`). */
  score?: number;
}

/** Runs a router's rules over signals: an explicit tier hint naming one of its tiers wins, else the first match, else the trained score's tier, else the default. */
export function classify(router: CompiledRouter, signals: Signals): TierDecision {
  if (signals.hint_tier !== '' && router.tiers.has(signals.hint_tier)) {
    return { tier: signals.hint_tier, ruleId: 'hint', reason: 'explicit tier hint (x-switchyard-tier header or model alias)' };
  }
  for (const rule of router.ruleSet.rules) {
    if (rule.test(signals)) return { tier: rule.tier, ruleId: rule.id, reason: rule.reason };
  }
  if (router.score) return scoreTier(router.score, signals);
  const d = router.ruleSet.default;
  return { tier: d.tier, ruleId: 'default', reason: d.reason };
}
