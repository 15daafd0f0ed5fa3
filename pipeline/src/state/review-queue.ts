import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from './write-atomic.js';

/** A task the reviewer did not approve within the revise rounds, waiting for (or given) a human decision. */
export interface QueueEntry {
  id: string;
  goal: string;
  risk: string;
  area: string;
  /** The task folder. */
  dir: string;
  reason: string;
  queued_at: string;
  status: 'waiting' | 'approved' | 'rejected';
  decided_at?: string;
  note?: string;
}

const QUEUE_FILE = 'queue.json';

/** The review queue under the pipeline home (`queue.json`), oldest first. */
export function readQueue(home: string): QueueEntry[] {
  const file = join(home, QUEUE_FILE);
  if (!existsSync(file)) return [];
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { tasks?: QueueEntry[] };
    return Array.isArray(data.tasks) ? data.tasks : [];
  } catch (err) {
    throw new Error(`${file} is unreadable (${(err as Error).message})`);
  }
}

function writeQueue(home: string, tasks: QueueEntry[]): void {
  writeJsonAtomic(join(home, QUEUE_FILE), { tasks });
}

/** Puts a task in the queue (replacing an earlier entry with its id). */
export function enqueue(home: string, entry: QueueEntry): void {
  writeQueue(home, [...readQueue(home).filter((e) => e.id !== entry.id), entry]);
}

/** Records a human decision on a waiting task; throws when the id is unknown or already decided. */
export function decide(home: string, id: string, decision: 'approved' | 'rejected', note?: string, now = new Date()): QueueEntry {
  const tasks = readQueue(home);
  const entry = tasks.find((e) => e.id === id);
  if (!entry) {
    const waiting = tasks.filter((e) => e.status === 'waiting').map((e) => e.id);
    throw new Error(`no task "${id}" in the review queue${waiting.length > 0 ? ` (waiting: ${waiting.join(', ')})` : ' (it is empty)'}`);
  }
  if (entry.status !== 'waiting') throw new Error(`task "${id}" was already ${entry.status} on ${entry.decided_at}`);
  entry.status = decision;
  entry.decided_at = now.toISOString();
  if (note) entry.note = note;
  writeQueue(home, tasks);
  return entry;
}
