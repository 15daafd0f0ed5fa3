import { describe, expect, it } from 'vitest';
import { computeStats } from '../src/stats/compute-stats.js';
import type { HistoryLine } from '../src/state/history.js';

const run = (id: string, outcome: HistoryLine['outcome'], risk: string, area: string, steps: Array<[string, string, number, number]>, duration = 1000): HistoryLine => ({
  kind: 'run', id, goal: id, risk, area, outcome, duration_ms: duration, at: '',
  cost_usd: steps.reduce((n, s) => n + s[2], 0),
  steps: steps.map(([role, model, cost_usd, latency_ms]) => ({ role, model, cost_usd, latency_ms })),
});

describe('computeStats', () => {
  it('counts each task by its last outcome, and steps by role and model', () => {
    const history: HistoryLine[] = [
      run('a', 'approved', 'high', 'core', [['planner', 'p', 0.01, 100], ['coder', 'p', 0.02, 300], ['reviewer', 's', 0.001, 50]], 2000),
      run('b', 'queued', 'low', 'docs', [['planner', 'c', 0.001, 10], ['coder', 'c', 0.001, 30], ['reviewer', 's', 0.001, 20]], 500),
      { kind: 'decision', id: 'b', goal: 'b', risk: 'low', area: 'docs', outcome: 'human_rejected', cost_usd: 0, duration_ms: 0, steps: [], at: '' },
    ];
    const stats = computeStats(history);
    expect(stats).toMatchObject({ tasks: 2, successRate: 0.5, costUsd: 0.034 });
    expect(stats.byModel.find((r) => r.key === 's')).toMatchObject({ tasks: 2, successRate: 0.5, count: 2, costUsd: 0.002, meanMs: 35 });
    expect(stats.byRole.find((r) => r.key === 'coder')).toMatchObject({ count: 2, costUsd: 0.021 });
    expect(stats.byRisk).toEqual([
      { key: 'high', tasks: 1, successRate: 1, count: 1, costUsd: 0.031, meanCostUsd: 0.031, meanMs: 2000 },
      { key: 'low', tasks: 1, successRate: 0, count: 1, costUsd: 0.003, meanCostUsd: 0.003, meanMs: 500 },
    ]);
  });

  it('counts a resumed task once, from its last run line', () => {
    const first = run('a', 'stopped', 'medium', 'api', [['planner', 'p', 0.01, 100]]);
    const last = run('a', 'approved', 'medium', 'api', [['planner', 'p', 0.01, 100], ['coder', 'p', 0.02, 100], ['reviewer', 's', 0.01, 100]]);
    expect(computeStats([first, last])).toMatchObject({ tasks: 1, successRate: 1, costUsd: 0.04 });
  });
});
