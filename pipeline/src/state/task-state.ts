import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '../config/roles.js';
import type { Finding } from '../review/parse-verdict.js';
import type { Task } from '../tasks/task.js';
import { writeJsonAtomic } from './write-atomic.js';

/** One finished call: what run.json records, plus the answer text the next steps are built from. */
export interface StepRecord {
  role: Role;
  /** 0 for the first plan / implementation / review, then one more per revision. */
  round: number;
  model: string;
  tier?: string;
  rule?: string;
  input_tokens?: number;
  output_tokens?: number;
  /** null when the gateway did not report the cost. */
  cost_usd: number | null;
  cost_micros?: number;
  latency_ms: number;
  request_id?: string;
  /** Models the request excluded (cross-review). */
  excluded_models?: string[];
  verdict?: 'approve' | 'request_changes';
  findings?: Finding[];
  finished_at: string;
  /** The answer; kept in state.json, left out of run.json. */
  output: string;
}

export type TaskStatus =
  | 'running'
  /** The reviewer approved. */
  | 'approved'
  /** Not approved after the last revise round: waiting in the human review queue. */
  | 'queued'
  | 'human_approved'
  | 'human_rejected'
  /** Stopped by max_cost_per_task or a gateway budget refusal; rerunning resumes. */
  | 'stopped'
  /** A gateway error the pipeline could not get past; rerunning resumes. */
  | 'failed';

export interface TaskState {
  version: 1;
  task: Task;
  status: TaskStatus;
  stop_reason?: string;
  steps: StepRecord[];
  files: string[];
  refused_paths: Array<{ path: string; reason: string; round: number }>;
  started_at: string;
  updated_at: string;
  finished_at?: string;
}

export const STATE_FILE = 'state.json';

/** A fresh state for a task. */
export function newState(task: Task, now = new Date()): TaskState {
  const at = now.toISOString();
  return { version: 1, task, status: 'running', steps: [], files: [], refused_paths: [], started_at: at, updated_at: at };
}

/** The saved state of a task folder, if there is one. */
export function loadState(dir: string): TaskState | undefined {
  const file = join(dir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as TaskState;
    if (state.version !== 1 || !Array.isArray(state.steps)) throw new Error('unknown state format');
    return state;
  } catch (err) {
    throw new Error(`${file} is unreadable (${(err as Error).message}); move it away to start the task again`);
  }
}

/** Saves the state and the public run.json next to it. */
export function saveState(dir: string, state: TaskState): void {
  state.updated_at = new Date().toISOString();
  writeJsonAtomic(join(dir, STATE_FILE), state);
  writeJsonAtomic(join(dir, 'run.json'), runRecord(state));
}

/** Final states: nothing left to run. */
export function isFinal(status: TaskStatus): boolean {
  return status === 'approved' || status === 'queued' || status === 'human_approved' || status === 'human_rejected';
}

/** Total micro-dollars of the steps whose cost is known. */
export function spentMicros(state: TaskState): number {
  return state.steps.reduce((sum, s) => sum + (s.cost_micros ?? 0), 0);
}

/** run.json: the task, every step without its text, the total cost and the verdict. */
export function runRecord(state: TaskState) {
  const reviews = state.steps.filter((s) => s.role === 'reviewer');
  const last = reviews[reviews.length - 1];
  const finished = state.finished_at ? Date.parse(state.finished_at) : undefined;
  return {
    id: state.task.id,
    goal: state.task.goal,
    risk: state.task.risk,
    area: state.task.area,
    status: state.status,
    ...(state.stop_reason ? { stop_reason: state.stop_reason } : {}),
    verdict: last?.verdict ?? null,
    findings: last?.findings ?? [],
    review_rounds: Math.max(0, reviews.length - 1),
    steps: state.steps.map(({ output: _output, cost_micros: _micros, findings: _findings, ...step }) => step),
    total_cost_usd: spentMicros(state) / 1_000_000,
    cost_complete: state.steps.every((s) => s.cost_usd !== null),
    files: state.files,
    refused_paths: state.refused_paths,
    started_at: state.started_at,
    ...(state.finished_at ? { finished_at: state.finished_at, duration_ms: finished! - Date.parse(state.started_at) } : {}),
  };
}

export type RunRecord = ReturnType<typeof runRecord>;
