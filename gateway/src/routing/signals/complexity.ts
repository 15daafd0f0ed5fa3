import type { ComplexityCues } from './types.js';

/**
 * The complexity score of an instruction. Length carries most of the signal (the longer the ask, the more a
 * weak model drops); a few broad cues move it: tasks with a checkable answer (code, math, quantities) need the
 * strong model more, open-ended prose needs it less, and each sequencing step adds a little. The design,
 * debug and reasoning cues are signals for rules only: in the score they lowered APGR on both dev sets.
 * Each cue's effect on the dev sets is listed in routing-rules/README.md; keep cues few and broad.
 */

/** Cues are read from this much of the instruction; length alone speaks for the rest. */
const SCAN_CHARS = 8000;

const CODE = /```|\b(?:function|program|algorithm|implement|python|javascript|typescript|java|rust|golang|c\+\+|html|css|sql|regex|array|linked list|binary tree|class|method|bug|compile|runtime|complexity|api|script|code|refactor|endpoint|unit tests?)\b/i;
const MATH_WORDS = /\b(?:solve|equation|probability|integer|remainder|prime|derivative|integral|calculate|compute)\b|\d\s*[-+*/^=<>]\s*\d|\b[a-z]\s*[\^=+*]\s*[\da-z]/i;
const QUANTITY = /\d+(?:[.,]\d+)*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|thousand|half|twice|double|triple|dozen)\b/gi;
const OPEN_ENDED = /\b(?:story|poem|poet|essay|blog|email|letter|speech|slogan|headline|joke|imagine|pretend|role|persona|act as|describe|discuss|suggest|ideas|tips|opinion|feel|creative|vivid)\b/i;
const DESIGN = /\b(?:architect(?:ure)?|design|plan|refactor|migrate|trade-?offs?|scalab\w*|system)\b/i;
const DEBUG = /\b(?:debug|stack ?trace|traceback|exception|crash(?:es|ing)?|fails?|failing|broken|error|regression|root cause)\b/i;
const REASONING = /\b(?:prove|derive|step[- ]by[- ]step|reason(?:ing)?|justify|analy[sz]e|compare|evaluate|optimi[sz]e)\b/i;
const MULTI_STEP = /\b(?:first|then|next|after that|finally|also|and then)\b|^\s*(?:\d+[.)]|[-*])\s/gim;
const CONSTRAINT = /\b(?:must|should|exactly|at least|at most|no more than|only|without|ensure|never|always)\b/gi;

/** Weights of the cues, in units of log2(characters): +2 is worth a prompt four times as long. */
const TECHNICAL_WEIGHT = 2;
const OPEN_ENDED_WEIGHT = 2;
const STEP_WEIGHT = 0.1;
const MAX_STEPS = 5;
/** log2 of the length where the score starts rising, and the span that takes it to 1. */
const LENGTH_FLOOR = 3;
const SCALE = 14;

function count(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text) !== null) n++;
  return n;
}

/** The cues of an instruction (scans at most SCAN_CHARS characters). */
export function complexityCues(text: string): ComplexityCues {
  const t = text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text;
  const code = CODE.test(t);
  const math = MATH_WORDS.test(t) || count(QUANTITY, t) >= 2;
  let questions = 0;
  for (let i = t.indexOf('?'); i !== -1; i = t.indexOf('?', i + 1)) questions++;
  return {
    code,
    math,
    design: DESIGN.test(t),
    debug: DEBUG.test(t),
    reasoning: REASONING.test(t),
    open_ended: !code && !math && OPEN_ENDED.test(t),
    multi_step: count(MULTI_STEP, t),
    constraints: count(CONSTRAINT, t),
    questions,
  };
}

/** 0..1: how much an instruction of `chars` characters with these cues needs a strong model. */
export function complexityScore(chars: number, cues: ComplexityCues): number {
  let raw = Math.log2(1 + chars) - LENGTH_FLOOR;
  if (cues.code || cues.math) raw += TECHNICAL_WEIGHT;
  if (cues.open_ended) raw -= OPEN_ENDED_WEIGHT;
  raw += STEP_WEIGHT * Math.min(cues.multi_step, MAX_STEPS);
  return Math.min(1, Math.max(0, raw / SCALE));
}
