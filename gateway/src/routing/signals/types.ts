/** What the classifier knows about one request. Rule sets name these fields by dotted path (`cues.design`). */

export type ClientName = 'opencode' | 'roo-code' | 'cline' | 'claude-code' | 'continue' | 'aider' | 'sdk';

/** Calls that are not a user's instruction: titles, summaries and agents' small background calls. */
export type TaskKind = 'chat' | 'title' | 'summary' | 'background';

export type TurnKind = 'first' | 'tool_result' | 'new_instruction';

export interface ComplexityCues {
  /** Code, programming or algorithm vocabulary, or a fenced code block. */
  code: boolean;
  /** Equations, math vocabulary, or a problem stated with several quantities. */
  math: boolean;
  /** Planning, architecture and design vocabulary. */
  design: boolean;
  /** Debugging vocabulary: errors, stack traces, failing tests. */
  debug: boolean;
  /** Explicit reasoning asks: prove, derive, trade-offs, step by step. */
  reasoning: boolean;
  /** Open-ended prose (stories, emails, opinions, brainstorming) with no technical cue. */
  open_ended: boolean;
  /** Sequencing words and numbered steps. */
  multi_step: number;
  /** Hard requirements: must, exactly, at least, without … */
  constraints: number;
  questions: number;
}

export interface Signals {
  client: ClientName;
  /** The agent's mode when it says: Roo Code architect/code/ask/debug/orchestrator, Cline plan/act, Continue agent/chat/plan. */
  mode: string;
  task: TaskKind;
  turn: TurnKind;
  /** User turns so far (tool results not counted). */
  depth: number;
  messages: number;
  /** 0..1: how much the latest instruction needs a strong model (see complexity.ts). */
  complexity: number;
  cues: ComplexityCues;
  /** Characters of the latest user instruction (agent boilerplate removed). */
  instruction_chars: number;
  /** Estimated prompt tokens of the whole request, tool definitions included. */
  context_tokens: number;
  images: boolean;
  tools: number;
  json_mode: boolean;
  /** `x-switchyard-tier` header or a tier named in the model alias (`auto:premium`). */
  hint_tier: string;
  /** `x-switchyard-role` header (the pipeline sends planner / coder / reviewer). */
  role: string;
  /** `x-switchyard-risk` header (the pipeline sends low / medium / high). */
  risk: string;
  /** `x-switchyard-area` header (the pipeline sends the task's area: core, math, api, tests, docs, …). */
  area: string;
  user_agent: string;
  /** The latest user instruction, capped, for `matches` rules. */
  instruction: string;
}

/** Every field a rule may name, with its kind, so rule sets are checked at load. */
export const SIGNAL_FIELDS: Readonly<Record<string, 'string' | 'number' | 'boolean'>> = {
  client: 'string',
  mode: 'string',
  task: 'string',
  turn: 'string',
  depth: 'number',
  messages: 'number',
  complexity: 'number',
  'cues.code': 'boolean',
  'cues.math': 'boolean',
  'cues.design': 'boolean',
  'cues.debug': 'boolean',
  'cues.reasoning': 'boolean',
  'cues.open_ended': 'boolean',
  'cues.multi_step': 'number',
  'cues.constraints': 'number',
  'cues.questions': 'number',
  instruction_chars: 'number',
  context_tokens: 'number',
  images: 'boolean',
  tools: 'number',
  json_mode: 'boolean',
  hint_tier: 'string',
  role: 'string',
  risk: 'string',
  area: 'string',
  user_agent: 'string',
  instruction: 'string',
};
