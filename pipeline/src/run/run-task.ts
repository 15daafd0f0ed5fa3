import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PipelineConfig } from '../config/pipeline-config.js';
import type { Role } from '../config/roles.js';
import { extractFiles } from '../artifacts/extract-files.js';
import { writeAnswerFiles } from '../artifacts/write-files.js';
import { GatewayCallError } from '../client/gateway-error.js';
import type { ChatAnswer } from '../client/chat-request.js';
import { roleMessages, type PromptInput } from '../prompts/role-prompts.js';
import { parseVerdict } from '../review/parse-verdict.js';
import { appendRun } from '../state/history.js';
import { enqueue } from '../state/review-queue.js';
import { isFinal, loadState, newState, saveState, spentMicros, type StepRecord, type TaskState } from '../state/task-state.js';
import type { Task } from '../tasks/task.js';
import { callRole } from './call-role.js';
import { nextStep } from './next-step.js';
import type { Reporter } from './reporter.js';

export interface RunTaskOptions {
  config: PipelineConfig;
  task: Task;
  /** The task folder: plan.md, the code files, review.md, run.json and state.json go here. */
  dir: string;
  reporter?: Reporter;
  /** Start over even if the folder holds an unfinished run of this task. */
  fresh?: boolean;
  signal?: AbortSignal;
}

export interface RunTaskResult {
  state: TaskState;
  /** True when an earlier run's finished steps were reused. */
  resumed: boolean;
}

/**
 * Runs one task through the roles, saving state.json and run.json after every step. A folder holding an
 * unfinished run of the same task is resumed from its last finished step; a finished one is left as it is.
 * Gateway failures and the cost cap end the run with status `failed` / `stopped` and the state kept.
 */
export async function runTask(opts: RunTaskOptions): Promise<RunTaskResult> {
  const { config, task, reporter: r } = opts;
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const saved = opts.fresh ? undefined : loadState(dir);
  if (saved && saved.task.goal !== task.goal) {
    throw new Error(`${dir} holds another task ("${saved.task.goal}"); choose another --out, or --fresh to replace it`);
  }
  if (saved && isFinal(saved.status)) {
    r?.note?.(`${saved.task.id} already finished (${saved.status}) in ${dir}; --fresh runs it again`);
    return { state: saved, resumed: true };
  }
  const state = saved ?? newState(task);
  const resumed = saved !== undefined && saved.steps.length > 0;
  if (resumed) r?.note?.(`resuming ${state.task.id} after ${state.steps.length} finished step(s) (${state.steps.map((s) => s.role).join(', ')})`);
  state.status = 'running';
  delete state.stop_reason;
  delete state.finished_at;
  saveState(dir, state);

  for (;;) {
    const next = nextStep(state.steps, { planReview: config.roles.plan_reviewer.enabled, reviewRounds: config.reviewRounds });
    if (next.kind === 'done') {
      finish(config, dir, state, next.outcome, r);
      return { state, resumed };
    }
    const cap = config.maxCostPerTask;
    if (cap !== undefined && spentMicros(state) >= Math.round(cap * 1_000_000)) {
      stop(config, dir, state, 'stopped', `max_cost_per_task reached: spent $${(spentMicros(state) / 1e6).toFixed(6)} of $${cap}`, r, true);
      return { state, resumed };
    }
    const { role, round } = next;
    const exclude = authorModel(state.steps, role);
    r?.stepStarted?.(role, round, config.roles[role].model);
    let answer: ChatAnswer;
    try {
      answer = await callRoleFor(opts, role, roleMessages(role, promptInput(state, role)), exclude);
    } catch (err) {
      if (!(err instanceof GatewayCallError)) throw err;
      const budget = err.budgetExceeded;
      const why = budget
        ? `the gateway refused the ${role} step: budget exceeded (${err.message}); nothing was sent upstream. The state is kept in ${dir}: rerun the same command to resume once the budget allows.`
        : `the ${role} step failed: ${err.message}${err.details.status ? ` (HTTP ${err.details.status})` : ''}. The state is kept in ${dir}: rerun the same command to resume.`;
      stop(config, dir, state, budget ? 'stopped' : 'failed', why, r, false);
      return { state, resumed };
    }
    if (exclude && answer.model === exclude[0]) {
      // The gateway must honour the exclusion; a review by the author is no review, so it is not recorded.
      stop(config, dir, state, 'failed', `the gateway answered the ${role} step with ${answer.model}, the model that wrote what it reviews, although it was excluded`, r, false);
      return { state, resumed };
    }
    const step = recordStep(role, round, answer, exclude);
    state.steps.push(step);
    writeArtifacts(dir, state, step, r);
    saveState(dir, state);
    r?.stepFinished?.(step);
  }
}

