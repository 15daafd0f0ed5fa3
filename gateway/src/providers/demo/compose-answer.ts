import type { DemoModelSpec } from './catalog.js';
import type { ToolResult, UserTurn } from './inspect-request.js';

/** Who is answering, as the answer texts name it. */
export type Speaker = Pick<DemoModelSpec, 'name' | 'tier'>;

const SUMMARY_CHARS = 80;

const OPENERS = [
  'Hello from the Switchyard demo provider.',
  'This is the Switchyard demo provider speaking.',
  'Greetings from the Switchyard demo provider.',
  'The Switchyard demo provider here.',
];

const EXPLANATIONS = [
  'No real model was called: this reply is generated locally and deterministically, so routing, budgets, streaming and tool calls can be tried without an API key.',
  'Nothing left this machine: the demo provider writes deterministic replies with a realistic latency and price profile, so the whole gateway can be explored without an API key.',
  'This answer is made up locally and will be the same every time you ask the same thing, which makes the demo handy for trying routing, spend tracking and streaming.',
];

const NEXT_STEP = 'To use real models, set OPENROUTER_API_KEY or start the gateway with --config pointing at your own switchyard.yaml.';

/** The first ~80 characters of a text on one line, with an ellipsis when cut. */
export function summarize(text: string, max = SUMMARY_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A number in [0, n) taken from a hex hash, so variations are picked deterministically. */
export function pick(seed: string, n: number, salt = 0): number {
  const chunk = seed.slice(salt * 4, salt * 4 + 8) || '0';
  return Number.parseInt(chunk, 16) % n;
}

/** The plain answer: who answered and what it was asked, in a few sentences. */
export function composeAnswer(speaker: Speaker, turn: UserTurn, seed: string): string {
  return [
    OPENERS[pick(seed, OPENERS.length, 0)],
    `Model ${speaker.name} (${speaker.tier} tier) answered this request.`,
    describeAsk(turn),
    EXPLANATIONS[pick(seed, EXPLANATIONS.length, 1)],
    NEXT_STEP,
  ].join(' ');
}

/** The answer after tool results came back: what each tool returned. */
export function composeToolSummary(speaker: Speaker, turn: UserTurn, results: ToolResult[]): string {
  const shown = results.slice(0, 3).map((r) => (r.output ? `${r.name} returned "${summarize(r.output)}".` : `${r.name} returned no output.`));
  const more = results.length > 3 ? [`${results.length - 3} more tool results came back as well.`] : [];
  const ask = turn.text ? [`That completes the demo answer to "${summarize(turn.text)}".`] : [];
  return [
    `The Switchyard demo provider (model ${speaker.name}, ${speaker.tier} tier) read ${results.length === 1 ? 'the tool result' : `${results.length} tool results`}.`,
    ...shown,
    ...more,
    'The tool call round trip worked, so an agent can keep going from here.',
    ...ask,
  ].join(' ');
}

/** Short thinking text, longer for higher effort; `plan` says what the answer will do. */
export function composeReasoning(speaker: Speaker, turn: UserTurn, effort: string, plan: { toolNames: string[]; afterTools: boolean }): string {
  const sentences = [
    turn.text ? `The user asked: "${summarize(turn.text)}".` : 'The user sent no text.',
    plan.toolNames.length > 0
      ? `I will call ${plan.toolNames.join(' and ')} first and answer once the result is back.`
      : plan.afterTools
        ? 'The tool results are back, so I will summarise them.'
        : 'I will explain what the Switchyard demo provider does.',
  ];
  if (effort !== 'low' && effort !== 'minimal') {
    sentences.push(`I am ${speaker.name}, the ${speaker.tier} demo model, so the answer is deterministic.`);
  }
  if (effort === 'high' || effort === 'xhigh' || effort === 'max') sentences.push(`Effort is ${effort}, so I check the plan once more before answering.`);
  return sentences.join(' ');
}

function describeAsk(turn: UserTurn): string {
  const images = turn.images > 0 ? ` It also carried ${turn.images} image${turn.images === 1 ? '' : 's'}.` : '';
  return (turn.text ? `You asked: "${summarize(turn.text)}".` : 'Your message had no text.') + images;
}
