import { createHash } from 'node:crypto';
import { z } from 'zod';
import { RISKS, type Risk } from '../config/roles.js';

/** A context file the roles get to read, with its text captured when the task starts (so a resume sees the same). */
export interface ContextFile {
  name: string;
  text: string;
}

/** One unit of work for the pipeline. */
export interface Task {
  id: string;
  goal: string;
  risk: Risk;
  /** What the task touches (core, math, api, tests, docs, …): sent as `x-switchyard-area`. */
  area: string;
  context: ContextFile[];
  constraints: string[];
}

export const taskIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, {
  message: 'ids use letters, digits, ".", "_" and "-" (at most 80), and start with a letter or digit',
});
export const riskSchema = z.enum(RISKS);
export const areaSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/i, { message: 'an area is one word such as core, math, api, tests or docs' });

/** A task id from its goal: a readable slug plus a short hash, so two goals never share a folder. */
export function taskIdFor(goal: string): string {
  const slug = goal.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  const hash = createHash('sha256').update(goal).digest('hex').slice(0, 6);
  return slug ? `${slug}-${hash}` : `task-${hash}`;
}
