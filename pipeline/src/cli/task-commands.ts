import { resolve } from 'node:path';
import type { Role } from '../config/roles.js';
import { RISKS, type Risk } from '../config/roles.js';
import { runRole } from '../run/run-role.js';
import { runTask } from '../run/run-task.js';
import type { TaskStatus } from '../state/task-state.js';
import { loadTasksFile, readContextFile } from '../tasks/load-tasks.js';
import { areaSchema, taskIdFor, taskIdSchema, type Task } from '../tasks/task.js';
import { EXIT, UsageError, configFor, parseCommand, type CliIo } from './cli-io.js';
import { terminalReporter } from './terminal-reporter.js';

const TASK_OPTIONS = {
  out: { type: 'string' },
  id: { type: 'string' },
  risk: { type: 'string' },
  area: { type: 'string' },
  context: { type: 'string', multiple: true },
  constraint: { type: 'string', multiple: true },
  fresh: { type: 'boolean' },
} as const;

/** `run "task"`: plan → code → review with the revise loop, in one task folder (--out, default pipeline-out/<id>). */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(args, TASK_OPTIONS);
  const config = configFor(values, io);
  const task = taskFromArgs(positionals, values, io, { contextAllowed: true });
  const dir = values.out ? resolve(io.cwd, values.out) : resolve(config.outputDir, task.id);
  const reporter = terminalReporter(io.stdout, { quiet: values.quiet === true });
  reporter.note?.(`task ${task.id} (risk ${task.risk}, area ${task.area}) → ${dir}`);
  const { state } = await runTask({ config, task, dir, reporter, fresh: values.fresh === true, ...(io.signal ? { signal: io.signal } : {}) });
  summary(io, state.status, state.task.id, dir, state.steps.reduce((n, s) => n + (s.cost_micros ?? 0), 0));
  return exitFor(state.status);
}

/** `tasks [FILE]`: every task of tasks.yaml, one after another, each in <out>/<id>; a budget refusal stops the batch. */
export async function tasksCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(args, { out: { type: 'string' }, only: { type: 'string' }, fresh: { type: 'boolean' } });
  if (positionals.length > 1) throw new UsageError('tasks takes one file (default tasks.yaml)');
  const config = configFor(values, io);
  const file = resolve(io.cwd, positionals[0] ?? 'tasks.yaml');
  const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : undefined;
  const tasks = loadTasksFile(file).filter((t) => !only || only.has(t.id));
  const out = values.out ? resolve(io.cwd, values.out) : config.outputDir;
  const reporter = terminalReporter(io.stdout, { quiet: values.quiet === true });
  const results: Array<{ id: string; status: TaskStatus; micros: number }> = [];
  let code: number = EXIT.ok;
  for (const [i, task] of tasks.entries()) {
    reporter.note?.(`task ${i + 1}/${tasks.length}: ${task.id} (risk ${task.risk}, area ${task.area})`);
    const { state } = await runTask({ config, task, dir: resolve(out, task.id), reporter, fresh: values.fresh === true, ...(io.signal ? { signal: io.signal } : {}) });
    results.push({ id: task.id, status: state.status, micros: state.steps.reduce((n, s) => n + (s.cost_micros ?? 0), 0) });
    code = Math.max(code, exitFor(state.status));
    // A budget refusal or an unreachable gateway would refuse the next tasks too.
    if (state.status === 'failed' || (state.status === 'stopped' && !state.finished_at)) break;
  }
  io.stdout.write('\n');
  for (const r of results) io.stdout.write(`${r.status.padEnd(14)} ${r.id}  $${(r.micros / 1e6).toFixed(6)}\n`);
  if (results.length < tasks.length) io.stdout.write(`${tasks.length - results.length} task(s) not started; rerun to continue (finished tasks are skipped)\n`);
  return code;
}

