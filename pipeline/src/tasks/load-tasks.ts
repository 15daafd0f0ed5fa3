import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { areaSchema, riskSchema, taskIdSchema, type ContextFile, type Task } from './task.js';

const entrySchema = z.strictObject({
  id: taskIdSchema,
  goal: z.string().trim().min(1),
  risk: riskSchema.default('medium'),
  area: areaSchema.default('general'),
  /** Files the roles read, relative to tasks.yaml. */
  context: z.array(z.string().min(1)).default([]),
  constraints: z.array(z.string().min(1)).default([]),
});

const listSchema = z.array(entrySchema, { error: 'expected a list of tasks, or `tasks:` with one' });

/** Reads tasks.yaml (a list of tasks, or `tasks:` with one): validated, ids unique, context files read. */
export function loadTasksFile(file: string): Task[] {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code ? `cannot read ${file} (${code})` : `${file}: not valid YAML: ${(err as Error).message}`);
  }
  const list = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'tasks' in raw ? (raw as { tasks: unknown }).tasks : raw;
  const parsed = listSchema.safeParse(list);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new Error(`${file}: invalid tasks file (a list of {id, goal, risk, area, context, constraints})\n${lines.join('\n')}`);
  }
  const entries = parsed.data;
  const seen = new Set<string>();
  const base = dirname(resolve(file));
  return entries.map((e, i) => {
    if (seen.has(e.id)) throw new Error(`${file}: ${i}.id: duplicate task id "${e.id}"`);
    seen.add(e.id);
    return { id: e.id, goal: e.goal, risk: e.risk, area: e.area.toLowerCase(), constraints: e.constraints, context: e.context.map((c) => readContextFile(resolve(base, c), c)) };
  });
}

/** A context file's text; `-` reads standard input. */
export function readContextFile(path: string, name = path): ContextFile {
  try {
    return { name: name === '-' ? 'stdin' : name, text: readFileSync(path === '-' ? 0 : path, 'utf8') };
  } catch (err) {
    throw new Error(`cannot read context file ${name} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}
