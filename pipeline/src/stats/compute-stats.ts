import type { HistoryLine } from '../state/history.js';

/** One row of a stats table. */
export interface StatsRow {
  key: string;
  /** Distinct tasks (by id) counted in the row. */
  tasks: number;
  /** Share of those tasks whose last outcome is an approval (by the reviewer or a human). */
  successRate: number;
  /** Steps in the row (role and model tables) or tasks (risk and area tables). */
  count: number;
  costUsd: number;
  meanCostUsd: number;
  /** Mean step latency (role, model) or mean task duration (risk, area), ms. */
  meanMs: number;
}

export interface Stats {
  tasks: number;
  successRate: number;
  costUsd: number;
  byRole: StatsRow[];
  byModel: StatsRow[];
  byRisk: StatsRow[];
  byArea: StatsRow[];
}

const SUCCESS = new Set(['approved', 'human_approved']);

/**
 * Stats of the recorded history: a task's outcome is its last line (a human decision overrides the run's
 * `queued`); its steps, cost and duration come from its last run line.
 */
export function computeStats(history: readonly HistoryLine[]): Stats {
  const outcome = new Map<string, string>();
  for (const line of history) outcome.set(line.id, line.outcome);
  const ok = (id: string) => SUCCESS.has(outcome.get(id) ?? '');
  // A run line carries the task's whole state (a resumed task's steps included), so its last run line is the task.
  const lastRun = new Map<string, HistoryLine>();
  for (const line of history) if (line.kind === 'run') lastRun.set(line.id, line);
  const runs = [...lastRun.values()];

  const stepRows = (keyOf: (s: HistoryLine['steps'][number]) => string) => {
    const groups = new Map<string, { ids: Set<string>; count: number; micros: number; ms: number }>();
    for (const run of runs) {
      for (const step of run.steps) {
        const g = groups.get(keyOf(step)) ?? { ids: new Set(), count: 0, micros: 0, ms: 0 };
        g.ids.add(run.id);
        g.count++;
        g.micros += Math.round((step.cost_usd ?? 0) * 1e6);
        g.ms += step.latency_ms;
        groups.set(keyOf(step), g);
      }
    }
    return [...groups].map(([key, g]) => row(key, g.ids, ok, g.count, g.micros, g.ms));
  };
  const taskRows = (keyOf: (l: HistoryLine) => string) => {
    const groups = new Map<string, { ids: Set<string>; micros: number; ms: number }>();
    for (const run of runs) {
      const g = groups.get(keyOf(run)) ?? { ids: new Set(), micros: 0, ms: 0 };
      g.ids.add(run.id);
      g.micros += Math.round(run.cost_usd * 1e6);
      g.ms += run.duration_ms;
      groups.set(keyOf(run), g);
    }
    return [...groups].map(([key, g]) => row(key, g.ids, ok, g.ids.size, g.micros, g.ms));
  };

  const ids = [...lastRun.keys()];
  const totalMicros = runs.reduce((n, r) => n + Math.round(r.cost_usd * 1e6), 0);
  return {
    tasks: ids.length,
    successRate: ids.length === 0 ? 0 : ids.filter(ok).length / ids.length,
    costUsd: totalMicros / 1e6,
    byRole: stepRows((s) => s.role),
    byModel: stepRows((s) => s.model),
    byRisk: taskRows((l) => l.risk),
    byArea: taskRows((l) => l.area),
  };
}

function row(key: string, ids: Set<string>, ok: (id: string) => boolean, count: number, micros: number, ms: number): StatsRow {
  const succeeded = [...ids].filter(ok).length;
  return {
    key,
    tasks: ids.size,
    successRate: ids.size === 0 ? 0 : succeeded / ids.size,
    count,
    costUsd: micros / 1e6,
    meanCostUsd: count === 0 ? 0 : micros / 1e6 / count,
    meanMs: count === 0 ? 0 : ms / count,
  };
}