/** `plan`, `code`, `review`: one role; --context FILE|- is the plan (code) or the implementation (review). */
export async function roleCommand(role: Extract<Role, 'planner' | 'coder' | 'reviewer'>, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(args, { ...TASK_OPTIONS, 'exclude-models': { type: 'string' } });
  const config = configFor(values, io);
  const contextFiles = values.context ?? [];
  if (role !== 'planner' && contextFiles.length !== 1) {
    throw new UsageError(`${role === 'coder' ? 'code' : 'review'} needs --context FILE (or - for standard input): the ${role === 'coder' ? 'plan to implement' : 'implementation to review'}`);
  }
  const task = taskFromArgs(positionals, role === 'planner' ? values : { ...values, context: [] }, io, { contextAllowed: role === 'planner' });
  const context = role === 'planner' ? undefined : readContextFile(contextPath(contextFiles[0]!, io), contextFiles[0]).text;
  const exclude = values['exclude-models']?.split(',').map((s) => s.trim()).filter(Boolean);
  const reporter = terminalReporter(io.stdout, { quiet: values.quiet === true });
  const result = await runRole({
    config,
    role,
    task,
    ...(context !== undefined ? { context } : {}),
    ...(exclude && exclude.length > 0 ? { exclude } : {}),
    ...(values.out ? { out: resolve(io.cwd, values.out) } : {}),
    reporter,
    ...(io.signal ? { signal: io.signal } : {}),
  });
  io.stdout.write('\n');
  for (const r of result.refused) reporter.note?.(`refused to write "${r.path}": ${r.reason}`);
  if (result.files.length > 0) reporter.note?.(`wrote ${result.files.join(', ')} in ${values.out}`);
  const cost = result.costUsd === null ? 'cost not reported' : `$${result.costUsd.toFixed(6)}`;
  reporter.note?.(`${role}: ${result.model}${result.tier ? ` (${result.tier})` : ''}, ${cost}${result.verdict ? `, verdict ${result.verdict.verdict}` : ''}`);
  return result.verdict?.verdict === 'request_changes' ? EXIT.review : EXIT.ok;
}

function taskFromArgs(positionals: string[], values: { id?: string; risk?: string; area?: string; context?: string[]; constraint?: string[] }, io: CliIo, opts: { contextAllowed: boolean }): Task {
  if (positionals.length !== 1 || !positionals[0]!.trim()) throw new UsageError('give the task as one quoted argument, e.g. "Add a /health endpoint to an Express app"');
  const goal = positionals[0]!.trim();
  const risk = (values.risk ?? 'medium').toLowerCase();
  if (!(RISKS as readonly string[]).includes(risk)) throw new UsageError(`--risk must be one of ${RISKS.join(', ')}, got "${values.risk}"`);
  const area = (values.area ?? 'general').toLowerCase();
  if (!areaSchema.safeParse(area).success) throw new UsageError(`--area is one word such as core, math, api, tests or docs, got "${values.area}"`);
  const id = values.id ?? taskIdFor(goal);
  if (!taskIdSchema.safeParse(id).success) throw new UsageError(`--id "${id}": ids use letters, digits, ".", "_" and "-"`);
  const context = opts.contextAllowed ? (values.context ?? []).map((f) => readContextFile(contextPath(f, io), f)) : [];
  return { id, goal, risk: risk as Risk, area, context, constraints: values.constraint ?? [] };
}

function contextPath(file: string, io: CliIo): string {
  return file === '-' ? '-' : resolve(io.cwd, file);
}

function summary(io: CliIo, status: TaskStatus, id: string, dir: string, micros: number): void {
  const what: Record<TaskStatus, string> = {
    running: 'still running',
    approved: 'approved by the reviewer',
    queued: `waiting for a human: switchyard pipeline show ${id}, then approve or reject`,
    human_approved: 'approved by a human',
    human_rejected: 'rejected by a human',
    stopped: 'stopped (see the message above); rerun to resume',
    failed: 'failed (see the message above); rerun to resume',
  };
  io.stdout.write(`\n${id}: ${what[status]} · total $${(micros / 1e6).toFixed(6)} · ${dir}\n`);
}

function exitFor(status: TaskStatus): number {
  if (status === 'approved' || status === 'human_approved') return EXIT.ok;
  if (status === 'queued') return EXIT.review;
  if (status === 'stopped') return EXIT.stopped;
  return EXIT.error;
}