function callRoleFor(opts: RunTaskOptions, role: Role, messages: ReturnType<typeof roleMessages>, exclude: string[] | undefined): Promise<ChatAnswer> {
  return callRole(opts.config, role, opts.task, messages, { ...(exclude ? { exclude } : {}), ...(opts.reporter ? { reporter: opts.reporter } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
}

/** A reviewer never runs on the model that wrote what it reviews: the latest plan's or implementation's model. */
export function authorModel(steps: readonly StepRecord[], role: Role): string[] | undefined {
  const author: Role | undefined = role === 'reviewer' ? 'coder' : role === 'plan_reviewer' ? 'planner' : undefined;
  if (!author) return undefined;
  const last = steps.filter((s) => s.role === author).pop();
  return last ? [last.model] : undefined;
}

/** What a role's prompt is built from, given the steps so far. */
function promptInput(state: TaskState, role: Role): PromptInput {
  const last = (r: Role) => state.steps.filter((s) => s.role === r).pop();
  const plan = last('planner')?.output;
  const input: PromptInput = { task: state.task };
  if (role === 'planner') {
    const review = last('plan_reviewer');
    if (plan !== undefined && review) return { ...input, plan, planFindings: review.findings ?? [] };
    return input;
  }
  if (plan !== undefined) input.plan = plan;
  if (role === 'plan_reviewer') return input;
  const code = last('coder')?.output;
  if (role === 'reviewer') return code === undefined ? input : { ...input, code };
  // The coder revising: its previous answer and what the reviewer asked for.
  const review = last('reviewer');
  if (code !== undefined && review) return { ...input, code, codeFindings: review.findings ?? [] };
  return input;
}

function recordStep(role: Role, round: number, a: ChatAnswer, exclude: string[] | undefined): StepRecord {
  const verdict = role === 'reviewer' || role === 'plan_reviewer' ? parseVerdict(a.text) : undefined;
  return {
    role,
    round,
    model: a.model,
    ...(a.tier ? { tier: a.tier } : {}),
    ...(a.rule ? { rule: a.rule } : {}),
    ...(a.inputTokens !== undefined ? { input_tokens: a.inputTokens } : {}),
    ...(a.outputTokens !== undefined ? { output_tokens: a.outputTokens } : {}),
    cost_usd: a.costMicros === undefined ? null : a.costMicros / 1_000_000,
    ...(a.costMicros !== undefined ? { cost_micros: a.costMicros } : {}),
    latency_ms: Math.round(a.latencyMs),
    ...(a.requestId ? { request_id: a.requestId } : {}),
    ...(exclude ? { excluded_models: exclude } : {}),
    ...(verdict ? { verdict: verdict.verdict, findings: verdict.findings } : {}),
    finished_at: new Date().toISOString(),
    output: a.text,
  };
}

/** plan.md, the code files of the latest implementation, plan-review.md and review.md (every round). */
function writeArtifacts(dir: string, state: TaskState, step: StepRecord, r: Reporter | undefined): void {
  if (step.role === 'planner') writeFileSync(join(dir, 'plan.md'), ensureNewline(step.output));
  if (step.role === 'coder') {
    const { files, refused } = extractFiles(step.output);
    const written = writeAnswerFiles(dir, files);
    for (const f of written.refused.concat(refused)) {
      state.refused_paths.push({ ...f, round: step.round });
      r?.note?.(`refused to write "${f.path}": ${f.reason}`);
    }
    for (const path of written.paths) if (!state.files.includes(path)) state.files.push(path);
    if (written.paths.length > 0) r?.note?.(`wrote ${written.paths.join(', ')}`);
    else r?.note?.('the coder gave no file in a fenced block that names a path');
  }
  if (step.role === 'reviewer' || step.role === 'plan_reviewer') {
    const name = step.role === 'reviewer' ? 'review.md' : 'plan-review.md';
    const sections = state.steps.filter((s) => s.role === step.role).map((s) => `## Round ${s.round + 1}: ${s.verdict} (${s.model})\n\n${s.output.trim()}\n`);
    writeFileSync(join(dir, name), `# ${step.role === 'reviewer' ? 'Code review' : 'Plan review'}: ${state.task.goal}\n\n${sections.join('\n')}`);
  }
}

function finish(config: PipelineConfig, dir: string, state: TaskState, outcome: 'approved' | 'queued', r: Reporter | undefined): void {
  state.status = outcome;
  state.finished_at = new Date().toISOString();
  saveState(dir, state);
  appendRun(config.home, state, dir);
  if (outcome === 'queued') {
    const reviews = state.steps.filter((s) => s.role === 'reviewer').length;
    enqueue(config.home, {
      id: state.task.id,
      goal: state.task.goal,
      risk: state.task.risk,
      area: state.task.area,
      dir,
      reason: `not approved after ${reviews} review(s)`,
      queued_at: state.finished_at,
      status: 'waiting',
    });
    r?.note?.(`not approved after ${reviews} review(s): ${state.task.id} waits in the review queue (switchyard pipeline show ${state.task.id})`);
  }
}

function stop(config: PipelineConfig, dir: string, state: TaskState, status: 'stopped' | 'failed', reason: string, r: Reporter | undefined, final: boolean): void {
  state.status = status;
  state.stop_reason = reason;
  if (final) state.finished_at = new Date().toISOString();
  saveState(dir, state);
  if (final) appendRun(config.home, state, dir);
  r?.note?.(reason);
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
