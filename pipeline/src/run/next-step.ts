import type { Role } from '../config/roles.js';
import type { StepRecord } from '../state/task-state.js';

export type NextStep =
  | { kind: 'call'; role: Role; round: number }
  | { kind: 'done'; outcome: 'approved' | 'queued' };

/**
 * What a task does next, from the steps it has finished (so a resumed task picks up exactly where it stopped):
 * plan; review the plan and revise it once if asked (when the plan reviewer is on); implement; review; while
 * the reviewer requests changes and revise rounds are left, implement again with the findings and review
 * again; approved → done, out of rounds → the human review queue.
 */
export function nextStep(steps: readonly StepRecord[], opts: { planReview: boolean; reviewRounds: number }): NextStep {
  const of = (role: Role) => steps.filter((s) => s.role === role);
  const plans = of('planner');
  if (plans.length === 0) return { kind: 'call', role: 'planner', round: 0 };
  if (opts.planReview) {
    const planReviews = of('plan_reviewer');
    if (planReviews.length === 0) return { kind: 'call', role: 'plan_reviewer', round: 0 };
    if (planReviews[0]!.verdict === 'request_changes' && plans.length === 1) return { kind: 'call', role: 'planner', round: 1 };
  }
  const code = of('coder');
  const reviews = of('reviewer');
  if (code.length > reviews.length) return { kind: 'call', role: 'reviewer', round: code.length - 1 };
  const last = reviews[reviews.length - 1];
  if (last?.verdict === 'approve') return { kind: 'done', outcome: 'approved' };
  if (reviews.length > opts.reviewRounds) return { kind: 'done', outcome: 'queued' };
  return { kind: 'call', role: 'coder', round: code.length };
}
