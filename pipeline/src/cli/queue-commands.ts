import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendDecision, readHistory } from '../state/history.js';
import { decide, readQueue } from '../state/review-queue.js';
import { loadState, saveState, type RunRecord } from '../state/task-state.js';
import { EXIT, UsageError, configFor, parseCommand, type CliIo } from './cli-io.js';
import { formatTable } from './format-table.js';

/** `status`: the review queue, waiting tasks first. */
export function statusCommand(args: string[], io: CliIo): number {
  const { values } = parseCommand(args, { all: { type: 'boolean' } });
  const config = configFor(values, io);
  const entries = readQueue(config.home).filter((e) => values.all || e.status === 'waiting');
  if (entries.length === 0) {
    io.stdout.write(values.all ? 'The review queue is empty.\n' : 'No task waits for review (--all shows decided ones too).\n');
    return EXIT.ok;
  }
  const rows = entries.map((e) => [e.id, e.status, e.risk, e.area, e.queued_at.slice(0, 19).replace('T', ' '), e.reason]);
  io.stdout.write(`${formatTable(['id', 'status', 'risk', 'area', 'queued (UTC)', 'why'], rows)}\n`);
  return EXIT.ok;
}

/** `show ID`: a task's record: status, verdict and findings, steps with model and cost, files. */
export function showCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseCommand(args, {});
  const id = onlyId(positionals, 'show');
  const config = configFor(values, io);
  const dir = taskDir(config.home, id);
  const file = join(dir, 'run.json');
  if (!existsSync(file)) throw new Error(`task "${id}" has no run.json in ${dir}`);
  const run = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
  const queued = readQueue(config.home).find((e) => e.id === id);
  const out: string[] = [
    `${run.id}: ${run.goal}`,
    `status ${run.status}${queued ? ` (queue: ${queued.status}${queued.note ? `, "${queued.note}"` : ''})` : ''} · verdict ${run.verdict ?? 'none'} · risk ${run.risk} · area ${run.area} · total $${run.total_cost_usd.toFixed(6)}${run.cost_complete ? '' : ' (some costs not reported)'}`,
    `folder ${dir}`,
  ];
  if (run.stop_reason) out.push(`stopped: ${run.stop_reason}`);
  out.push('', formatTable(['role', 'round', 'model', 'tier', 'in', 'out', 'cost $', 'seconds', 'verdict'], run.steps.map((s) => [
    s.role,
    String(s.round + 1),
    s.model,
    s.tier ?? '',
    String(s.input_tokens ?? ''),
    String(s.output_tokens ?? ''),
    s.cost_usd === null ? '?' : s.cost_usd.toFixed(6),
    (s.latency_ms / 1000).toFixed(1),
    s.verdict ?? '',
  ])));
  if (run.findings.length > 0) out.push('', 'Last review findings:', ...run.findings.map((f) => `  - [${f.severity}]${f.file ? ` ${f.file}:` : ''} ${f.message}`));
  if (run.files.length > 0) out.push('', `Files: ${run.files.join(', ')}`);
  if (run.refused_paths.length > 0) out.push(`Refused paths: ${run.refused_paths.map((r) => `${r.path} (${r.reason})`).join(', ')}`);
  io.stdout.write(`${out.join('\n')}\n`);
  return EXIT.ok;
}

/** `approve ID` / `reject ID`: a human decision on a queued task, recorded in the queue, run.json and the history. */
export function decideCommand(decision: 'approved' | 'rejected', args: string[], io: CliIo): number {
  const { values, positionals } = parseCommand(args, { note: { type: 'string' } });
  const id = onlyId(positionals, decision === 'approved' ? 'approve' : 'reject');
  const config = configFor(values, io);
  const entry = decide(config.home, id, decision, values.note);
  const outcome = decision === 'approved' ? 'human_approved' : 'human_rejected';
  const state = loadState(entry.dir);
  if (state) {
    state.status = outcome;
    saveState(entry.dir, state);
  }
  appendDecision(config.home, entry, outcome);
  io.stdout.write(`${id}: ${decision}${values.note ? ` ("${values.note}")` : ''}\n`);
  return EXIT.ok;
}

/** A task's folder: from the queue, else from its last history line. */
function taskDir(home: string, id: string): string {
  const queued = readQueue(home).find((e) => e.id === id);
  if (queued) return queued.dir;
  const line = readHistory(home).filter((l) => l.id === id && l.dir).pop();
  if (line?.dir) return line.dir;
  throw new Error(`no task "${id}" in the review queue or the history under ${home}`);
}

function onlyId(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`${command} takes one task id (see switchyard pipeline status)`);
  return positionals[0]!;
}
