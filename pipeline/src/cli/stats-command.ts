import { computeStats, type StatsRow } from '../stats/compute-stats.js';
import { readHistory } from '../state/history.js';
import { EXIT, configFor, parseCommand, type CliIo } from './cli-io.js';
import { formatTable } from './format-table.js';

/** `stats`: success rate, cost and duration per role, model, risk and area, from history.jsonl (--json for machines). */
export function statsCommand(args: string[], io: CliIo): number {
  const { values } = parseCommand(args, { json: { type: 'boolean' } });
  const config = configFor(values, io);
  const stats = computeStats(readHistory(config.home));
  if (values.json) {
    io.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
    return EXIT.ok;
  }
  if (stats.tasks === 0) {
    io.stdout.write(`No finished task recorded yet (history: ${config.home}/history.jsonl).\n`);
    return EXIT.ok;
  }
  const pct = (n: number) => `${(n * 100).toFixed(0)}%`;
  const usd = (n: number) => n.toFixed(6);
  const table = (title: string, unit: string, rows: StatsRow[]) =>
    `${title}\n${formatTable([title.split(' ')[1]!, 'tasks', 'success', unit, 'cost $', `mean $/${unit.slice(0, -1)}`, 'mean s'], rows.map((r) => [r.key, String(r.tasks), pct(r.successRate), String(r.count), usd(r.costUsd), usd(r.meanCostUsd), (r.meanMs / 1000).toFixed(1)]))}`;
  io.stdout.write([
    `${stats.tasks} task(s), ${pct(stats.successRate)} approved, $${usd(stats.costUsd)} in total`,
    '',
    table('by role', 'steps', stats.byRole),
    '',
    table('by model', 'steps', stats.byModel),
    '',
    table('by risk', 'tasks', stats.byRisk),
    '',
    table('by area', 'tasks', stats.byArea),
  ].join('\n') + '\n');
  return EXIT.ok;
}
