import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskState, TaskStatus } from './task-state.js';
import { spentMicros } from './task-state.js';

/** One line of history.jsonl: a finished run of a task, or a later human decision on it. */
export interface HistoryLine {
  kind: 'run' | 'decision';
  id: string;
  goal: string;
  risk: string;
  area: string;
  /** The task folder (for `show`). */
  dir?: string;
  outcome: TaskStatus;
  cost_usd: number;
  duration_ms: number;
  steps: Array<{ role: string; model: string; tier?: string; cost_usd: number | null; latency_ms: number; input_tokens?: number; output_tokens?: number }>;
  at: string;
}

const HISTORY_FILE = 'history.jsonl';

/** Appends the line for a task that just finished (approved, queued, or stopped at its cost cap). */
export function appendRun(home: string, state: TaskState, dir: string, now = new Date()): void {
  append(home, {
    kind: 'run',
    id: state.task.id,
    dir,
    goal: state.task.goal,
    risk: state.task.risk,
    area: state.task.area,
    outcome: state.status,
    cost_usd: spentMicros(state) / 1_000_000,
    duration_ms: now.getTime() - Date.parse(state.started_at),
    steps: state.steps.map((s) => ({
      role: s.role,
      model: s.model,
      ...(s.tier ? { tier: s.tier } : {}),
      cost_usd: s.cost_usd,
      latency_ms: s.latency_ms,
      ...(s.input_tokens !== undefined ? { input_tokens: s.input_tokens } : {}),
      ...(s.output_tokens !== undefined ? { output_tokens: s.output_tokens } : {}),
    })),
    at: now.toISOString(),
  });
}

/** Appends a human decision (approve / reject from the review queue); `stats` counts the task's last outcome. */
export function appendDecision(home: string, entry: { id: string; goal: string; risk: string; area: string }, outcome: 'human_approved' | 'human_rejected', now = new Date()): void {
  append(home, { kind: 'decision', ...pick(entry), outcome, cost_usd: 0, duration_ms: 0, steps: [], at: now.toISOString() });
}

/** Every line of the history (unreadable lines are skipped: a crash mid-append must not break `stats`). */
export function readHistory(home: string): HistoryLine[] {
  const file = join(home, HISTORY_FILE);
  if (!existsSync(file)) return [];
  const lines: HistoryLine[] = [];
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (!text.trim()) continue;
    try {
      lines.push(JSON.parse(text) as HistoryLine);
    } catch {
      // a torn last line
    }
  }
  return lines;
}

function append(home: string, line: HistoryLine): void {
  mkdirSync(home, { recursive: true });
  appendFileSync(join(home, HISTORY_FILE), `${JSON.stringify(line)}\n`);
}

function pick(e: { id: string; goal: string; risk: string; area: string }) {
  return { id: e.id, goal: e.goal, risk: e.risk, area: e.area };
}
