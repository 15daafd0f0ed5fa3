import type { Role } from '../config/roles.js';
import type { Reporter } from '../run/reporter.js';
import type { StepRecord } from '../state/task-state.js';

export interface Out {
  write(text: string): unknown;
}

/** Prints a run as it happens: each step's route, its streamed text (unless quiet), then model, tokens, cost and time. */
export function terminalReporter(out: Out, opts: { quiet?: boolean } = {}): Reporter {
  let midLine = false;
  const line = (text: string) => {
    if (midLine) out.write('\n');
    midLine = false;
    out.write(`${text}\n`);
  };
  return {
    stepStarted(role: Role, round: number, model: string) {
      line(`\n▶ ${role}${round > 0 ? ` (round ${round + 1})` : ''} → ${model}`);
    },
    routed(route) {
      line(`  ${route.model}${route.tier ? ` · tier ${route.tier}` : ''}${route.rule ? ` · rule ${route.rule}` : ''}`);
    },
    text(delta) {
      if (opts.quiet) return;
      out.write(delta);
      midLine = !delta.endsWith('\n');
    },
    stepFinished(step: StepRecord) {
      const tokens = step.input_tokens !== undefined ? `${step.input_tokens} in / ${step.output_tokens ?? '?'} out tokens, ` : '';
      const cost = step.cost_usd === null ? 'cost not reported' : `$${step.cost_usd.toFixed(6)}`;
      const verdict = step.verdict ? ` · verdict ${step.verdict}${step.findings && step.findings.length > 0 ? ` (${step.findings.length} finding(s))` : ''}` : '';
      line(`✓ ${step.role}: ${step.model}, ${tokens}${cost}, ${(step.latency_ms / 1000).toFixed(1)} s${verdict}`);
    },
    note(message) {
      line(`• ${message}`);
    },
  };
}
